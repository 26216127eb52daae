"""What the report shows, read from the database into plain dataclasses.

Every section works on whatever is stored: empty tables and cleaning columns not filled yet give
a section with ``empty_reason`` saying why, never an exception. It scales with what is stored:
postings are counted, grouped and sorted by the database (SQLAlchemy Core), and only the pay of
security-manager postings is read, into NumPy arrays.
"""

from __future__ import annotations

import json
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from dashboards import stats
from dashboards.requirements import RequirementsSummary, summarize_counted
from pipeline.baselines import DEFAULT_DATASET, load_baselines
from pipeline.inflation import CPI_U_SERIES, Restated, beats_inflation, in_todays_dollars
from pipeline.models import (
    Baseline,
    JobPostingRecord,
    PipelineRun,
    PriceIndex,
    QuarantineRecord,
    SalaryObservation,
    SourceCrawl,
)
from pipeline.origin import LIVE, MIXED, SANDBOX, SANDBOX_BANNER, stored_origins
from pipeline.postings import UNUSABLE_PAY_FLAGS

SOURCE_NAMES = {
    "comparably": "Comparably",
    "ziprecruiter": "ZipRecruiter",
    "glassdoor": "Glassdoor",
    "greenhouse": "Greenhouse",
    "careers": "Career sites",
    "bls_oews": "BLS OEWS",
    "bls_cpi": "BLS CPI-U",
    "payscale": "PayScale",
    "salarycom": "Salary.com",
    "lever": "Lever",
    "ashby": "Ashby",
    "smartrecruiters": "SmartRecruiters",
    "workable": "Workable",
    "usajobs": "USAJOBS",
    "adzuna": "Adzuna",
    "remoteok": "Remote OK",
    "remotive": "Remotive",
    "ecb_fx": "ECB exchange rates",
    "postings": "Job postings",
}
# Sources whose terms ask reports that show their listings to name and link them.
ATTRIBUTION = {
    "adzuna": ("Jobs by Adzuna", "https://www.adzuna.com/"),
    "remoteok": ("Remote OK", "https://remoteok.com/"),
    "remotive": ("Remotive", "https://remotive.com/"),
}
FAMILY = "security_manager"
SF_METRO = "41860"
SF_GEOGRAPHY = "San Francisco, CA"
US_GEOGRAPHIES = {"US", "USA", "U.S.", "United States", "National"}
US_COUNTRIES = {"US", "USA", "United States", "United States of America"}
BLS_SOURCE = "bls_oews"
SOC_TITLES = {
    "11-3021": "Computer and information systems managers",
    "15-1212": "Information security analysts",
}
# The order in which a source's "average"-like figure is taken for a premium.
AVERAGE_METRICS = ("average", "mean", "median")


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


def is_sf(geography: str) -> bool:
    return geography == SF_GEOGRAPHY or "San Francisco" in geography or SF_METRO in geography


def _naive_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes, PostgreSQL aware ones: compare both as naive UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


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
    status: str  # live | no live data yet | blocked | failed
    reason: str | None
    restated: Restated | None = None
    postings: stats.Estimate | None = None
    postings_statistic: str | None = None
    postings_reason: str | None = None

    @property
    def change(self) -> float | None:
        return None if self.live is None else self.live - self.baseline

    @property
    def change_pct(self) -> float | None:
        return None if self.live is None else 100 * (self.live - self.baseline) / self.baseline

    @property
    def baseline_today(self) -> float | None:
        return self.restated.value if self.restated else None

    @property
    def beats_inflation(self) -> bool | None:
        return beats_inflation(self.live, self.restated)

    @property
    def real_change_pct(self) -> float | None:
        if self.live is None or self.restated is None:
            return None
        return 100 * (self.live / self.restated.value - 1)


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
class ReferenceRow:
    """An official figure (BLS OEWS) for a SOC code."""

    soc_code: str
    occupation: str
    geography: str
    metric: str
    value: float
    observed_on: date


@dataclass(frozen=True)
class PremiumRow:
    """San Francisco vs US for one source."""

    source: str
    label: str
    us: float | None
    sf: float | None
    premium: stats.Estimate | None
    observed_on: date | None
    reason: str | None

    @property
    def premium_pct(self) -> float | None:
        return self.premium.value if self.premium else None


@dataclass(frozen=True)
class TrendPoint:
    series: str  # e.g. "Comparably average (US)"
    group: str  # which chart: average | high | premium | postings
    when: date
    value: float
    n: int | None = None
    kind: str = "live"  # article | live | postings


@dataclass(frozen=True)
class BoxStats:
    """What a box plot draws, for a group too large to hand every value to the chart."""

    q1: float
    median: float
    q3: float
    lower_fence: float
    upper_fence: float
    outliers: tuple[float, ...]  # distinct values beyond the fences


@dataclass(frozen=True)
class GroupPay:
    """Pay of one group of postings (a metro, an employer, a seniority)."""

    label: str
    n: int
    median: float
    low: float
    high: float
    values: tuple[float, ...] = ()  # every value, sorted, up to BOX_VALUES of them
    box: BoxStats | None = None  # instead of the values above that


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
        us = next(
            (b for b in self.baselines if b.geography == "US" and b.metric == "average"), None
        )
        sf = next((b for b in self.baselines if is_sf(b.geography) and b.metric == "average"), None)
        if us is None or sf is None or us.source != sf.source:
            return None
        return 100 * (sf.baseline / us.baseline - 1)


@dataclass(frozen=True)
class Posting:
    """The columns of one posting the report needs."""

    source: str
    title: str
    company: str | None
    family: str | None
    seniority: str | None
    country: str | None
    metro_code: str | None
    metro_name: str | None
    pay_origin: str | None
    pay_flag: str | None
    annual: float | None  # midpoint of the annual USD range
    status: str
    first_seen: datetime
    closed_at: datetime | None
    cluster_id: str | None
    requirements: Any

    def usable(self, origins: frozenset[str]) -> bool:
        return (
            self.annual is not None
            and self.pay_origin in origins
            and self.pay_flag not in UNUSABLE_PAY_FLAGS
        )

    @property
    def in_us(self) -> bool:
        # Cleaning may not have set the country yet; pay in annual USD is then taken as US.
        return self.country is None or self.country in US_COUNTRIES


# Postings are counted, grouped and sorted in SQL. Only security-manager postings with usable
# pay (open or closed) are read one by one, from ix_job_posting_report_family and streamed into
# NumPy arrays: the report of a million stored postings holds a few megabytes of them.
PARTITION_ROWS = 20_000
# Box plots of larger groups are drawn from their quartiles rather than from every value.
BOX_VALUES = 1_000
P = JobPostingRecord
_OPEN = P.status == "open"
_FAMILY_OPEN = and_(P.title_family == FAMILY, _OPEN)
_CLUSTERED = and_(P.cluster_id.is_not(None), P.cluster_id != "")
# Duplicates merged: of the open security-manager postings of one dedupe cluster, the first
# stored stays; postings without a cluster all stay.
_FIRST_OF_CLUSTER = or_(
    P.cluster_id.is_(None),
    P.cluster_id == "",
    P.id.in_(select(func.min(P.id)).where(_FAMILY_OPEN, _CLUSTERED).group_by(P.cluster_id)),
)
_ANNUAL = case(  # the midpoint of the annual USD range, or the one end stated
    (
        and_(P.annual_min_usd.is_not(None), P.annual_max_usd.is_not(None)),
        (P.annual_min_usd + P.annual_max_usd) / 2.0,
    ),
    else_=func.coalesce(P.annual_min_usd, P.annual_max_usd),
)


def _usable(origins: frozenset[str]) -> ColumnElement[bool]:
    """Pay that is averaged: annual USD, of an origin counted, not flagged unusable."""
    return and_(
        or_(P.annual_min_usd.is_not(None), P.annual_max_usd.is_not(None)),
        P.pay_origin.in_(sorted(origins)),
        or_(P.pay_flag.is_(None), P.pay_flag.not_in(sorted(UNUSABLE_PAY_FLAGS))),
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


@dataclass(frozen=True)
class SourceCounts:
    stored: int
    open: int
    usable_pay: int
    estimates: int
    flagged: int


def _source_counts(session: Session, origins: frozenset[str]) -> dict[str, SourceCounts]:
    rows = session.execute(
        select(
            P.source,
            func.count(),
            _count_if(_OPEN),
            _count_if(and_(_OPEN, _usable(origins))),
            _count_if(P.pay_origin == "estimate"),
            _count_if(and_(P.pay_flag.is_not(None), P.pay_flag != "")),
        ).group_by(P.source)
    ).all()
    return {source: SourceCounts(*counts) for source, *counts in rows}


def _median_in_sql(session: Session, where: ColumnElement[bool], n: int) -> float | None:
    """The median annual pay of the ``n`` postings matching ``where``, sorted by the database."""
    if not n:
        return None
    middle = session.scalars(
        select(_ANNUAL).where(where).order_by(_ANNUAL).offset((n - 1) // 2).limit(2 - n % 2)
    ).all()
    return middle[0] if n % 2 else (middle[0] + middle[1]) / 2


def _flagged_pay(session: Session) -> dict[str, int]:
    """Postings per pay flag, most first; ties in the order the flags were first stored."""
    n = func.count()
    rows = session.execute(
        select(P.pay_flag, n)
        .where(P.pay_flag.is_not(None), P.pay_flag != "")
        .group_by(P.pay_flag)
        .order_by(n.desc(), func.min(P.id))
    ).all()
    return {flag: count for flag, count in rows}


def _duplicates(session: Session) -> tuple[int, int]:
    """(dedupe clusters shared by several postings, postings in them)."""
    shared = (
        select(func.count().label("n"))
        .where(_CLUSTERED)
        .group_by(P.cluster_id)
        .having(func.count() > 1)
        .subquery()
    )
    clusters, postings = session.execute(
        select(func.count(), func.coalesce(func.sum(shared.c.n), 0))
    ).one()
    return clusters, int(postings)


def _family_requirements(session: Session) -> tuple[int, RequirementsSummary | None]:
    """(open security-manager postings, duplicates merged; what they ask for). Each distinct
    stored requirements document is read once, with the number of postings that have it."""
    document = cast(P.requirements, Text)  # JSON has no equality in PostgreSQL; its text has
    rows = session.execute(
        select(document, func.count()).where(_FAMILY_OPEN, _FIRST_OF_CLUSTER).group_by(document)
    ).all()
    postings = sum(n for _, n in rows)
    if not postings:
        return 0, None
    documents = ((None if text is None else json.loads(text), n) for text, n in rows)
    return postings, summarize_counted(documents)


class _Codes:
    """Strings as integer codes, in the order first seen; -1 for a missing or empty one."""

    def __init__(self) -> None:
        self.index: dict[str | None, int] = {}

    def encode(self, values: Sequence[str | None]) -> np.ndarray:
        index = self.index
        return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)

    @property
    def missing(self) -> int:
        """A code that stands for no string (one past the last)."""
        return len(self.index)

    def finish(self, codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """(codes with -1 for missing or empty strings, labels of the codes)."""
        labels = list(self.index)
        present = np.array([bool(label) for label in labels] + [False])  # + ``missing``
        renumber = np.where(present, np.cumsum(present) - 1, -1)
        return renumber[codes], [label for label in labels if label]


@dataclass
class FamilyPay:
    """Security-manager postings with usable pay, open or closed, in the order stored."""

    annual: np.ndarray  # annual USD, midpoint of the range
    open: np.ndarray  # bool
    first_of_cluster: np.ndarray  # bool: stays when open duplicates are merged
    in_us: np.ndarray  # bool
    in_sf: np.ndarray  # bool: the San Francisco metro
    first_seen: np.ndarray  # datetime64[us], naive UTC
    closed_at: np.ndarray  # datetime64[us], NaT while open
    ids: np.ndarray
    cluster: np.ndarray  # codes of cluster_id
    seniority: np.ndarray  # codes; labels in ``labels``
    company: np.ndarray
    metro: np.ndarray  # codes of the metro's name, else its CBSA code
    labels: dict[str, list[str]]

    def sample(self) -> np.ndarray:
        """Indices of today's sample: open, duplicates merged."""
        return np.flatnonzero(self.open & self.first_of_cluster)


def _datetimes(values: Sequence[str | datetime | None]) -> np.ndarray:
    """Naive UTC datetimes. SQLite's stored text is parsed by NumPy (one datetime object per
    value would cost more than the query); PostgreSQL hands back aware datetimes."""
    if isinstance(next((v for v in values if v is not None), None), str):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # text with a UTC offset: parsed below
                return np.array(values, dtype="datetime64[us]")
        except (ValueError, UserWarning):
            values = [None if v is None else datetime.fromisoformat(v) for v in values]
    return np.array([_naive_utc(v) for v in values], dtype="datetime64[us]")


def _read_columns(session: Session, stmt: Select, kinds: Sequence[Any]) -> list[np.ndarray]:
    """Stream the rows of ``stmt`` into one NumPy array per column. A kind is a dtype,
    ``"datetime"`` (see ``_datetimes``) or a ``_Codes`` the strings are encoded with."""
    parts: list[list[np.ndarray]] = [[] for _ in kinds]
    result = session.connection().execute(stmt.execution_options(yield_per=PARTITION_ROWS))
    for rows in result.partitions():
        for part, kind, values in zip(parts, kinds, zip(*rows, strict=True), strict=True):
            if isinstance(kind, _Codes):
                part.append(kind.encode(values))
            elif kind == "datetime":
                part.append(_datetimes(values))
            else:
                part.append(np.array(values, dtype=kind))
    empty = {"datetime": "datetime64[us]"}
    return [
        np.concatenate(part)
        if part
        else np.array([], dtype=np.int64 if isinstance(kind, _Codes) else empty.get(kind, kind))
        for part, kind in zip(parts, kinds, strict=True)
    ]


def _family_pay(session: Session, origins: frozenset[str]) -> FamilyPay:
    family = and_(P.title_family == FAMILY, _usable(origins))
    codes = {key: _Codes() for key in ("cluster", "seniority", "company", "metro")}
    # Every column here is in ix_job_posting_report_family, so the database reads the index
    # alone. Not ordered by id: NumPy sorts them.
    columns = _read_columns(
        session,
        select(
            P.id,
            _ANNUAL,
            type_coerce(_OPEN, Integer),  # flags as integers: no conversion per value
            type_coerce(or_(P.country.is_(None), P.country.in_(sorted(US_COUNTRIES))), Integer),
            type_coerce(func.coalesce(P.metro_code == SF_METRO, False), Integer),
            type_coerce(P.first_seen, String),  # see _datetimes
            type_coerce(P.closed_at, String),
            P.cluster_id,
            P.seniority,
            func.coalesce(func.nullif(P.metro_name, ""), P.metro_code),
        ).where(family),
        (np.int64, float, bool, bool, bool, "datetime", "datetime")
        + (codes["cluster"], codes["seniority"], codes["metro"]),
    )
    stored = np.argsort(columns[0], kind="stable")  # in the order stored (by id)
    ids, annual, open_, in_us, in_sf, first_seen, closed_at, cluster, seniority, metro = (
        column[stored] for column in columns
    )
    # Employers (scraped text of any length, kept out of the index) of the open ones.
    company_ids, company_codes = _read_columns(
        session,
        select(P.id, P.company).where(family, _OPEN),
        (np.int64, codes["company"]),
    )
    company = np.full(len(ids), codes["company"].missing, dtype=np.int64)
    at = np.searchsorted(ids, company_ids)
    found = at < len(ids)  # a posting stored between the two queries is left out
    found[found] = ids[at[found]] == company_ids[found]
    company[at[found]] = company_codes[found]
    labels = {}
    cluster, labels["cluster"] = codes["cluster"].finish(cluster)
    seniority, labels["seniority"] = codes["seniority"].finish(seniority)
    company, labels["company"] = codes["company"].finish(company)
    metro, labels["metro"] = codes["metro"].finish(metro)
    # Which open postings stay when duplicates are merged: the first of each cluster among
    # all open security-manager postings, with or without usable pay.
    (firsts,) = _read_columns(
        session,
        select(func.min(P.id)).where(_FAMILY_OPEN, _CLUSTERED).group_by(P.cluster_id),
        (np.int64,),
    )
    first_of_cluster = (cluster < 0) | np.isin(ids, firsts)
    return FamilyPay(
        annual,
        open_,
        first_of_cluster,
        in_us,
        in_sf,
        first_seen,
        closed_at,
        ids,
        cluster,
        seniority,
        company,
        metro,
        labels,
    )


def _first_of_clusters(rows: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """``rows`` (in the order stored) with duplicates merged: the first of each cluster."""
    codes = cluster[rows]
    keep = codes < 0
    keep[np.unique(codes, return_index=True)[1]] = True
    return rows[keep]


def _posting_estimates(
    metrics: Sequence[str], us: np.ndarray, sf: np.ndarray
) -> dict[tuple[bool, str], tuple[stats.Estimate | None, str | None, str | None]]:
    """(estimate, statistic name, reason when there is none) per (San Francisco?, metric);
    each sample is resampled once for all the statistics asked of it."""
    out = {}
    for in_sf, values in ((False, us), (True, sf)):
        wanted = {
            name: statistic
            for metric in metrics
            if metric in stats.METRIC_STATISTICS
            for name, statistic in [stats.METRIC_STATISTICS[metric]]
        }
        found = (
            dict(zip(wanted, stats.estimates(values, list(wanted.values())), strict=True))
            if wanted and len(values)
            else {}
        )
        where = "in the San Francisco metro (41860)" if in_sf else "in the US"
        for metric in metrics:
            if metric not in stats.METRIC_STATISTICS:
                reason = f"no posting statistic matches the metric {metric!r}"
                out[(in_sf, metric)] = (None, None, reason)
                continue
            name = stats.METRIC_STATISTICS[metric][0]
            if not len(values):
                reason = f"no security-manager posting with usable pay {where} yet"
                out[(in_sf, metric)] = (None, name, reason)
            else:
                out[(in_sf, metric)] = (found[name], name, None)
    return out


def _baseline_rows(
    session: Session,
    crawls: dict[str, SourceCrawl],
    observations: Sequence[SalaryObservation],
    cpi: dict[date, float],
    us: np.ndarray,
    sf: np.ndarray,
) -> list[BaselineRow]:
    stored = session.scalars(
        select(Baseline)
        .where(Baseline.dataset == load_baselines(DEFAULT_DATASET)[0].dataset)
        .order_by(Baseline.id)
    ).all()
    latest: dict[tuple, SalaryObservation] = {}
    for o in observations:  # in date order: the last one seen is the latest
        latest[(o.source, o.metric, o.geography, o.period, o.currency)] = o
    postings = _posting_estimates(sorted({b.metric for b in stored}), us, sf)
    rows = []
    for base in stored:
        live = latest.get((base.source, base.metric, base.geography, base.period, base.currency))
        crawl = crawls.get(base.source)
        if live is not None:
            status, reason = live.origin, None  # "sandbox" for a sandbox figure, never "live"
        elif crawl is not None and crawl.status in ("blocked", "failed", "skipped"):
            status, reason = crawl.status, crawl.reason
        else:
            status = "no live data yet"
            reason = f"no {source_name(base.source)} salary figure collected yet"
        estimate, statistic, postings_reason = postings[(is_sf(base.geography), base.metric)]
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
                restated=in_todays_dollars(base.value, cpi, base.as_of),
                postings=estimate,
                postings_statistic=statistic,
                postings_reason=postings_reason,
            )
        )
    return rows


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


def _cpi(session: Session) -> dict[date, float]:
    rows = session.execute(
        select(PriceIndex.period, PriceIndex.value).where(PriceIndex.series_id == CPI_U_SERIES)
    ).all()
    return {period.replace(day=1): value for period, value in rows}


def _observations(session: Session) -> list[SalaryObservation]:
    return list(
        session.scalars(
            select(SalaryObservation).order_by(SalaryObservation.observed_on, SalaryObservation.id)
        )
    )


def _references(observations: Sequence[SalaryObservation]) -> list[ReferenceRow]:
    latest: dict[tuple[str, str, str], SalaryObservation] = {}
    for o in observations:
        if o.source == BLS_SOURCE and o.role_query in SOC_TITLES:
            latest[(o.role_query, o.geography, o.metric)] = o
    return [
        ReferenceRow(
            o.role_query, SOC_TITLES[o.role_query], o.geography, o.metric, o.value, o.observed_on
        )
        for _, o in sorted(latest.items(), key=lambda kv: (kv[0][0], is_sf(kv[0][1]), kv[0]))
    ]


def _pick_average(observations: Sequence[SalaryObservation]) -> dict[str, SalaryObservation]:
    """The latest US and San Francisco figures of the first average-like metric both have."""
    for metric in AVERAGE_METRICS:
        same = [
            o
            for o in observations
            if o.metric == metric and o.period == "year" and o.currency == "USD"
        ]
        us = [o for o in same if o.geography in US_GEOGRAPHIES]
        sf = [o for o in same if is_sf(o.geography)]
        if us and sf:
            return {"US": us[-1], "SF": sf[-1]}
    return {}


def _figure_premium(
    source: str, label: str, named: str, observations: list[SalaryObservation]
) -> PremiumRow:
    """San Francisco over the US from one source's published averages, or why not yet."""
    picked = _pick_average(observations)
    if not picked:
        reason = f"no {named} figure for both San Francisco and the US yet"
        return PremiumRow(source, label, None, None, None, None, reason)
    us, sf = picked["US"].value, picked["SF"].value
    on = max(picked["US"].observed_on, picked["SF"].observed_on)
    premium = stats.Estimate(100 * (sf / us - 1), 1, None, None)
    return PremiumRow(source, label, us, sf, premium, on, None)


def _premiums(
    observations: Sequence[SalaryObservation], us_pay: np.ndarray, sf_pay: np.ndarray
) -> list[PremiumRow]:
    rows = []
    groups: dict[tuple[str, str], list[SalaryObservation]] = defaultdict(list)
    for o in observations:
        if o.source == BLS_SOURCE and o.role_query not in SOC_TITLES:
            continue
        groups[(o.source, o.role_query if o.source == BLS_SOURCE else "")].append(o)
    for source in ("comparably", "ziprecruiter", "glassdoor"):
        rows.append(
            _figure_premium(
                source,
                f"{source_name(source)} average",
                source_name(source),
                groups.get((source, ""), []),
            )
        )
    for soc, title in SOC_TITLES.items():
        rows.append(
            _figure_premium(
                BLS_SOURCE,
                f"BLS OEWS {soc} {title.lower()}",
                f"BLS OEWS {soc}",
                groups.get((BLS_SOURCE, soc), []),
            )
        )
    label = "Job postings, mean of posted pay"
    if len(sf_pay) and len(us_pay):
        premium = stats.ratio_estimate(sf_pay, us_pay)
        mean_us, mean_sf = stats.mean(us_pay), stats.mean(sf_pay)
        rows.append(PremiumRow("postings", label, mean_us, mean_sf, premium, None, None))
    else:
        reason = (
            "no security-manager posting with usable pay in the San Francisco metro (41860) yet"
            if len(us_pay)
            else "no security-manager posting with usable pay yet"
        )
        rows.append(PremiumRow("postings", label, None, None, None, None, reason))
    return rows


def _observation_trend(
    baselines: Sequence[BaselineRow], observations: Sequence[SalaryObservation]
) -> list[TrendPoint]:
    points = []
    for base in baselines:
        series = f"{source_name(base.source)} {base.metric} ({base.geography})"
        group = "high" if base.metric == "high" else "average"
        points.append(TrendPoint(series, group, base.as_of, base.baseline, None, "article"))
        for o in observations:
            if (o.source, o.metric, o.geography, o.period, o.currency) == (
                base.source,
                base.metric,
                base.geography,
                "year",
                "USD",
            ):
                points.append(TrendPoint(series, group, o.observed_on, o.value))
    for o in observations:
        if (
            o.source == BLS_SOURCE
            and o.role_query in SOC_TITLES
            and o.metric in AVERAGE_METRICS
            and o.geography in US_GEOGRAPHIES
        ):
            series = f"BLS OEWS {o.role_query} {o.metric} (US)"
            points.append(TrendPoint(series, "average", o.observed_on, o.value))
    # San Francisco premium per source and day where both figures exist.
    by_day: dict[tuple[str, str, date], dict[str, float]] = defaultdict(dict)
    for o in observations:
        if o.metric == "average" and o.source in ("comparably", "ziprecruiter", "glassdoor"):
            key = "SF" if is_sf(o.geography) else "US" if o.geography in US_GEOGRAPHIES else None
            if key:
                by_day[(o.source, o.metric, o.observed_on)][key] = o.value
    article_premium: dict[str, TrendPoint] = {}
    us_base = {b.source: b for b in baselines if b.geography == "US" and b.metric == "average"}
    for b in baselines:
        if is_sf(b.geography) and b.metric == "average" and b.source in us_base:
            pct = 100 * (b.baseline / us_base[b.source].baseline - 1)
            series = f"{source_name(b.source)} SF premium"
            article_premium[b.source] = TrendPoint(series, "premium", b.as_of, pct, None, "article")
    points.extend(article_premium.values())
    for (source, _metric, day), values in sorted(by_day.items()):
        if "SF" in values and "US" in values:
            pct = 100 * (values["SF"] / values["US"] - 1)
            points.append(TrendPoint(f"{source_name(source)} SF premium", "premium", day, pct))
    return points


def _postings_trend(
    runs: Sequence[PipelineRun], family: FamilyPay, now: datetime
) -> list[TrendPoint]:
    """The posting statistics as they stood at the end of each run, from first_seen/closed_at."""
    points = []
    ordered = sorted(runs, key=lambda r: (_naive_utc(r.started_at), r.id))
    for i, run in enumerate(ordered):
        following = _naive_utc(ordered[i + 1].started_at) if i + 1 < len(ordered) else None
        cutoff = np.datetime64(_naive_utc(run.finished_at) or following or now, "us")
        alive = (family.first_seen <= cutoff) & (
            np.isnat(family.closed_at) | (family.closed_at > cutoff)
        )
        kept = _first_of_clusters(np.flatnonzero(alive), family.cluster)
        day = _naive_utc(run.started_at).date()
        us = family.annual[kept[family.in_us[kept]]]
        sf = family.annual[kept[family.in_sf[kept]]]
        if len(us):
            n = len(us)
            points.append(
                TrendPoint("Postings mean (US)", "average", day, stats.mean(us), n, "postings")
            )
            points.append(
                TrendPoint("Postings median (US)", "average", day, stats.median(us), n, "postings")
            )
            points.append(
                TrendPoint(
                    "Postings 90th percentile (US)", "high", day, stats.p90(us), n, "postings"
                )
            )
        if len(us) and len(sf):
            pct = 100 * (stats.mean(sf) / stats.mean(us) - 1)
            points.append(
                TrendPoint("Postings SF premium", "premium", day, pct, len(sf), "postings")
            )
    return points


def _box(ordered: np.ndarray) -> BoxStats:
    """The figures Plotly draws a box from (its default ``linear`` quartiles, whiskers to the
    last value within 1.5 IQR), and the distinct values beyond the whiskers."""
    n = len(ordered)

    def quantile(p: float) -> float:
        position = min(max(p * n - 0.5, 0), n - 1)
        low = int(position)
        high = min(low + 1, n - 1)
        return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))

    q1, median, q3 = quantile(0.25), quantile(0.5), quantile(0.75)
    iqr = q3 - q1
    inside = ordered[(ordered >= q1 - 1.5 * iqr) & (ordered <= q3 + 1.5 * iqr)]
    low = min(q1, float(inside[0])) if len(inside) else q1
    high = max(q3, float(inside[-1])) if len(inside) else q3
    outliers = np.unique(ordered[(ordered < low) | (ordered > high)])
    return BoxStats(q1, median, q3, low, high, tuple(outliers.tolist()))


def _group_pay(
    values: np.ndarray, codes: np.ndarray, labels: Sequence[str], limit: int
) -> list[GroupPay]:
    """Pay per group (codes of ``labels``; -1 is no group): the groups with most postings,
    then ranked by median pay (each shown with its n)."""
    grouped = codes >= 0
    codes, values = codes[grouped], values[grouped]
    if not len(codes):
        return []
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    sizes = ends - starts
    medians = (values[starts + (sizes - 1) // 2] + values[starts + sizes // 2]) / 2
    ranked = sorted(
        zip(sizes.tolist(), medians.tolist(), range(len(starts)), strict=True),
        key=lambda g: (-g[0], -g[1], labels[codes[starts[g[2]]]]),
    )[:limit]
    rows = []
    for n, median, g in ranked:
        ordered = values[starts[g] : ends[g]]
        small = n <= BOX_VALUES
        rows.append(
            GroupPay(
                labels[codes[starts[g]]],
                n,
                median,
                float(ordered[0]),
                float(ordered[-1]),
                tuple(ordered.tolist()) if small else (),
                None if small else _box(ordered),
            )
        )
    return sorted(rows, key=lambda g: (-g.median, -g.n, g.label))


SENIORITY_ORDER = ("intern", "junior", "mid", "senior", "lead", "manager", "director", "executive")


def _by_seniority(values: np.ndarray, codes: np.ndarray, labels: Sequence[str]) -> list[GroupPay]:
    rows = _group_pay(values, codes, labels, limit=20)
    rank = {name: i for i, name in enumerate(SENIORITY_ORDER)}
    return sorted(rows, key=lambda g: (rank.get(g.label, len(rank)), g.label))


def _top_postings(
    session: Session, family: FamilyPay, sample: np.ndarray, limit: int = 10
) -> list[Posting]:
    """The best-paid postings of the sample (ties by title), read back by id."""
    if not len(sample):
        return []
    annual = family.annual[sample]
    floor = np.sort(annual)[-min(limit, len(annual))]
    ids = family.ids[sample[annual >= floor]].tolist()
    columns = (
        P.id,
        P.source,
        P.title,
        P.company,
        P.title_family,
        P.seniority,
        P.country,
        P.metro_code,
        P.metro_name,
        P.pay_origin,
        P.pay_flag,
        _ANNUAL,
        P.status,
        P.first_seen,
        P.closed_at,
        P.cluster_id,
        P.requirements,
    )
    found = []
    for start in range(0, len(ids), 500):
        for row in session.execute(select(*columns).where(P.id.in_(ids[start : start + 500]))):
            id_, *values = row
            values[12], values[13] = _naive_utc(values[12]), _naive_utc(values[13])
            found.append((id_, Posting(*values)))
    found.sort(key=lambda f: (-f[1].annual, f[1].title, f[0]))  # ties in the order stored
    return [posting for _, posting in found[:limit]]


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


def _runs(session: Session, runs: Sequence[PipelineRun]) -> list[RunRow]:
    def count(run: PipelineRun, key: str) -> int | None:
        value = (run.counts or {}).get(key)
        return value if isinstance(value, int) else None

    return [
        RunRow(
            r.run_id, r.started_at, r.status, count(r, "postings_stored"), count(r, "quarantined")
        )
        for r in sorted(runs, key=lambda r: (_naive_utc(r.started_at), r.id), reverse=True)
    ]


def load_report_data(
    session: Session, *, include_parsed: bool = False, now: datetime | None = None
) -> ReportData:
    """Everything the report shows. ``include_parsed`` adds pay found in descriptions."""
    now = now or datetime.now().astimezone()
    origins = frozenset({"posted", "parsed"} if include_parsed else {"posted"})
    run = _latest_run(session)
    runs = list(session.scalars(select(PipelineRun)))
    crawls = _latest_crawls(session)
    observations = _observations(session)
    cpi = _cpi(session)

    counts = _source_counts(session, origins)
    postings_total = sum(c.stored for c in counts.values())
    postings_with_pay = sum(c.usable_pay for c in counts.values())
    family_postings, requirements = _family_requirements(session) if postings_total else (0, None)
    family = _family_pay(session, origins)
    sample = family.sample()
    us = family.annual[sample[family.in_us[sample]]]
    sf = family.annual[sample[family.in_sf[sample]]]
    if not postings_total:
        postings_reason = "no postings stored yet"
    elif (
        session.scalar(
            select(P.id).where(P.title_family.is_not(None), P.title_family != "").limit(1)
        )
        is None
    ):
        postings_reason = "postings are not classified by title family yet"
    elif not family_postings:
        postings_reason = "no open security-manager posting stored"
    elif not len(sample):
        kinds = "posted or parsed" if include_parsed else "posted"
        postings_reason = f"no open security-manager posting has usable {kinds} annual USD pay"
    else:
        postings_reason = None

    baselines = _baseline_rows(session, crawls, observations, cpi, us, sf)
    if not cpi:
        cpi_reason = f"no CPI-U ({CPI_U_SERIES}) values stored yet"
    elif not any(b.restated for b in baselines):
        cpi_reason = f"CPI-U ({CPI_U_SERIES}) for January 2022 is not stored"
    else:
        cpi_reason = None

    references = _references(observations)
    if not family_postings:
        requirements_reason = postings_reason or "no open security-manager posting stored"
    elif requirements and not requirements.analysed:
        requirements_reason = "requirements have not been extracted from these postings yet"
    else:
        requirements_reason = None

    duplicate_clusters, duplicate_postings = _duplicates(session)
    quarantine_rows = _quarantine_rows(session)
    trend = _observation_trend(baselines, observations) + _postings_trend(
        runs, family, _naive_utc(now)
    )
    values = family.annual[sample]
    return ReportData(
        generated_at=now,
        run_id=run.run_id if run else None,
        run_started=run.started_at if run else None,
        baselines=baselines,
        sources=_source_rows(crawls, counts),
        postings_total=postings_total,
        postings_with_pay=postings_with_pay,
        median_annual_usd=_median_in_sql(session, and_(_OPEN, _usable(origins)), postings_with_pay),
        estimates_excluded=sum(c.estimates for c in counts.values()),
        flagged_pay=_flagged_pay(session),
        quarantine={q.reason: q.records for q in quarantine_rows},
        include_parsed=include_parsed,
        cpi_latest_month=max(cpi) if cpi else None,
        cpi_reason=cpi_reason,
        baselines_reason=None if baselines else "the article's baselines are not stored yet",
        family_postings=family_postings,
        family_pay=np.sort(values).tolist(),
        postings_reason=postings_reason,
        references=references,
        references_reason=None
        if references
        else "no BLS OEWS figure for 11-3021 or 15-1212 stored yet",
        premiums=_premiums(observations, us, sf),
        trend=trend,
        by_seniority=_by_seniority(values, family.seniority[sample], family.labels["seniority"]),
        by_metro=_group_pay(values, family.metro[sample], family.labels["metro"], limit=10),
        by_employer=_group_pay(values, family.company[sample], family.labels["company"], limit=10),
        requirements=requirements,
        requirements_reason=requirements_reason,
        quarantine_rows=quarantine_rows,
        duplicate_clusters=duplicate_clusters,
        duplicate_postings=duplicate_postings,
        runs=_runs(session, runs),
        top_postings=_top_postings(session, family, sample),
        origin=_origin(session),
    )


def _origin(session: Session) -> str:
    origins = {origin for origin, runs in stored_origins(session).items() if runs}
    if origins == {SANDBOX}:
        return SANDBOX
    return MIXED if SANDBOX in origins else LIVE
