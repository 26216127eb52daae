"""What the report shows, read from the database into plain dataclasses."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.baselines import DEFAULT_DATASET, load_baselines
from pipeline.models import (
    Baseline,
    JobPostingRecord,
    PipelineRun,
    QuarantineRecord,
    SalaryObservation,
    SourceCrawl,
)
from pipeline.postings import UNUSABLE_PAY_FLAGS

SOURCE_NAMES = {
    "comparably": "Comparably",
    "ziprecruiter": "ZipRecruiter",
    "glassdoor": "Glassdoor",
    "greenhouse": "Greenhouse",
    "careers": "Career sites",
}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


@dataclass(frozen=True)
class BaselineRow:
    source: str
    metric: str
    geography: str
    baseline: float
    as_of: date
    note: str | None
    live: float | None
    observed_on: date | None
    status: str  # live | no live data yet | blocked
    reason: str | None

    @property
    def change(self) -> float | None:
        return None if self.live is None else self.live - self.baseline

    @property
    def change_pct(self) -> float | None:
        return None if self.live is None else 100 * (self.live - self.baseline) / self.baseline


@dataclass(frozen=True)
class SourceRow:
    source: str
    status: str
    reason: str | None
    items: int
    stored: int


@dataclass
class ReportData:
    generated_at: datetime
    run_id: str | None
    run_started: datetime | None
    baselines: list[BaselineRow]
    sources: list[SourceRow]
    postings_total: int
    postings_with_pay: int
    median_annual_usd: float | None
    estimates_excluded: int
    flagged_pay: dict[str, int]
    quarantine: dict[str, int] = field(default_factory=dict)


def _latest_run(session: Session) -> PipelineRun | None:
    return session.scalars(
        select(PipelineRun).order_by(PipelineRun.started_at.desc(), PipelineRun.id.desc()).limit(1)
    ).first()


def _latest_crawls(session: Session) -> dict[str, SourceCrawl]:
    """Each source's most recent crawl."""
    newest = (
        select(SourceCrawl.source, func.max(SourceCrawl.id).label("id"))
        .group_by(SourceCrawl.source)
        .subquery()
    )
    rows = session.scalars(select(SourceCrawl).join(newest, SourceCrawl.id == newest.c.id))
    return {row.source: row for row in rows}


def _baseline_rows(session: Session, crawls: dict[str, SourceCrawl]) -> list[BaselineRow]:
    stored = session.scalars(
        select(Baseline)
        .where(Baseline.dataset == load_baselines(DEFAULT_DATASET)[0].dataset)
        .order_by(Baseline.id)
    ).all()
    rows = []
    for base in stored:
        live = session.scalars(
            select(SalaryObservation)
            .where(
                SalaryObservation.source == base.source,
                SalaryObservation.metric == base.metric,
                SalaryObservation.geography == base.geography,
                SalaryObservation.period == base.period,
                SalaryObservation.currency == base.currency,
            )
            .order_by(SalaryObservation.observed_on.desc())
            .limit(1)
        ).first()
        crawl = crawls.get(base.source)
        if live is not None:
            status, reason = "live", None
        elif crawl is not None and crawl.status in ("blocked", "failed"):
            status, reason = crawl.status, crawl.reason
        else:
            status = "no live data yet"
            reason = f"no {source_name(base.source)} salary figure collected yet"
        rows.append(
            BaselineRow(
                source=base.source,
                metric=base.metric,
                geography=base.geography,
                baseline=base.value,
                as_of=base.as_of,
                note=base.note,
                live=live.value if live else None,
                observed_on=live.observed_on if live else None,
                status=status,
                reason=reason,
            )
        )
    return rows


def _midpoint(lo: float | None, hi: float | None) -> float | None:
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return lo if lo is not None else hi


def load_report_data(session: Session) -> ReportData:
    run = _latest_run(session)
    crawls = _latest_crawls(session)
    stored_by_source = dict(
        session.execute(
            select(JobPostingRecord.source, func.count()).group_by(JobPostingRecord.source)
        ).all()
    )
    pay = session.execute(
        select(
            JobPostingRecord.annual_min_usd,
            JobPostingRecord.annual_max_usd,
            JobPostingRecord.pay_origin,
            JobPostingRecord.pay_flag,
        )
    ).all()
    usable = [
        _midpoint(lo, hi)
        for lo, hi, origin, flag in pay
        if (lo is not None or hi is not None)
        and origin != "estimate"
        and flag not in UNUSABLE_PAY_FLAGS
    ]
    flags = Counter(flag for *_, flag in pay if flag)
    quarantine = dict(
        session.execute(
            select(QuarantineRecord.reason, func.count())
            .group_by(QuarantineRecord.reason)
            .order_by(func.count().desc())
        ).all()
    )
    sources = sorted({*crawls, *stored_by_source})
    return ReportData(
        generated_at=datetime.now().astimezone(),
        run_id=run.run_id if run else None,
        run_started=run.started_at if run else None,
        baselines=_baseline_rows(session, crawls),
        sources=[
            SourceRow(
                source=name,
                status=crawls[name].status if name in crawls else "not crawled",
                reason=crawls[name].reason if name in crawls else None,
                items=crawls[name].items if name in crawls else 0,
                stored=stored_by_source.get(name, 0),
            )
            for name in sources
        ],
        postings_total=sum(stored_by_source.values()),
        postings_with_pay=len(usable),
        median_annual_usd=statistics.median(usable) if usable else None,
        estimates_excluded=sum(1 for *_, origin, _f in pay if origin == "estimate"),
        flagged_pay=dict(flags),
        quarantine=quarantine,
    )
