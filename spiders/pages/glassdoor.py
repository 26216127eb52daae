"""Glassdoor salary pages (www.glassdoor.com/Salaries/<role>-salary-SRCH_KO0,<n>.htm).

Glassdoor renders with Next.js and Apollo GraphQL: the figures live in the page's Apollo
cache, a graph of objects joined by ``{"__ref": "Type:id"}`` references, embedded either in
``<script id="__NEXT_DATA__">`` at ``props.pageProps.apolloCache`` or in an older
``apolloState`` script variable. That JSON is the most stable layer and the only one read:
each statistics block is ``{"percentiles": [{"ident": "P10", "value": ...}, ...]}``
(company pages publish ``min``/``max`` instead of P10..P90).

Every Glassdoor figure is an estimate of its pay model ("Glassdoor Est."), so
``isEstimate`` is true. The page's "average base pay" is, in Glassdoor's own words, the
median of that model, so P50 is emitted as both ``median`` and ``average``; the range's
ends (P10, P90 of base pay) are also ``low`` and ``high`` (the article's "high of
$191,000"); the "Most Likely Range" is total pay P25 to P75.
"""

from __future__ import annotations

import json
import re

import attrs

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage
from spiders.pages.salary_common import LAYOUT_CHANGED, US, geography, number

BASE_METRICS = {
    "P10": ("p10", "low"),
    "P25": ("p25",),
    "P50": ("median", "average"),
    "P75": ("p75",),
    "P90": ("p90", "high"),
    "min": ("low",),
    "max": ("high",),
}
TOTAL_METRICS = {"P25": ("most_likely_low",), "P50": ("total_pay",), "P75": ("most_likely_high",)}
ADDITIONAL_METRICS = {"P50": ("additional_pay",)}
PAY_PERIODS = {"ANNUAL": "year", "MONTHLY": "month", "WEEKLY": "week", "HOURLY": "hour"}

_APOLLO_STATE = re.compile(r'apolloState"\s*:\s*(\{.+?\})\s*\}\s*;', re.DOTALL)


def resolve_refs(value, cache: dict, depth: int = 0):
    """The Apollo cache with every ``{"__ref": key}`` replaced by the object it names."""
    if depth > 50:  # a reference cycle; the cache is a graph
        return value
    if isinstance(value, dict):
        if set(value) == {"__ref"} and value["__ref"] in cache:
            return resolve_refs(cache[value["__ref"]], cache, depth + 1)
        return {k: resolve_refs(v, cache, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_refs(v, cache, depth + 1) for v in value]
    return value


def apollo_cache(page_text: str, next_data: object | None) -> dict | None:
    """The page's Apollo cache, from ``__NEXT_DATA__`` or the ``apolloState`` variable."""
    if isinstance(next_data, dict):
        cache = next_data.get("props", {}).get("pageProps", {}).get("apolloCache")
        if isinstance(cache, dict):
            return cache
    match = _APOLLO_STATE.search(page_text)
    if match:
        try:
            cache = json.loads(match.group(1))
        except ValueError:
            return None
        return cache if isinstance(cache, dict) else None
    return None


def percentiles(statistics) -> dict[str, float]:
    """``{"percentiles": [{"ident": "P50", "value": 1}]}`` -> ``{"P50": 1.0}``."""
    found = {}
    if isinstance(statistics, dict):
        for entry in statistics.get("percentiles") or []:
            if isinstance(entry, dict) and number(entry.get("value")) is not None:
                found[str(entry.get("ident"))] = number(entry["value"])
    return found


def _title(estimate: dict) -> str | None:
    title = estimate.get("jobTitle")
    if isinstance(title, dict):
        title = title.get("text") or title.get("jobTitle")
    return title if isinstance(title, str) else None


def estimate_observations(estimate: dict, *, url: str, role: str, where: str) -> list[SalaryFigure]:
    """The figures of one salary estimate object (base, additional and total pay)."""
    period = PAY_PERIODS.get(str(estimate.get("payPeriod") or "ANNUAL").upper(), "year")
    currency = estimate.get("currency")
    code = currency.get("code") if isinstance(currency, dict) else currency
    code = code if isinstance(code, str) else "USD"
    count = estimate.get("salaryCount")
    sample_size = count if isinstance(count, int) and not isinstance(count, bool) else None
    found = []
    for block, metrics in (
        ("basePayStatistics", BASE_METRICS),
        ("totalPayStatistics", TOTAL_METRICS),
        ("additionalPayStatistics", ADDITIONAL_METRICS),
    ):
        values = percentiles(estimate.get(block))
        for ident, value in values.items():
            for metric in metrics.get(ident, ()):
                found.append(
                    SalaryFigure(
                        url=url,
                        roleQuery=role,
                        geography=where,
                        metric=metric,
                        value=value,
                        currency=code,
                        period=period,
                        sampleSize=sample_size,
                        isEstimate=True,
                        raw=json.dumps(
                            {"jobTitle": _title(estimate), block: estimate.get(block)},
                            ensure_ascii=False,
                        ),
                    )
                )
    return found


def results_observations(data: dict, *, url: str, where: str) -> list[SalaryFigure]:
    """A company salaries page's ``aggregatedSalaryEstimates``: one range per job title."""
    found = []
    for estimate in data.get("results") or []:
        title = _title(estimate) if isinstance(estimate, dict) else None
        if title:
            found.extend(estimate_observations(estimate, url=url, role=title, where=where))
    return found


def _find_estimate(node, depth: int = 0) -> dict | None:
    """The first object in the resolved cache that carries ``basePayStatistics``."""
    if depth > 8:
        return None
    if isinstance(node, dict):
        if isinstance(node.get("basePayStatistics"), dict):
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find_estimate(child, depth + 1)
        if found is not None:
            return found
    return None


@attrs.define
class GlassdoorSalaryPage(SourcePage):
    """An occupation salary page: base, total and additional pay of one role in one place."""

    def observations(self, role: str) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        body = self.css("script#__NEXT_DATA__::text").get()
        try:
            next_data = json.loads(body) if body else None
        except ValueError:
            next_data = None
        cache = apollo_cache(self.response.text, next_data)
        if cache is None:
            return [self.failure(LAYOUT_CHANGED, "no Apollo cache on the page", self.response.text)]
        root = resolve_refs(cache.get("ROOT_QUERY", cache), cache)
        estimate = _find_estimate(root)
        if estimate is None or not percentiles(estimate.get("basePayStatistics")):
            return [
                self.failure(
                    LAYOUT_CHANGED, "no basePayStatistics in the Apollo cache", json.dumps(root)
                )
            ]
        location = estimate.get("location")
        name = location.get("name") if isinstance(location, dict) else None
        return estimate_observations(estimate, url=url, role=role, where=geography(name) or US)
