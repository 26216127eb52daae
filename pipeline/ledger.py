"""Which staged feeds are stored, and which runs died before storing theirs.

A feed's ledger row is written in the same transaction as its records, so after a crash
(even SIGKILL mid-store) a feed has either its records and its row, or neither. The next
run finds the feeds of crashed runs that have no row and stores them: no re-crawl needed.
Stored feeds of finished runs are then gzipped in place (``compress_stored_feeds``): the raw
crawl stays, in a fraction of the space.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.models import PipelineRun, StagedFeed

# A run on another machine that has not finished after this long is taken for dead.
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Feed:
    """A staged feed: ``<staging dir>/<source>/<crawl run id>.jsonl``."""

    path: Path
    source: str
    crawl_run_id: str

    @property
    def key(self) -> str:
        # Relative to the staging dir, so moving the data directory keeps the ledger valid.
        return f"{self.source}/{self.path.name}"


def feed_at(path: Path) -> Feed:
    return Feed(path, path.parent.name, path.name.removesuffix(".jsonl"))


def this_process() -> dict[str, object]:
    """Recorded with a run, so a later run can tell whether it is still alive."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_dead(run: PipelineRun, now: datetime | None = None) -> bool:
    """A ``running`` run whose process is gone (same host) or that is long overdue."""
    now = now or datetime.now(UTC)
    owner = (run.counts or {}).get("process") or {}
    if owner.get("host") == socket.gethostname() and isinstance(owner.get("pid"), int):
        return owner["pid"] != os.getpid() and not _alive(owner["pid"])
    started = run.started_at if run.started_at.tzinfo else run.started_at.replace(tzinfo=UTC)
    return now - started > STALE_AFTER


def mark_crashed_runs(session: Session) -> list[str]:
    """Runs left ``running`` by a dead process become ``crashed``; returns their ids."""
    crashed = []
    for run in session.scalars(select(PipelineRun).where(PipelineRun.status == "running")):
        if is_dead(run):
            run.status = "crashed"
            run.finished_at = datetime.now(UTC)
            crashed.append(run.run_id)
    return crashed


def unstored_feeds(session: Session, staging_dir: Path) -> list[Feed]:
    """Staged feeds of crashed or failed runs that were never stored, oldest run first."""
    runs = set(
        session.scalars(
            select(PipelineRun.run_id).where(PipelineRun.status.in_(("crashed", "failed")))
        )
    )
    stored = set(session.scalars(select(StagedFeed.path)))
    feeds = [
        feed_at(path)
        for path in staging_dir.glob("*/*.jsonl")
        if path.name.removesuffix(".jsonl") in runs
    ]
    return sorted(
        (f for f in feeds if f.key not in stored), key=lambda f: (f.crawl_run_id, f.source)
    )


def mark_stored(
    session: Session, feeds: Iterable[tuple[Feed, int]], run_id: str, at: datetime | None = None
) -> int:
    """Record ``(feed, records)`` as stored by ``run_id`` (call inside the storing transaction)."""
    at = at or datetime.now(UTC)
    stored = set(session.scalars(select(StagedFeed.path)))
    rows: Sequence[StagedFeed] = [
        StagedFeed(
            path=feed.key,
            source=feed.source,
            crawl_run_id=feed.crawl_run_id,
            records=records,
            stored_at=at,
            stored_by_run=run_id,
        )
        for feed, records in feeds
        if feed.key not in stored
    ]
    session.add_all(rows)
    return len(rows)


def compress_stored_feeds(session: Session, staging_dir: Path) -> dict[str, int]:
    """Gzip each staged feed (``x.jsonl`` -> ``x.jsonl.gz``, which ``zcat`` reads) that is
    stored and whose pipeline run has finished: a feed of a running run, or of a one-off
    ``secjobs crawl`` that a paused crawl may append to, stays as it is. Written beside the
    feed and renamed, then the feed is deleted, so a crash at any point leaves the feed or its
    whole copy, and the next call finishes the work. Returns how many were compressed and the
    bytes saved."""
    feeds = [feed_at(path) for path in sorted(staging_dir.glob("*/*.jsonl"))]
    stored = _present(session, StagedFeed.path, {f.key for f in feeds})
    finished = _present(
        session,
        PipelineRun.run_id,
        {f.crawl_run_id for f in feeds},
        PipelineRun.finished_at.is_not(None),
    )
    compressed = saved = 0
    for feed in feeds:
        if feed.key not in stored or feed.crawl_run_id not in finished:
            continue
        target = feed.path.with_name(feed.path.name + ".gz")
        partial = target.with_name(target.name + ".part")
        with feed.path.open("rb") as source, gzip.open(partial, "wb", compresslevel=6) as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        os.replace(partial, target)
        saved += feed.path.stat().st_size - target.stat().st_size
        feed.path.unlink()
        compressed += 1
    return {"compressed": compressed, "bytes_saved": saved}


def _present(session: Session, column, values: set[str], *where) -> set[str]:
    """Which of ``values`` the column holds (asked in chunks: a query has a bound limit)."""
    found: set[str] = set()
    ordered = sorted(values)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(session.scalars(select(column).where(column.in_(chunk), *where)))
    return found
