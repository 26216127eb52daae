"""Where secjobs keeps its data: one place for paths and the database URL.

Sandbox runs (``--sandbox``, ``make demo``) keep their own database, staging and reports,
so generated figures never meet live ones (pipeline.origin enforces it in the store too).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    return Path(os.environ.get("SECJOBS_DATA_DIR", "data"))


def database_url(sandbox: bool = False) -> str:
    """``SECJOBS_DATABASE_URL``, else SQLite at ``<data dir>/secjobs.db``; for the sandbox,
    ``SECJOBS_SANDBOX_DATABASE_URL``, else ``<data dir>/sandbox.db``."""
    url = os.environ.get("SECJOBS_SANDBOX_DATABASE_URL" if sandbox else "SECJOBS_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / ('sandbox.db' if sandbox else 'secjobs.db')}"


def sandbox_url(explicit: str | None = None) -> str | None:
    """The sandbox a run crawls: ``explicit``, else ``SECJOBS_SANDBOX_URL`` (which the crawls
    inherit, so a run with it set is a sandbox run whatever it was passed), else None."""
    return explicit or os.environ.get("SECJOBS_SANDBOX_URL") or None


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


def staging_dir(sandbox: bool = False) -> Path:
    """``SECJOBS_STAGING_DIR``, else ``<data dir>/staging``; a sandbox run stages into its
    ``sandbox/`` (each database's ledger knows only its own feeds)."""
    staging = Path(os.environ.get("SECJOBS_STAGING_DIR", str(data_dir() / "staging")))
    return staging / "sandbox" if sandbox else staging


def reports_dir(sandbox: bool = False) -> Path:
    """``SECJOBS_REPORTS_DIR`` (default ``reports``); for the sandbox
    ``SECJOBS_SANDBOX_REPORTS_DIR``, else ``<reports dir>/sandbox``."""
    reports = Path(os.environ.get("SECJOBS_REPORTS_DIR", "reports"))
    if sandbox:
        return Path(os.environ.get("SECJOBS_SANDBOX_REPORTS_DIR") or reports / "sandbox")
    return reports


def httpcache_dir() -> Path:
    """``SECJOBS_HTTPCACHE_DIR``, else ``<data dir>/httpcache``; absolute, resolved where this
    process runs (a crawl subprocess runs in the project root)."""
    return Path(os.environ.get("SECJOBS_HTTPCACHE_DIR") or data_dir() / "httpcache").resolve()
