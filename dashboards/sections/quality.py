"""Section 6, data quality: each source on its latest crawl with what it stored, pay flagged
or excluded, duplicates merged, quarantined records, every pipeline run, and the employer
boards of the registry by status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from dashboards.rules import CLUSTERED, OPEN, PAY_FLAGGED, P, usable_pay
from dashboards.sources import source_name
from pipeline.boards import STATUSES, AtsCoverage, board_counts, board_coverage, top_employers
from pipeline.models import PipelineRun, QuarantineRecord, SourceCrawl


@dataclass(frozen=True)
class SourceRow:
    source: str
    status: str
    reason: str | None
    items: int
    stored: int
    open: int = 0
    usable_pay: int = 0
    estimates: int = 0
    flagged: int = 0
    requests: int | None = None
    responses: int | None = None
    blocked: int = 0
    finish_reason: str | None = None
    elapsed_s: float | None = None

    @property
    def pay_coverage_pct(self) -> float | None:
        return 100 * self.usable_pay / self.open if self.open else None


@dataclass(frozen=True)
class QuarantineRow:
    reason: str
    records: int
    times_seen: int
    sources: str


@dataclass(frozen=True)
class RunRow:
    run_id: str
    started_at: datetime
    status: str
    postings_stored: int | None
    quarantined: int | None


@dataclass(frozen=True)
class SourceCounts:
    stored: int
    open: int
    usable_pay: int
    estimates: int
    flagged: int


@dataclass(frozen=True)
class BoardRow:
    ats: str
    counts: dict[str, int]  # status -> boards
    crawled: int = 0  # boards crawled this run
    open_postings: int = 0  # found by the boards' last crawls
    security_postings: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class EmployerRow:
    ats: str
    name: str  # the board's display name, else its identifier
    security_postings: int
    open_postings: int


@dataclass(frozen=True)
class DataQuality:
    sources: list[SourceRow]
    postings_stored: int
    postings_with_pay: int  # open, with usable pay
    estimates_excluded: int
    flagged_pay: dict[str, int]
    quarantine: list[QuarantineRow]
    duplicate_clusters: int  # dedupe clusters shared by several postings
    duplicate_postings: int  # postings in them
    runs: list[RunRow]  # newest first
    # Employer boards per ATS and status (pipeline.boards): which of them are alive.
    boards: list[BoardRow] = field(default_factory=list)
    # The boards whose last crawl found the most security-manager postings.
    employers: list[EmployerRow] = field(default_factory=list)


def load(
    session: Session,
    crawls: dict[str, SourceCrawl],
    runs: Sequence[PipelineRun],
    origins: frozenset[str],
) -> DataQuality:
    """``runs`` oldest first; ``origins``: the pay origins counted as usable."""
    counts = _source_counts(session, origins)
    clusters, postings = _duplicates(session)
    return DataQuality(
        sources=_source_rows(crawls, counts),
        postings_stored=sum(c.stored for c in counts.values()),
        postings_with_pay=sum(c.usable_pay for c in counts.values()),
        estimates_excluded=sum(c.estimates for c in counts.values()),
        flagged_pay=_flagged_pay(session),
        quarantine=_quarantine_rows(session),
        duplicate_clusters=clusters,
        duplicate_postings=postings,
        runs=[_run_row(run) for run in reversed(runs)],
        boards=_board_rows(session, runs[-1].started_at if runs else None),
        employers=[
            EmployerRow(
                b.ats, b.name or b.identifier, b.security_postings or 0, b.open_postings or 0
            )
            for b in top_employers(session)
        ],
    )


def _board_rows(session: Session, run_started: datetime | None) -> list[BoardRow]:
    coverage = board_coverage(session, run_started)
    rows = []
    for ats, per in sorted(board_counts(session).items()):
        found = coverage.get(ats, AtsCoverage(0, 0, 0))
        counts = {status: per.get(status, 0) for status in STATUSES}
        rows.append(
            BoardRow(
                ats,
                counts,
                crawled=found.crawled,
                open_postings=found.open_postings,
                security_postings=found.security_postings,
            )
        )
    return rows


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _source_counts(session: Session, origins: frozenset[str]) -> dict[str, SourceCounts]:
    rows = session.execute(
        select(
            P.source,
            func.count(),
            _count_if(OPEN),
            _count_if(and_(OPEN, usable_pay(origins))),
            _count_if(P.pay_origin == "estimate"),
            _count_if(PAY_FLAGGED),
        ).group_by(P.source)
    ).all()
    return {source: SourceCounts(*counts) for source, *counts in rows}


def _flagged_pay(session: Session) -> dict[str, int]:
    """Postings per pay flag, most first; ties in the order the flags were first stored."""
    n = func.count()
    rows = session.execute(
        select(P.pay_flag, n)
        .where(PAY_FLAGGED)
        .group_by(P.pay_flag)
        .order_by(n.desc(), func.min(P.id))
    ).all()
    return {flag: count for flag, count in rows}


def _duplicates(session: Session) -> tuple[int, int]:
    """(dedupe clusters shared by several postings, postings in them)."""
    shared = (
        select(func.count().label("n"))
        .where(CLUSTERED)
        .group_by(P.cluster_id)
        .having(func.count() > 1)
        .subquery()
    )
    clusters, postings = session.execute(
        select(func.count(), func.coalesce(func.sum(shared.c.n), 0))
    ).one()
    return clusters, int(postings)


def _source_rows(
    crawls: dict[str, SourceCrawl], counts: dict[str, SourceCounts]
) -> list[SourceRow]:
    rows = []
    for name in sorted({*crawls, *counts}):
        crawl = crawls.get(name)
        stored = counts.get(name, SourceCounts(0, 0, 0, 0, 0))
        crawl_stats: dict[str, Any] = (crawl.stats if crawl else None) or {}
        blocked = sum(
            v
            for k, v in crawl_stats.items()
            if k.startswith("secjobs/blocked/") and isinstance(v, int | float)
        )
        elapsed = crawl_stats.get("elapsed_time_seconds")
        rows.append(
            SourceRow(
                source=name,
                status=crawl.status if crawl else "not crawled",
                reason=crawl.reason if crawl else None,
                items=crawl.items if crawl else 0,
                stored=stored.stored,
                open=stored.open,
                usable_pay=stored.usable_pay,
                estimates=stored.estimates,
                flagged=stored.flagged,
                requests=crawl_stats.get("downloader/request_count"),
                responses=crawl_stats.get("downloader/response_count"),
                blocked=int(blocked),
                finish_reason=crawl_stats.get("finish_reason"),
                elapsed_s=float(elapsed) if isinstance(elapsed, int | float) else None,
            )
        )
    return rows


def _quarantine_rows(session: Session) -> list[QuarantineRow]:
    Q = QuarantineRecord
    seen = case((or_(Q.times_seen.is_(None), Q.times_seen == 0), 1), else_=Q.times_seen)
    rows = session.execute(
        select(Q.reason, Q.source, func.count(), func.sum(seen)).group_by(Q.reason, Q.source)
    ).all()
    grouped: dict[str, list] = defaultdict(list)
    for reason, source, records, times in rows:
        grouped[reason].append((source, records, times))
    out = [
        QuarantineRow(
            reason,
            sum(records for _, records, _ in items),
            sum(times for _, _, times in items),
            ", ".join(sorted({source_name(s) for s, _, _ in items})),
        )
        for reason, items in grouped.items()
    ]
    return sorted(out, key=lambda q: (-q.records, q.reason))


def _run_row(run: PipelineRun) -> RunRow:
    def count(key: str) -> int | None:
        value = (run.counts or {}).get(key)
        return value if isinstance(value, int) else None

    return RunRow(
        run.run_id, run.started_at, run.status, count("postings_stored"), count("quarantined")
    )
