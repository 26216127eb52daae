"""Where secjobs keeps its data: one place for paths and the database URL."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    return Path(os.environ.get("SECJOBS_DATA_DIR", "data"))


def database_url() -> str:
    """``SECJOBS_DATABASE_URL``, else SQLite at ``<data dir>/secjobs.db``."""
    url = os.environ.get("SECJOBS_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'secjobs.db'}"


def staging_dir() -> Path:
    return Path(os.environ.get("SECJOBS_STAGING_DIR", str(data_dir() / "staging")))


def reports_dir() -> Path:
    return Path(os.environ.get("SECJOBS_REPORTS_DIR", "reports"))
