"""Job directories (Scrapy JOBDIR) under ``<staging>/.jobs/``: where crawls queue requests on
disk, and the removal of those no crawl will resume.

Every crawl has one. The flow names one per spider and run, kept until the crawl finishes so
that a retry resumes it; a crawl started without one gets a temporary one of its own from
``TemporaryJobDirAddon`` (per crawler, so two crawls in one process never share one), which
the ``TemporaryJobDir`` extension deletes when the crawl closes. A crawl killed
or given up on leaves its directory behind: ``prune_stale`` deletes those untouched for a week.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from pathlib import Path

from scrapy import signals

JOBS = ".jobs"
STALE_AFTER_DAYS = 7  # a flow resumes a crawl within its run: hours, not days


def temporary_jobdir(staging_dir: str) -> str:
    """A job directory no other crawl uses, under ``<staging>/.jobs/``."""
    name = f"scrapy-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    return os.path.abspath(os.path.join(staging_dir, JOBS, name))


class TemporaryJobDirAddon:
    """A Scrapy add-on: a crawl whose settings name no JOBDIR (``None``; an empty one asks for
    the memory queue) gets a temporary one under its staging directory."""

    def update_settings(self, settings) -> None:
        if settings.get("JOBDIR") is None:
            path = temporary_jobdir(settings.get("STAGING_DIR") or "data/staging")
            settings.set("JOBDIR", path, priority="addon")
            settings.set("TEMPORARY_JOBDIR", path, priority="addon")


class TemporaryJobDir:
    """Deletes the crawl's job directory when the spider closes, if it is the temporary one
    ``TemporaryJobDirAddon`` made up (``TEMPORARY_JOBDIR``), not one the user asked for. By then the
    scheduler has closed its disk queues and duplicate filter (Scrapy closes them before this
    signal)."""

    def __init__(self, path: str | None):
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        temporary = settings.get("TEMPORARY_JOBDIR")
        ext = cls(temporary if temporary and settings.get("JOBDIR") == temporary else None)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        if self.path:
            shutil.rmtree(self.path, ignore_errors=True)


def prune_stale(staging: Path, days: float = STALE_AFTER_DAYS, now: float | None = None) -> int:
    """Delete the job directories under ``<staging>/.jobs/`` in which nothing has changed for
    ``days``: a temporary one (``.jobs/scrapy-*``) or a flow crawl's (``.jobs/<spider>/<run>``).
    Returns how many went."""
    root = staging / JOBS
    if not root.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.is_symlink():
            continue
        jobdirs = [entry] if entry.name.startswith("scrapy-") else _subdirs(entry)
        for jobdir in jobdirs:
            if now - _last_change(jobdir) > days * 86_400:
                shutil.rmtree(jobdir, ignore_errors=True)
                removed += 1
        if entry.exists() and not any(entry.iterdir()):
            entry.rmdir()
    return removed


def _subdirs(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.is_dir() and not p.is_symlink()]


def _last_change(jobdir: Path) -> float:
    """The newest modification time in the directory: a running crawl appends to its queue
    and duplicate filter files, which does not touch the directory's own time."""
    latest = 0.0
    for path in [jobdir, *jobdir.rglob("*")]:
        with contextlib.suppress(FileNotFoundError):  # removed by its crawl meanwhile
            latest = max(latest, path.stat().st_mtime)
    return latest
