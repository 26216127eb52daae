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


def sqlite_busy_timeout() -> float:
    """Seconds a SQLite writer waits for another's transaction (``SECJOBS_SQLITE_BUSY_TIMEOUT``,
    default 300): a run stores in one transaction, which takes seconds per 100,000 postings, and
    a one-off ``secjobs crawl --store`` beside it should wait, not fail."""
    raw = os.environ.get("SECJOBS_SQLITE_BUSY_TIMEOUT", "").strip()
    try:
        seconds = float(raw) if raw else 300.0
    except ValueError:
        raise ValueError(f"SECJOBS_SQLITE_BUSY_TIMEOUT must be seconds, not {raw!r}") from None
    if seconds < 0:
        raise ValueError(f"SECJOBS_SQLITE_BUSY_TIMEOUT must be 0 or more, not {raw!r}")
    return seconds


def staging_dir() -> Path:
    return Path(os.environ.get("SECJOBS_STAGING_DIR", str(data_dir() / "staging")))


def reports_dir() -> Path:
    return Path(os.environ.get("SECJOBS_REPORTS_DIR", "reports"))


def httpcache_dir() -> Path:
    """``SECJOBS_HTTPCACHE_DIR``, else ``<data dir>/httpcache``; absolute, resolved where this
    process runs (a crawl subprocess runs in the project root)."""
    return Path(os.environ.get("SECJOBS_HTTPCACHE_DIR") or data_dir() / "httpcache").resolve()
