"""Section 2, the San Francisco premium: how far San Francisco pay is above the US figure of the
same source (salary sites, BLS OEWS, the postings), beside the article's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from dashboards import stats
from dashboards.rules import AVERAGE_METRICS, is_sf, is_us
from dashboards.sections.baselines import BaselineRow
from dashboards.sections.empty import first_reason
from dashboards.sources import BLS_SOURCE, SOC_TITLES, source_name
from pipeline.models import SalaryObservation

# The salary sites whose San Francisco and US averages are compared, in report order.
PREMIUM_SOURCES = ("comparably", "ziprecruiter", "glassdoor")


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


def premium_pct(sf: float, us: float) -> float:
    """How far ``sf`` is above ``us``, in percent."""
    return 100 * (sf / us - 1)


def article_premium_pct(baselines: Sequence[BaselineRow]) -> float | None:
    """The article's premium: its San Francisco average over its US average, of one source."""
    us = next((b for b in baselines if is_us(b.geography) and b.metric == "average"), None)
    sf = next((b for b in baselines if is_sf(b.geography) and b.metric == "average"), None)
    if us is None or sf is None or us.source != sf.source:
        return None
    return premium_pct(sf.baseline, us.baseline)


def load(
    figures: Sequence[SalaryObservation], us_pay: np.ndarray, sf_pay: np.ndarray
) -> list[PremiumRow]:
    """One row per salary site, per BLS occupation and for the postings (today's sample)."""
    groups: dict[tuple[str, str], list[SalaryObservation]] = defaultdict(list)
    for o in figures:
        if o.source == BLS_SOURCE and o.role_query not in SOC_TITLES:
            continue
        groups[(o.source, o.role_query if o.source == BLS_SOURCE else "")].append(o)
    rows = [
        _figure_premium(
            source, f"{source_name(source)} average", source_name(source), groups[(source, "")]
        )
        for source in PREMIUM_SOURCES
    ]
    rows += [
        _figure_premium(
            BLS_SOURCE,
            f"BLS OEWS {soc} {title.lower()}",
            f"BLS OEWS {soc}",
            groups[(BLS_SOURCE, soc)],
        )
        for soc, title in SOC_TITLES.items()
    ]
    rows.append(_postings_premium(us_pay, sf_pay))
    return rows


def _pick_average(figures: Sequence[SalaryObservation]) -> dict[str, SalaryObservation]:
    """The latest US and San Francisco figures of the first average-like metric both have."""
    for metric in AVERAGE_METRICS:
        same = [
            o for o in figures if o.metric == metric and o.period == "year" and o.currency == "USD"
        ]
        us = [o for o in same if is_us(o.geography)]
        sf = [o for o in same if is_sf(o.geography)]
        if us and sf:
            return {"US": us[-1], "SF": sf[-1]}
    return {}


def _figure_premium(
    source: str, label: str, named: str, figures: list[SalaryObservation]
) -> PremiumRow:
    """San Francisco over the US from one source's published averages, or why not yet."""
    picked = _pick_average(figures)
    if not picked:
        reason = f"no {named} figure for both San Francisco and the US yet"
        return PremiumRow(source, label, None, None, None, None, reason)
    us, sf = picked["US"].value, picked["SF"].value
    on = max(picked["US"].observed_on, picked["SF"].observed_on)
    premium = stats.Estimate(premium_pct(sf, us), 1, None, None)
    return PremiumRow(source, label, us, sf, premium, on, None)


def _postings_premium(us_pay: np.ndarray, sf_pay: np.ndarray) -> PremiumRow:
    """Mean pay of the postings in the San Francisco metro over all US postings."""
    label = "Job postings, mean of posted pay"
    reason = first_reason(
        (not len(us_pay), "no security-manager posting with usable pay yet"),
        (
            not len(sf_pay),
            "no security-manager posting with usable pay in the San Francisco metro (41860) yet",
        ),
    )
    if reason:
        return PremiumRow("postings", label, None, None, None, None, reason)
    premium = stats.ratio_estimate(sf_pay, us_pay)
    return PremiumRow(
        "postings", label, stats.mean(us_pay), stats.mean(sf_pay), premium, None, None
    )
