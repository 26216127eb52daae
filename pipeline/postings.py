"""Staged posting records to clean rows: validation, pay normalization, plausibility flags.

A record that cannot become a posting raises ``Rejected`` with a reason (it goes to
quarantine). A posting whose pay cannot be used is kept, with ``pay_flag`` saying why.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import dateparser
import orjson

from pipeline import fx
from pipeline.locations import normalize_location
from pipeline.requirements import extract_requirements
from pipeline.salary import PERIODS_PER_YEAR, normalize_period, parse_salary
from pipeline.sections import Outline, outline, without_kinds
from pipeline.titles import classify_title, soc_code

MIN_PLAUSIBLE_ANNUAL_USD = 10_000
MAX_PLAUSIBLE_ANNUAL_USD = 2_000_000
# Fields that change on every crawl and so must not make a record look new.
VOLATILE_FIELDS = ("scrapedAt", "crawlRunId")


class Rejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# json.dumps(..., sort_keys=True, ensure_ascii=False, default=str), its encoder built once
# instead of once per record.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def _stable(record: dict) -> dict:
    stable = record.copy()  # in C, unlike a comprehension over every key
    for key in VOLATILE_FIELDS:
        stable.pop(key, None)
    return stable


def stable_payload(record: dict) -> str:
    """The record as canonical JSON without per-crawl fields."""
    return _CANONICAL(_stable(record))


def fingerprint(record: dict) -> str:
    """sha256 of the record without per-crawl fields, as JSON with sorted keys written by
    orjson (with the hash, a third of the time ``stable_payload`` took; once per posting);
    ``json`` writes what orjson refuses (integers beyond 64 bits)."""
    stable = _stable(record)
    try:
        canonical = orjson.dumps(stable, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        canonical = _CANONICAL(stable).encode()
    return hashlib.sha256(canonical).hexdigest()


def json_column(value: Any) -> bytes:
    """A JSON column's value as its JSON text, the UTF-8 bytes ``pipeline.db.json_text``
    stores as they are (a dataclass as the dictionary of its fields). Cleaned in worker
    processes, rows cross to the one that stores them; their nested lists and dicts cost
    more to send there than their text, and it would serialize them anyway."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
        return parsed.date() if parsed else None


BENEFITS_ONLY = frozenset({"benefits"})


def _pay(
    record: dict,
    fx_table: fx.RateTable | None = None,
    published: date | None = None,
    shape: Outline | None = None,
) -> dict[str, Any]:
    """Pay columns from a structured salary, its raw text, or the description;
    ``published``: the record's ``datePublished``, parsed; ``shape``: the description's
    sections (``pipeline.sections.outline``)."""
    salary = record.get("baseSalary") or {}
    origin = record.get("payOrigin")
    out: dict[str, Any] = dict.fromkeys(
        (
            "pay_raw",
            "pay_origin",
            "pay_min",
            "pay_max",
            "pay_currency",
            "pay_period",
            "annual_min_usd",
            "annual_max_usd",
            "pay_flag",
            "fx_rate_date",
        )
    )
    lo, hi = salary.get("valueMin"), salary.get("valueMax")
    if lo is not None or hi is not None:
        period = normalize_period(salary.get("rateType"))
        inferred = period is None
        if period is None:
            period = "hour" if max(lo or 0, hi or 0) < 300 else "year"
        currency = salary.get("currency")
        out.update(
            pay_raw=salary.get("raw"),
            pay_origin=origin,
            pay_min=lo,
            pay_max=hi,
            pay_currency=currency,
            pay_period=period,
        )
        if inferred:
            out["pay_flag"] = "period_inferred"
    else:
        text, origin_used = salary.get("raw"), origin
        if not text:
            # Benefits ("$1,200 towards your home office", tuition help) are never pay.
            text = without_kinds(record.get("description"), BENEFITS_ONLY, shape)
            origin_used = "parsed"
        parsed = parse_salary(text)
        if parsed is None:
            if salary.get("raw"):
                out.update(pay_raw=salary["raw"], pay_origin=origin, pay_flag="unparsed_pay")
            return out
        out.update(
            pay_raw=salary.get("raw") or parsed.text,
            pay_origin=origin_used or "parsed",
            pay_min=parsed.min,
            pay_max=parsed.max,
            pay_currency=parsed.currency,
            pay_period=parsed.period,
            pay_flag="period_inferred" if parsed.period_inferred else None,
        )
    _annualize(out, published or parse_date(record.get("scrapedAt")), fx_table)
    return out


def _annualize(
    out: dict[str, Any], on_date: date | None = None, fx_table: fx.RateTable | None = None
) -> None:
    lo, hi = out["pay_min"], out["pay_max"]
    if lo is not None and hi is not None and lo > hi:
        out["pay_flag"] = "min_above_max"
        return
    if out["pay_currency"] is None:
        out["pay_flag"] = "unknown_currency"
        return
    per_year = PERIODS_PER_YEAR[out["pay_period"]]
    currency = str(out["pay_currency"]).upper()
    converted: list[float | None] = []
    for value in (lo, hi):
        if value is None:
            converted.append(None)
        elif currency == "USD":  # what fx.convert gives (a rate of 1.0), without a lookup
            converted.append(value * per_year * 1.0)
        else:
            result = fx.convert(value * per_year, currency, on_date or date.today(), fx_table)
            if result is None:
                # No dated rate on or before the posting: never assume a foreign amount is USD.
                out["pay_flag"] = f"not_converted:{currency}"
                return
            converted.append(result[0])
            out["fx_rate_date"] = result[1]
    out["annual_min_usd"], out["annual_max_usd"] = converted
    for value in converted:
        if value is not None and not MIN_PLAUSIBLE_ANNUAL_USD <= value <= MAX_PLAUSIBLE_ANNUAL_USD:
            out["pay_flag"] = "implausible_annual"


# Titles and location strings repeat across a market's postings (the same job titles, the same
# offices): each distinct one is classified once per process.
_title_class = lru_cache(maxsize=65_536)(classify_title)
_places = lru_cache(maxsize=65_536)(lambda raw: tuple(normalize_location(raw)))


def clean_posting(record: dict, fx_table: fx.RateTable | None = None) -> dict[str, Any]:
    """A staged ``job_posting`` record as a row for the ``job_posting`` table.

    ``fx_table``: the exchange rates to convert pay with (default: pipeline/data/fx_rates.csv).
    """
    kind = record.get("kind")
    if kind == "page_failure":
        raise Rejected(f"page_failure:{record.get('reason', 'unknown')}", record.get("detail", ""))
    if kind != "job_posting":
        raise Rejected("unknown_kind", repr(kind))
    for key in ("source", "url", "jobTitle"):
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            raise Rejected(f"missing_{key}")
    locations = [loc.get("raw") for loc in record.get("jobLocation") or [] if isinstance(loc, dict)]
    org = record.get("hiringOrganization") or {}
    title = " ".join(record["jobTitle"].split())
    title_class = _title_class(title)
    places = [place for raw in locations if raw for place in _places(raw)]
    first = next((p for p in places if p.city or p.country), places[0] if places else None)
    workplace = next((p.workplace for p in places if p.workplace), None)
    description = record.get("description")
    shape = outline(description) if description else None
    published = parse_date(record.get("datePublished"))
    row = {
        "source": record["source"],
        "source_id": str(record.get("jobPostingId") or record["url"])[:512],
        "url": record["url"],
        "title": title,
        "company": org.get("name") if isinstance(org, dict) else None,
        "company_parent": org.get("parentName") if isinstance(org, dict) else None,
        "location_raw": " | ".join(loc for loc in locations if loc) or None,
        "remote_status": record.get("remoteStatus"),
        "description": description,
        "date_posted": published,
        **_pay(record, fx_table, published, shape),
        "title_family": title_class.family,
        "seniority": title_class.seniority,
        "soc_code": soc_code(title_class.family),
        "city": first.city if first else None,
        "state": first.state if first else None,
        "country": first.country if first else None,
        "metro_code": first.metro_code if first else None,
        "metro_name": first.metro_name if first else None,
        "workplace": workplace,
        "locations": json_column(places) if places else None,  # dataclasses, as dicts
        "requirements": (
            json_column(extract_requirements(description, shape)) if description else None
        ),
        "board": _board(record.get("board")),
        "content_hash": fingerprint(record),
    }
    return row


def _board(value: Any) -> str | None:
    """The board a posting was listed on (the registry's identifier, at most 255 long)."""
    if not isinstance(value, str):
        return None
    return value.strip()[:255] or None


# Pay with these flags is kept for inspection but never averaged into a figure.
UNUSABLE_PAY_FLAGS = frozenset({"implausible_annual", "min_above_max"})
