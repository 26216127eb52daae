"""Section 1, the article's figures beside today's: each baseline with the source's latest
figure, restated in today's dollars (CPI-U), and the same statistic of the postings; the BLS
OEWS reference figures below it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards import stats
from dashboards.rules import is_sf
from dashboards.sections.empty import first_reason
from dashboards.sources import BLS_SOURCE, SOC_TITLES, source_name
from pipeline.baselines import DEFAULT_DATASET, load_baselines
from pipeline.inflation import CPI_U_SERIES, Restated, beats_inflation, in_todays_dollars
from pipeline.models import Baseline, PriceIndex, SalaryObservation, SourceCrawl


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
    status: str  # live | sandbox | no live data yet | blocked | failed | skipped
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
class ReferenceRow:
    """An official figure (BLS OEWS) for a SOC code."""

    soc_code: str
    occupation: str
    geography: str
    metric: str
    value: float
    observed_on: date


@dataclass(frozen=True)
class ArticleVsToday:
    rows: list[BaselineRow]
    reason: str | None  # why there are no rows
    cpi_latest_month: date | None
    cpi_reason: str | None  # why baselines are not restated in today's dollars
    references: list[ReferenceRow]
    references_reason: str | None


def load(
    session: Session,
    crawls: dict[str, SourceCrawl],
    figures: Sequence[SalaryObservation],
    us_pay: np.ndarray,
    sf_pay: np.ndarray,
) -> ArticleVsToday:
    """``figures`` in date order; ``us_pay``, ``sf_pay``: today's pay sample in the US and in
    San Francisco."""
    cpi = _cpi(session)
    rows = _baseline_rows(session, crawls, figures, cpi, us_pay, sf_pay)
    references = _references(figures)
    return ArticleVsToday(
        rows=rows,
        reason=first_reason((not rows, "the article's baselines are not stored yet")),
        cpi_latest_month=max(cpi) if cpi else None,
        cpi_reason=first_reason(
            (not cpi, f"no CPI-U ({CPI_U_SERIES}) values stored yet"),
            (
                not any(row.restated for row in rows),
                f"CPI-U ({CPI_U_SERIES}) for January 2022 is not stored",
            ),
        ),
        references=references,
        references_reason=first_reason(
            (not references, "no BLS OEWS figure for 11-3021 or 15-1212 stored yet")
        ),
    )


def _cpi(session: Session) -> dict[date, float]:
    rows = session.execute(
        select(PriceIndex.period, PriceIndex.value).where(PriceIndex.series_id == CPI_U_SERIES)
    ).all()
    return {period.replace(day=1): value for period, value in rows}


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
    figures: Sequence[SalaryObservation],
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
    for o in figures:  # in date order: the last one seen is the latest
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


def _references(figures: Sequence[SalaryObservation]) -> list[ReferenceRow]:
    latest: dict[tuple[str, str, str], SalaryObservation] = {}
    for o in figures:
        if o.source == BLS_SOURCE and o.role_query in SOC_TITLES:
            latest[(o.role_query, o.geography, o.metric)] = o
    return [
        ReferenceRow(
            o.role_query, SOC_TITLES[o.role_query], o.geography, o.metric, o.value, o.observed_on
        )
        for _, o in sorted(latest.items(), key=lambda kv: (kv[0][0], is_sf(kv[0][1]), kv[0]))
    ]
