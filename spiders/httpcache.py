"""The HTTP cache's age limit, and pruning what has outlived it.

Scrapy's filesystem cache keeps one directory per request, ``<dir>/<spider>/<fp[:2]>/<fp>``,
and never deletes one: the pages of postings that have closed would stay on disk for ever.
Entries older than the limit are ignored by Scrapy (``HTTPCACHE_EXPIRATION_SECS``, the age of
the entry's ``pickled_meta``, which a revalidation with 304 Not Modified does not renew), so
``prune`` deletes exactly those, by the same clock, and entries a crash left half-written.
A crawl may be writing while it prunes: an entry without its ``pickled_meta`` is left alone
for an hour, and a prefix directory is removed only while it is empty.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

MAX_AGE_ENV = "SECJOBS_HTTPCACHE_MAX_AGE_DAYS"
DEFAULT_MAX_AGE_DAYS = 30
_PREFIX = re.compile(r"[0-9a-f]{2}")
_FINGERPRINT = re.compile(r"[0-9a-f]{40}")
HALF_WRITTEN_GRACE_SECS = 3_600


def max_age_days(environ: os._Environ | dict[str, str] = os.environ) -> float:
    """``SECJOBS_HTTPCACHE_MAX_AGE_DAYS`` (default 30); 0 keeps entries for ever."""
    raw = environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_AGE_DAYS
    try:
        days = float(raw)
    except ValueError:
        raise ValueError(f"{MAX_AGE_ENV} must be a number of days, not {raw!r}") from None
    if days < 0:
        raise ValueError(f"{MAX_AGE_ENV} must be 0 (keep for ever) or more, not {raw!r}")
    return days


def expiration_secs(days: float) -> int:
    """``HTTPCACHE_EXPIRATION_SECS`` for an age limit in days (0: never expires)."""
    return round(days * 86_400)


@dataclass(frozen=True)
class Pruned:
    removed: int = 0
    kept: int = 0
    bytes_freed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"removed": self.removed, "kept": self.kept, "bytes_freed": self.bytes_freed}


def prune(cache_dir: Path, days: float, now: float | None = None) -> Pruned:
    """Delete the cache entries under ``cache_dir`` that Scrapy would no longer use: older
    than ``days`` (none when ``days`` is 0), or without their ``pickled_meta``. Only
    directories shaped like entries are touched; emptied prefix directories go too."""
    if not cache_dir.is_dir():
        return Pruned()
    limit = expiration_secs(days)
    now = time.time() if now is None else now
    removed = kept = freed = 0
    for spider_dir in _subdirs(cache_dir):
        for prefix in _subdirs(spider_dir, _PREFIX):
            for entry in _subdirs(prefix, _FINGERPRINT):
                if _is_live(entry, limit, now):
                    kept += 1
                    continue
                freed += sum(f.stat().st_size for f in entry.iterdir() if f.is_file())
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
            if not any(prefix.iterdir()):
                with contextlib.suppress(OSError):  # a crawl has just stored an entry there
                    prefix.rmdir()
    return Pruned(removed, kept, freed)


def _subdirs(parent: Path, shape: re.Pattern | None = None) -> list[Path]:
    return [
        p
        for p in parent.iterdir()
        if p.is_dir() and not p.is_symlink() and (shape is None or shape.fullmatch(p.name))
    ]


def _is_live(entry: Path, limit: int, now: float) -> bool:
    # What FilesystemCacheStorage._read_meta checks before it uses an entry.
    try:
        mtime = (entry / "pickled_meta").stat().st_mtime
    except FileNotFoundError:  # half-written: by a crash, or by a crawl writing it now
        return now - entry.stat().st_mtime < HALF_WRITTEN_GRACE_SECS
    return not 0 < limit < now - mtime
