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


def httpcache_dir() -> Path:
    """``SECJOBS_HTTPCACHE_DIR``, else ``<data dir>/httpcache``; absolute, resolved where this
    process runs (a crawl subprocess runs in the project root)."""
    return Path(os.environ.get("SECJOBS_HTTPCACHE_DIR") or data_dir() / "httpcache").resolve()
