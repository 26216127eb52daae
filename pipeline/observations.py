"""Staged salary figures and price-index values to clean rows.

A figure that is missing, not a number, absurd or in an unknown currency is rejected with
a reason (it goes to quarantine): a blocked or broken page must never be stored as a zero.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from pipeline.postings import Rejected, parse_date
from pipeline.salary import PERIODS_PER_YEAR

METRICS = {
    "average",
    "median",
    "low",
    "high",
    "p10",
    "p25",
    "p75",
    "p90",
    "mean",
    "most_likely_low",
    "most_likely_high",
    "additional_pay",
    "total_pay",
}
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")
MIN_ANNUAL, MAX_ANNUAL = 10_000, 2_000_000


def _observed_on(record: dict) -> date:
    """The day the figure refers to: stated by the source (a monthly series), else the crawl day."""
    return (
        parse_date(record.get("observedOn")) or parse_date(record.get("scrapedAt")) or date.today()
    )


def clean_observation(record: dict) -> dict[str, Any]:
    """A staged ``salary_observation`` as a row for ``salary_observation``."""
    for key in ("source", "url", "roleQuery", "geography", "metric"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise Rejected(f"missing_{key}")
    metric = record["metric"]
    if metric not in METRICS:
        raise Rejected("unknown_metric", metric)
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Rejected("missing_value", repr(value))
    currency = record.get("currency")
    if not isinstance(currency, str) or not _ISO_CURRENCY.match(currency):
        raise Rejected("unknown_currency", repr(currency))
    period = record.get("period") or "year"
    if period not in PERIODS_PER_YEAR:
        raise Rejected("unknown_period", repr(period))
    annual = value * PERIODS_PER_YEAR[period]
    if currency == "USD" and metric != "additional_pay" and not MIN_ANNUAL <= annual <= MAX_ANNUAL:
        raise Rejected("implausible_value", f"{value} per {period}")
    return {
        "source": record["source"],
        "role_query": record["roleQuery"][:128],
        "geography": record["geography"][:64],
        "metric": metric,
        "value": float(value),
        "currency": currency,
        "period": period,
        "sample_size": record.get("sampleSize"),
        "observed_on": _observed_on(record),
        "url": record["url"],
        "raw": record.get("raw"),
        "is_estimate": bool(record.get("isEstimate")),
        "qualifier": record.get("qualifier"),
    }


def clean_price_index(record: dict) -> dict[str, Any]:
    """A staged ``price_index`` value as a row for ``price_index``."""
    series = record.get("seriesId")
    if not isinstance(series, str) or not series.strip():
        raise Rejected("missing_seriesId")
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(record.get("period", "")))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Rejected("bad_period", repr(record.get("period")))
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise Rejected("missing_value", repr(value))
    return {
        "series_id": series.strip(),
        "period": date(int(match.group(1)), int(match.group(2)), 1),
        "value": float(value),
        "source_url": record.get("url"),
    }


def clean_fx_rate(record: dict) -> dict[str, Any]:
    """A staged ``fx_rate`` as a row for ``fx_rate`` (USD per unit of a currency on a day)."""
    currency = record.get("currency")
    if not isinstance(currency, str) or not _ISO_CURRENCY.match(currency):
        raise Rejected("unknown_currency", repr(currency))
    on = parse_date(record.get("date"))
    if on is None:
        raise Rejected("bad_date", repr(record.get("date")))
    rate = record.get("usdPerUnit")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < 1_000_000:
        raise Rejected("missing_value", repr(rate))
    return {
        "currency": currency,
        "rate_date": on,
        "usd_per_unit": float(rate),
        "source": str(record.get("raw") or record.get("url") or "unknown")[:128],
    }
