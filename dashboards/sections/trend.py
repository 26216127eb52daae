"""Section 3, how the figures have moved: each of the article's figures followed by every
observation since, the San Francisco premium per day, and the postings' statistics as they
stood at the end of each run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from dashboards import stats
from dashboards.columns import naive_utc
from dashboards.rules import AVERAGE_METRICS, first_of_clusters, is_sf, is_us, open_at
from dashboards.sample import FamilyPay
from dashboards.sections.baselines import BaselineRow
from dashboards.sections.premium import PREMIUM_SOURCES, premium_pct
from dashboards.sources import BLS_SOURCE, SOC_TITLES, source_name
from pipeline.models import PipelineRun, SalaryObservation


@dataclass(frozen=True)
class TrendPoint:
    series: str  # e.g. "Comparably average (US)"
    group: str  # which chart: average | high | premium | postings
    when: date
    value: float
    n: int | None = None
    kind: str = "live"  # article | live | postings


def load(
    baselines: Sequence[BaselineRow],
    figures: Sequence[SalaryObservation],
    runs: Sequence[PipelineRun],
    family: FamilyPay,
    now: datetime,
) -> list[TrendPoint]:
    """``figures`` in date order, ``runs`` oldest first; ``now`` (naive UTC) ends the last
    run that has not finished."""
    return _figure_trend(baselines, figures) + _postings_trend(runs, family, now)


def _figure_trend(
    baselines: Sequence[BaselineRow], figures: Sequence[SalaryObservation]
) -> list[TrendPoint]:
    points = []
    for base in baselines:
        series = f"{source_name(base.source)} {base.metric} ({base.geography})"
        group = "high" if base.metric == "high" else "average"
        points.append(TrendPoint(series, group, base.as_of, base.baseline, None, "article"))
        for o in figures:
            if (o.source, o.metric, o.geography, o.period, o.currency) == (
                base.source,
                base.metric,
                base.geography,
                "year",
                "USD",
            ):
                points.append(TrendPoint(series, group, o.observed_on, o.value))
    for o in figures:
        if (
            o.source == BLS_SOURCE
            and o.role_query in SOC_TITLES
            and o.metric in AVERAGE_METRICS
            and is_us(o.geography)
        ):
            series = f"BLS OEWS {o.role_query} {o.metric} (US)"
            points.append(TrendPoint(series, "average", o.observed_on, o.value))
    # San Francisco premium per source and day where both figures exist.
    by_day: dict[tuple[str, str, date], dict[str, float]] = defaultdict(dict)
    for o in figures:
        if o.metric == "average" and o.source in PREMIUM_SOURCES:
            key = "SF" if is_sf(o.geography) else "US" if is_us(o.geography) else None
            if key:
                by_day[(o.source, o.metric, o.observed_on)][key] = o.value
    article_premium: dict[str, TrendPoint] = {}
    us_base = {b.source: b for b in baselines if is_us(b.geography) and b.metric == "average"}
    for b in baselines:
        if is_sf(b.geography) and b.metric == "average" and b.source in us_base:
            pct = premium_pct(b.baseline, us_base[b.source].baseline)
            series = f"{source_name(b.source)} SF premium"
            article_premium[b.source] = TrendPoint(series, "premium", b.as_of, pct, None, "article")
    points.extend(article_premium.values())
    for (source, _metric, day), values in sorted(by_day.items()):
        if "SF" in values and "US" in values:
            pct = premium_pct(values["SF"], values["US"])
            points.append(TrendPoint(f"{source_name(source)} SF premium", "premium", day, pct))
    return points


def _postings_trend(
    runs: Sequence[PipelineRun], family: FamilyPay, now: datetime
) -> list[TrendPoint]:
    """The posting statistics as they stood at the end of each run, from first_seen/closed_at."""
    points = []
    for i, run in enumerate(runs):
        following = naive_utc(runs[i + 1].started_at) if i + 1 < len(runs) else None
        cutoff = np.datetime64(naive_utc(run.finished_at) or following or now, "us")
        alive = open_at(family.first_seen, family.closed_at, cutoff)
        kept = first_of_clusters(np.flatnonzero(alive), family.cluster)
        day = naive_utc(run.started_at).date()
        us, sf = family.us_pay(kept), family.sf_pay(kept)
        if len(us):
            n = len(us)
            points += [
                TrendPoint("Postings mean (US)", "average", day, stats.mean(us), n, "postings"),
                TrendPoint("Postings median (US)", "average", day, stats.median(us), n, "postings"),
                TrendPoint(
                    "Postings 90th percentile (US)", "high", day, stats.p90(us), n, "postings"
                ),
            ]
        if len(us) and len(sf):
            pct = premium_pct(stats.mean(sf), stats.mean(us))
            points.append(
                TrendPoint("Postings SF premium", "premium", day, pct, len(sf), "postings")
            )
    return points
