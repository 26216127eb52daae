"""What the report shows, read from the database into plain dataclasses.

Every section works on whatever is stored: empty tables and cleaning columns not filled yet give
a section with ``empty_reason`` saying why, never an exception.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboards import stats
from dashboards.requirements import RequirementsSummary, summarize
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
class GroupPay:
    """Pay of one group of postings (a metro, an employer, a seniority)."""

    label: str
    n: int
    median: float
    low: float
    high: float
    values: tuple[float, ...] = ()


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


def _midpoint(lo: float | None, hi: float | None) -> float | None:
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return lo if lo is not None else hi


def _load_postings(session: Session) -> list[Posting]:
    P = JobPostingRecord
    rows = session.execute(
        select(
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
            P.annual_min_usd,
            P.annual_max_usd,
            P.status,
            P.first_seen,
            P.closed_at,
            P.cluster_id,
            P.requirements,
        ).order_by(P.id)
    ).all()
    return [
        Posting(
            source=r.source,
            title=r.title,
            company=r.company,
            family=r.title_family,
            seniority=r.seniority,
            country=r.country,
            metro_code=r.metro_code,
            metro_name=r.metro_name,
            pay_origin=r.pay_origin,
            pay_flag=r.pay_flag,
            annual=_midpoint(r.annual_min_usd, r.annual_max_usd),
            status=r.status,
            first_seen=_naive_utc(r.first_seen),
            closed_at=_naive_utc(r.closed_at),
            cluster_id=r.cluster_id,
            requirements=r.requirements,
        )
        for r in rows
    ]


def merge_duplicates(postings: Sequence[Posting]) -> list[Posting]:
    """One posting per dedupe cluster (the first stored); unclustered postings stay."""
    seen: set[str] = set()
    kept = []
    for posting in postings:
        if posting.cluster_id:
            if posting.cluster_id in seen:
                continue
            seen.add(posting.cluster_id)
        kept.append(posting)
    return kept


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


def _posting_statistic(
    metric: str, geography: str, sample: Sequence[Posting]
) -> tuple[stats.Estimate | None, str | None, str | None]:
    """(estimate, statistic name, reason when there is none) for one published figure."""
    if metric not in stats.METRIC_STATISTICS:
        return None, None, f"no posting statistic matches the metric {metric!r}"
    name, statistic = stats.METRIC_STATISTICS[metric]
    if is_sf(geography):
        values = [p.annual for p in sample if p.metro_code == SF_METRO]
        where = "in the San Francisco metro (41860)"
    else:
        values = [p.annual for p in sample if p.in_us]
        where = "in the US"
    if not values:
        return None, name, f"no security-manager posting with usable pay {where} yet"
    return stats.estimate(values, statistic), name, None


def _baseline_rows(
    session: Session,
    crawls: dict[str, SourceCrawl],
    observations: Sequence[SalaryObservation],
    cpi: dict[date, float],
    sample: Sequence[Posting],
) -> list[BaselineRow]:
    stored = session.scalars(
        select(Baseline)
        .where(Baseline.dataset == load_baselines(DEFAULT_DATASET)[0].dataset)
        .order_by(Baseline.id)
    ).all()
    rows = []
    for base in stored:
        same = [
            o
            for o in observations
            if (o.source, o.metric, o.geography, o.period, o.currency)
            == (base.source, base.metric, base.geography, base.period, base.currency)
        ]
        live = same[-1] if same else None
        crawl = crawls.get(base.source)
        if live is not None:
            status, reason = "live", None
        elif crawl is not None and crawl.status in ("blocked", "failed", "skipped"):
            status, reason = crawl.status, crawl.reason
        else:
            status = "no live data yet"
            reason = f"no {source_name(base.source)} salary figure collected yet"
        estimate, statistic, postings_reason = _posting_statistic(
            base.metric, base.geography, sample
        )
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


def _premiums(
    observations: Sequence[SalaryObservation], sample: Sequence[Posting]
) -> list[PremiumRow]:
    rows = []
    groups: dict[tuple[str, str], list[SalaryObservation]] = defaultdict(list)
    for o in observations:
        if o.source == BLS_SOURCE and o.role_query not in SOC_TITLES:
            continue
        groups[(o.source, o.role_query if o.source == BLS_SOURCE else "")].append(o)
    for source in ("comparably", "ziprecruiter", "glassdoor"):
        picked = _pick_average(groups.get((source, ""), []))
        label = f"{source_name(source)} average"
        if picked:
            us, sf = picked["US"].value, picked["SF"].value
            on = max(picked["US"].observed_on, picked["SF"].observed_on)
            premium = stats.Estimate(100 * (sf / us - 1), 1, None, None)
            rows.append(PremiumRow(source, label, us, sf, premium, on, None))
        else:
            reason = f"no {source_name(source)} figure for both San Francisco and the US yet"
            rows.append(PremiumRow(source, label, None, None, None, None, reason))
    for soc, title in SOC_TITLES.items():
        picked = _pick_average(groups.get((BLS_SOURCE, soc), []))
        label = f"BLS OEWS {soc} {title.lower()}"
        if picked:
            us, sf = picked["US"].value, picked["SF"].value
            on = max(picked["US"].observed_on, picked["SF"].observed_on)
            premium = stats.Estimate(100 * (sf / us - 1), 1, None, None)
            rows.append(PremiumRow(BLS_SOURCE, label, us, sf, premium, on, None))
        else:
            reason = f"no BLS OEWS {soc} figure for both San Francisco and the US yet"
            rows.append(PremiumRow(BLS_SOURCE, label, None, None, None, None, reason))
    sf_values = [p.annual for p in sample if p.metro_code == SF_METRO]
    us_values = [p.annual for p in sample if p.in_us]
    label = "Job postings, mean of posted pay"
    if sf_values and us_values:
        premium = stats.ratio_estimate(sf_values, us_values)
        rows.append(
            PremiumRow(
                "postings", label, stats.mean(us_values), stats.mean(sf_values), premium, None, None
            )
        )
    else:
        reason = (
            "no security-manager posting with usable pay in the San Francisco metro (41860) yet"
            if us_values
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
    runs: Sequence[PipelineRun],
    postings: Sequence[Posting],
    origins: frozenset[str],
    now: datetime,
) -> list[TrendPoint]:
    """The posting statistics as they stood at the end of each run, from first_seen/closed_at."""
    points = []
    ordered = sorted(runs, key=lambda r: (_naive_utc(r.started_at), r.id))
    for i, run in enumerate(ordered):
        following = _naive_utc(ordered[i + 1].started_at) if i + 1 < len(ordered) else None
        cutoff = _naive_utc(run.finished_at) or following or now
        alive = merge_duplicates(
            [
                p
                for p in postings
                if p.family == FAMILY
                and p.first_seen <= cutoff
                and (p.closed_at is None or p.closed_at > cutoff)
                and p.usable(origins)
            ]
        )
        day = _naive_utc(run.started_at).date()
        us = [p.annual for p in alive if p.in_us]
        sf = [p.annual for p in alive if p.metro_code == SF_METRO]
        if us:
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
        if us and sf:
            pct = 100 * (stats.mean(sf) / stats.mean(us) - 1)
            points.append(
                TrendPoint("Postings SF premium", "premium", day, pct, len(sf), "postings")
            )
    return points


def _group_pay(
    sample: Sequence[Posting], key: Callable[[Posting], str | None], limit: int, min_n: int = 1
) -> list[GroupPay]:
    groups: dict[str, list[float]] = defaultdict(list)
    for p in sample:
        label = key(p)
        if label:
            groups[label].append(p.annual)
    rows = [
        GroupPay(
            label,
            len(v),
            stats.median(v),
            min(v),
            max(v),
            tuple(sorted(v)),
        )
        for label, v in groups.items()
        if len(v) >= min_n
    ]
    # The groups with most postings, then ranked by median pay (each shown with its n).
    rows.sort(key=lambda g: (-g.n, -g.median, g.label))
    return sorted(rows[:limit], key=lambda g: (-g.median, -g.n, g.label))


SENIORITY_ORDER = ("intern", "junior", "mid", "senior", "lead", "manager", "director", "executive")


def _by_seniority(sample: Sequence[Posting]) -> list[GroupPay]:
    rows = _group_pay(sample, lambda p: p.seniority, limit=20)
    rank = {name: i for i, name in enumerate(SENIORITY_ORDER)}
    return sorted(rows, key=lambda g: (rank.get(g.label, len(rank)), g.label))


def _source_rows(
    session: Session, crawls: dict[str, SourceCrawl], postings: Sequence[Posting], origins
) -> list[SourceRow]:
    stored = Counter(p.source for p in postings)
    open_ = Counter(p.source for p in postings if p.status == "open")
    usable = Counter(p.source for p in postings if p.status == "open" and p.usable(origins))
    estimates = Counter(p.source for p in postings if p.pay_origin == "estimate")
    flagged = Counter(p.source for p in postings if p.pay_flag)
    rows = []
    for name in sorted({*crawls, *stored}):
        crawl = crawls.get(name)
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
                stored=stored.get(name, 0),
                open=open_.get(name, 0),
                usable_pay=usable.get(name, 0),
                estimates=estimates.get(name, 0),
                flagged=flagged.get(name, 0),
                requests=crawl_stats.get("downloader/request_count"),
                responses=crawl_stats.get("downloader/response_count"),
                blocked=int(blocked),
                finish_reason=crawl_stats.get("finish_reason"),
                elapsed_s=float(elapsed) if isinstance(elapsed, int | float) else None,
            )
        )
    return rows


def _quarantine_rows(session: Session) -> list[QuarantineRow]:
    rows = session.execute(
        select(QuarantineRecord.reason, QuarantineRecord.source, QuarantineRecord.times_seen)
    ).all()
    grouped: dict[str, list] = defaultdict(list)
    for reason, source, seen in rows:
        grouped[reason].append((source, seen or 1))
    out = [
        QuarantineRow(
            reason,
            len(items),
            sum(seen for _, seen in items),
            ", ".join(sorted({source_name(s) for s, _ in items})),
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
    postings = _load_postings(session)
    observations = _observations(session)
    cpi = _cpi(session)

    family_open = merge_duplicates(
        [p for p in postings if p.family == FAMILY and p.status == "open"]
    )
    sample = [p for p in family_open if p.usable(origins)]
    if not postings:
        postings_reason = "no postings stored yet"
    elif not any(p.family for p in postings):
        postings_reason = "postings are not classified by title family yet"
    elif not family_open:
        postings_reason = "no open security-manager posting stored"
    elif not sample:
        kinds = "posted or parsed" if include_parsed else "posted"
        postings_reason = f"no open security-manager posting has usable {kinds} annual USD pay"
    else:
        postings_reason = None

    baselines = _baseline_rows(session, crawls, observations, cpi, sample)
    if not cpi:
        cpi_reason = f"no CPI-U ({CPI_U_SERIES}) values stored yet"
    elif not any(b.restated for b in baselines):
        cpi_reason = f"CPI-U ({CPI_U_SERIES}) for January 2022 is not stored"
    else:
        cpi_reason = None

    usable_all = [p.annual for p in postings if p.status == "open" and p.usable(origins)]
    flags = Counter(p.pay_flag for p in postings if p.pay_flag)
    clusters = Counter(p.cluster_id for p in postings if p.cluster_id)
    shared = {c: n for c, n in clusters.items() if n > 1}

    references = _references(observations)
    family_all = family_open
    requirements = summarize(p.requirements for p in family_all) if family_all else None
    if not family_all:
        requirements_reason = postings_reason or "no open security-manager posting stored"
    elif requirements and not requirements.analysed:
        requirements_reason = "requirements have not been extracted from these postings yet"
    else:
        requirements_reason = None

    def metro_label(p: Posting) -> str | None:
        return p.metro_name or p.metro_code

    trend = _observation_trend(baselines, observations) + _postings_trend(
        runs, postings, origins, _naive_utc(now)
    )
    return ReportData(
        generated_at=now,
        run_id=run.run_id if run else None,
        run_started=run.started_at if run else None,
        baselines=baselines,
        sources=_source_rows(session, crawls, postings, origins),
        postings_total=len(postings),
        postings_with_pay=len(usable_all),
        median_annual_usd=stats.median(usable_all) if usable_all else None,
        estimates_excluded=sum(1 for p in postings if p.pay_origin == "estimate"),
        flagged_pay=dict(flags.most_common()),
        quarantine={q.reason: q.records for q in _quarantine_rows(session)},
        include_parsed=include_parsed,
        cpi_latest_month=max(cpi) if cpi else None,
        cpi_reason=cpi_reason,
        baselines_reason=None if baselines else "the article's baselines are not stored yet",
        family_postings=len(family_open),
        family_pay=sorted(p.annual for p in sample),
        postings_reason=postings_reason,
        references=references,
        references_reason=None
        if references
        else "no BLS OEWS figure for 11-3021 or 15-1212 stored yet",
        premiums=_premiums(observations, sample),
        trend=trend,
        by_seniority=_by_seniority(sample),
        by_metro=_group_pay(sample, metro_label, limit=10),
        by_employer=_group_pay(sample, lambda p: p.company, limit=10),
        requirements=requirements,
        requirements_reason=requirements_reason,
        quarantine_rows=_quarantine_rows(session),
        duplicate_clusters=len(shared),
        duplicate_postings=sum(shared.values()),
        runs=_runs(session, runs),
        top_postings=sorted(sample, key=lambda p: (-p.annual, p.title))[:10],
    )
