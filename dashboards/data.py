"""What the report shows, read from the database into plain dataclasses, section by section.

Every section (``dashboards.sections``) works on whatever is stored: empty tables and cleaning
columns not filled yet give a section with a reason saying why it is empty, never an exception.
It scales with what is stored: postings are counted, grouped and sorted by the database, and
only the pay of security-manager postings is read, once, into NumPy arrays
(``dashboards.sample``) that every section computing a statistic of pay shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from dashboards import stats, stored
from dashboards.columns import naive_utc
from dashboards.requirements import RequirementsSummary
from dashboards.rules import pay_origins
from dashboards.sample import read_family_pay
from dashboards.sections import (
    baselines,
    distribution,
    overview,
    premium,
    quality,
    requirements,
    trend,
)
from dashboards.sections.baselines import BaselineRow, ReferenceRow
from dashboards.sections.distribution import GroupPay, Posting
from dashboards.sections.premium import PremiumRow
from dashboards.sections.quality import BoardRow, EmployerRow, QuarantineRow, RunRow, SourceRow
from dashboards.sections.trend import TrendPoint
from pipeline.origin import LIVE, MIXED, SANDBOX, SANDBOX_BANNER

__all__ = ["BOX_VALUES", "ReportData", "load_report_data"]

# Box plots of larger groups are drawn from their quartiles rather than from every value.
BOX_VALUES = 1_000


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
    include_parsed: bool = False
    cpi_latest_month: date | None = None
    cpi_reason: str | None = None
    baselines_reason: str | None = None
    family_postings: int = 0  # open security_manager postings, duplicates merged
    family_pay: list[float] = field(default_factory=list)
    postings_reason: str | None = None
    references: list[ReferenceRow] = field(default_factory=list)
    references_reason: str | None = None
    premiums: list[PremiumRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    by_seniority: list[GroupPay] = field(default_factory=list)
    by_metro: list[GroupPay] = field(default_factory=list)
    by_employer: list[GroupPay] = field(default_factory=list)
    requirements: RequirementsSummary | None = None
    requirements_reason: str | None = None
    quarantine_rows: list[QuarantineRow] = field(default_factory=list)
    duplicate_clusters: int = 0
    duplicate_postings: int = 0
    runs: list[RunRow] = field(default_factory=list)
    boards: list[BoardRow] = field(default_factory=list)
    employers: list[EmployerRow] = field(default_factory=list)
    top_postings: list[Posting] = field(default_factory=list)
    # live | sandbox | mixed (a database from before the two were kept apart): pipeline.origin
    origin: str = LIVE

    @property
    def sandbox(self) -> bool:
        """Sandbox data is in it: every figure must say so."""
        return self.origin != LIVE

    @property
    def banner(self) -> str | None:
        if self.origin == SANDBOX:
            return SANDBOX_BANNER
        if self.origin == MIXED:
            return (
                "Mixed data: this database holds sandbox runs (generated and recorded pages "
                "served on 127.0.0.1) beside live ones, from before secjobs kept them apart; "
                "`secjobs db drop-sandbox` removes them"
            )
        return None

    @property
    def observed_label(self) -> str:
        """The heading of the observed-figure column: never "Live" for sandbox figures."""
        return "Live" if self.origin == LIVE else "Observed"

    @property
    def family_median(self) -> float | None:
        return stats.median(self.family_pay) if self.family_pay else None

    @property
    def duplicates_merged(self) -> int:
        return self.duplicate_postings - self.duplicate_clusters

    @property
    def article_premium_pct(self) -> float | None:
        return premium.article_premium_pct(self.baselines)


def load_report_data(
    session: Session, *, include_parsed: bool = False, now: datetime | None = None
) -> ReportData:
    """Everything the report shows. ``include_parsed`` adds pay found in descriptions."""
    now = now or datetime.now().astimezone()
    origins = pay_origins(include_parsed)
    # Read once, shared by the sections below.
    runs = stored.runs_in_order(session)
    crawls = stored.latest_crawls(session)
    figures = stored.salary_figures(session)
    family = read_family_pay(session, origins)
    sample = family.sample()  # today's: open, duplicates merged
    us_pay, sf_pay = family.us_pay(sample), family.sf_pay(sample)

    checks = quality.load(session, crawls, runs, origins)
    top = overview.load(session, runs, origins, checks.postings_with_pay)
    article = baselines.load(session, crawls, figures, us_pay, sf_pay)
    asked = requirements.load(session)
    pay = distribution.load(session, family, sample, BOX_VALUES)
    postings_reason = distribution.why_empty(
        session, checks.postings_stored, asked.family_postings, len(sample), include_parsed
    )
    return ReportData(
        generated_at=now,
        run_id=top.run_id,
        run_started=top.run_started,
        baselines=article.rows,
        sources=checks.sources,
        postings_total=checks.postings_stored,
        postings_with_pay=checks.postings_with_pay,
        median_annual_usd=top.median_annual_usd,
        estimates_excluded=checks.estimates_excluded,
        flagged_pay=checks.flagged_pay,
        quarantine={q.reason: q.records for q in checks.quarantine},
        include_parsed=include_parsed,
        cpi_latest_month=article.cpi_latest_month,
        cpi_reason=article.cpi_reason,
        baselines_reason=article.reason,
        family_postings=asked.family_postings,
        family_pay=pay.pay,
        postings_reason=postings_reason,
        references=article.references,
        references_reason=article.references_reason,
        premiums=premium.load(figures, us_pay, sf_pay),
        trend=trend.load(article.rows, figures, runs, family, naive_utc(now)),
        by_seniority=pay.by_seniority,
        by_metro=pay.by_metro,
        by_employer=pay.by_employer,
        requirements=asked.summary,
        requirements_reason=requirements.why_empty(asked, postings_reason),
        quarantine_rows=checks.quarantine,
        duplicate_clusters=checks.duplicate_clusters,
        duplicate_postings=checks.duplicate_postings,
        runs=checks.runs,
        boards=checks.boards,
        employers=checks.employers,
        top_postings=pay.top_postings,
        origin=_origin({run.origin for run in runs}),
    )


def _origin(origins: set[str]) -> str:
    """What the stored runs' origins make the report's data: live, sandbox or mixed."""
    if origins == {SANDBOX}:
        return SANDBOX
    return MIXED if SANDBOX in origins else LIVE
