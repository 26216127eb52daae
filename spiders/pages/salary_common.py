"""What the salary-site page objects share: money parsing, schema.org Occupation JSON-LD and
embedded JSON state. (Their spiders share ``spiders.crawlers.base.SalaryPagesSpider``.)

Salary sites publish a figure in up to three layers: schema.org ``Occupation`` JSON-LD (for
Google's estimated-salary rich result), a framework's JSON state (``__NEXT_DATA__``, Apollo
cache) and the visible markup. Page objects read the most stable layer the site has and keep
the snippet each figure came from in ``raw``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from parsel import Selector
from price_parser import Price

from spiders.items import SalaryFigure

LAYOUT_CHANGED = "layout_changed"

# Geography names exactly as the baselines spell them.
US = "US"
_COUNTRY_NAMES = {"united states": US, "us": US, "usa": US, "united states of america": US}

# schema.org MonetaryAmountDistribution keys -> our metric names.
DISTRIBUTION_METRICS = {
    "percentile10": "p10",
    "percentile25": "p25",
    "median": "median",
    "percentile75": "p75",
    "percentile90": "p90",
}
# schema.org ``unitText`` / ISO 8601 ``duration`` -> our period names.
_PERIODS = {
    "YEAR": "year",
    "P1Y": "year",
    "HOUR": "hour",
    "PT1H": "hour",
    "WEEK": "week",
    "P1W": "week",
    "MONTH": "month",
    "P1M": "month",
}


def geography(name: str | None) -> str | None:
    """'United States' -> 'US'; places are kept as published ('San Francisco, CA')."""
    if not name:
        return None
    cleaned = " ".join(name.split())
    return _COUNTRY_NAMES.get(cleaned.lower(), cleaned)


def money(text: str | None) -> float | None:
    """'$148,250' -> 148250.0, '$71.27' -> 71.27, '$152K' -> 152000.0; None when no amount."""
    if not text:
        return None
    cleaned = " ".join(text.split())
    multiplier = 1
    if re.search(r"\d\s*[kK]\b", cleaned):
        multiplier, cleaned = 1_000, re.sub(r"(\d)\s*[kK]\b", r"\1", cleaned)
    amount = Price.fromstring(cleaned, decimal_separator=".").amount_float
    return None if amount is None else round(amount * multiplier, 2)


def number(value) -> float | None:
    """A JSON number or numeric string; None for anything else (booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def period_of(unit: str | None) -> str | None:
    return _PERIODS.get((unit or "").strip().upper())


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(node: Selector) -> str:
    """The visible text of one element, whitespace collapsed."""
    return squash(" ".join(node.css("::text, *::text").getall()))


def annual_last(results: list) -> list:
    """The same results with the per-year figures after the hourly/weekly/monthly ones.

    The store keeps one figure per (source, role, place, metric, day), without the period,
    and the last one staged wins: listing the annual figure last makes it the one the report
    compares with the (annual) baselines. Failures and order otherwise are unchanged.
    """
    return sorted(results, key=lambda r: getattr(r, "period", None) == "year")


def json_script(selector: Selector, css: str) -> object | None:
    """The JSON inside the first ``<script>`` matching ``css``; None when absent or broken."""
    body = selector.css(f"{css}::text").get()
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def jsonld_nodes(selector: Selector) -> Iterator[dict]:
    """Every JSON-LD node on the page (lists and ``@graph`` unpacked); broken blocks skipped."""
    for body in selector.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(body)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    return set(kind) if isinstance(kind, list) else {kind}


OCCUPATION_TYPES = {"Occupation", "OccupationAggregation", "OccupationAggregationByEmployer"}


def occupation_nodes(selector: Selector) -> list[dict]:
    """schema.org Occupation nodes (PayScale publishes ``OccupationAggregation``)."""
    return [node for node in jsonld_nodes(selector) if _types(node) & OCCUPATION_TYPES]


def occupation_geography(node: dict) -> str | None:
    places = node.get("occupationLocation")
    places = places if isinstance(places, list) else [places]
    for place in places:
        if isinstance(place, dict):
            address = place.get("address") if isinstance(place.get("address"), dict) else {}
            locality = address.get("addressLocality")
            region = address.get("addressRegion")
            if locality and region:
                return f"{locality}, {region}"
            name = place.get("name") or locality
            if name:
                return geography(name)
        elif isinstance(place, str):
            return geography(place)
    return None


def distribution_observations(
    distribution: dict,
    *,
    url: str,
    role: str,
    where: str,
    metrics: dict[str, str] | None = None,
    sample_size: int | None = None,
    is_estimate: bool = False,
) -> list[SalaryFigure]:
    """One observation per published percentile of a MonetaryAmountDistribution."""
    period = period_of(distribution.get("unitText") or distribution.get("duration")) or "year"
    currency = distribution.get("currency")
    raw = json.dumps(distribution, sort_keys=True, ensure_ascii=False)
    observations = []
    for key, metric in (metrics or DISTRIBUTION_METRICS).items():
        value = number(distribution.get(key))
        if value is None:
            continue
        observations.append(
            SalaryFigure(
                url=url,
                roleQuery=role,
                geography=where,
                metric=metric,
                value=value,
                currency=currency.upper() if isinstance(currency, str) else None,
                period=period,
                sampleSize=sample_size,
                isEstimate=is_estimate,
                raw=f"{key}: {raw}",
            )
        )
    return observations
