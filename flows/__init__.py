"""Prefect flows: when things run and in what order, with retries and artifacts."""

import os
from pathlib import Path

# Set before Prefect is imported: a project-local home (its SQLite database and
# ephemeral server state) and no telemetry, which offline only logs errors.
_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PREFECT_HOME", str(_ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
