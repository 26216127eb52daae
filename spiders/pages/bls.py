"""BLS Public Data API v2 (api.bls.gov/publicAPI/v2/timeseries/data/): requests and responses.

One POST asks for up to 50 series (25 without a registration key) over up to 20 years (10
without a key); the answer is ``{"status", "message": [...], "Results": {"series": [...]}}``,
each series ``{"seriesID", "data": [{"year", "period", "periodName", "value", "footnotes"}]}``.
Survey-specific readings (OEWS, CPI) live in ``bls_oews.py`` and ``bls_cpi.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import attrs

from spiders.items import PageFailure
from spiders.pages.base import SourcePage

API_PATH = "/publicAPI/v2/timeseries/data/"
# Published API v2 limits per query: registered keys get more series and a longer span.
MAX_SERIES = {True: 50, False: 25}
MAX_YEARS = {True: 20, False: 10}

# BLS answers 200 with one of these statuses when it refused the whole request.
_FAILED_STATUS = re.compile(r"^REQUEST_(FAILED|NOT_PROCESSED)")
# Per BLS's usage policy scripts must identify themselves: an e-mail address or a URL.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+")


def api_url(api_base: str) -> str:
    return api_base.rstrip("/") + API_PATH


def api_payload(
    series_ids: Sequence[str],
    start_year: int,
    end_year: int,
    registration_key: str | None = None,
) -> dict:
    """The JSON body of one API v2 query (years as strings, as BLS documents them)."""
    payload: dict = {
        "seriesid": list(series_ids),
        "startyear": str(start_year),
        "endyear": str(end_year),
    }
    if registration_key:
        payload["registrationkey"] = registration_key
    return payload


def api_batches(
    series_ids: Sequence[str], start_year: int, end_year: int, registered: bool
) -> list[tuple[list[str], int, int]]:
    """Split a request into queries within the API's per-query series and year limits.

    Years BLS would refuse (an end before the start) are passed on as they are: its refusal
    comes back as a ``PageFailure`` with BLS's own message, not as a silently empty crawl.
    """
    per_query, span = MAX_SERIES[registered], MAX_YEARS[registered]
    spans = range(start_year, end_year + 1, span) if end_year >= start_year else [start_year]
    batches = []
    for first_year in spans:
        last_year = min(first_year + span - 1, end_year)
        for i in range(0, len(series_ids), per_query):
            batches.append((list(series_ids[i : i + per_query]), first_year, last_year))
    return batches


def has_contact(user_agent: str | None) -> bool:
    """Whether a User-Agent names a way to reach its operator (BLS blocks anonymous ones)."""
    return bool(user_agent) and bool(_CONTACT.search(user_agent or ""))


def user_agent_with_contact(user_agent: str, contact: str | None) -> str:
    """The project's User-Agent with an operator e-mail address added, as BLS asks."""
    contact = (contact or "").strip()
    if not contact or contact in user_agent:
        return user_agent
    if user_agent.endswith(")"):
        return f"{user_agent[:-1]}; {contact})"
    return f"{user_agent} ({contact})"


@dataclass(frozen=True)
class ApiDatum:
    year: str
    period: str  # "M01".."M12", "M13" (annual average), "A01" (annual)
    value: str  # as published: "281.148", "169510", or "-" when not released / top-coded
    footnotes: tuple[dict, ...] = ()
    raw: dict = field(default_factory=dict, compare=False)

    @property
    def footnote_texts(self) -> list[str]:
        return [f["text"] for f in self.footnotes if isinstance(f, dict) and f.get("text")]

    @property
    def footnote_codes(self) -> list[str]:
        return [str(f["code"]) for f in self.footnotes if isinstance(f, dict) and f.get("code")]


@dataclass(frozen=True)
class ApiSeries:
    series_id: str
    data: list[ApiDatum]


@dataclass(frozen=True)
class ApiResult:
    status: str
    messages: list[str]
    series: list[ApiSeries]

    @property
    def failed(self) -> bool:
        return bool(_FAILED_STATUS.match(self.status))


def _messages(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(m).strip() for m in value or [] if str(m).strip()]


def parse_api_response(body: bytes | str) -> ApiResult:
    """Any API v2 timeseries answer; ``ValueError`` when it is not one."""
    document = json.loads(body)
    if not isinstance(document, dict) or not isinstance(document.get("status"), str):
        raise ValueError("no 'status' in the response")
    results = document.get("Results") or {}
    if not isinstance(results, dict):
        raise ValueError("'Results' is not an object")
    series_list = results.get("series") or []
    if not isinstance(series_list, list):
        raise ValueError("'Results.series' is not a list")
    series = []
    for entry in series_list:
        if not isinstance(entry, dict) or not isinstance(entry.get("seriesID"), str):
            raise ValueError(f"series without seriesID: {str(entry)[:200]}")
        data = []
        for datum in entry.get("data") or []:
            if not isinstance(datum, dict) or "year" not in datum or "period" not in datum:
                raise ValueError(f"datum without year/period in {entry['seriesID']}")
            data.append(
                ApiDatum(
                    year=str(datum["year"]),
                    period=str(datum["period"]),
                    value=str(datum.get("value", "")).strip(),
                    footnotes=tuple(f for f in datum.get("footnotes") or [] if f),
                    raw=datum,
                )
            )
        series.append(ApiSeries(series_id=entry["seriesID"].strip(), data=data))
    return ApiResult(
        status=document["status"], messages=_messages(document.get("message")), series=series
    )


def datum_raw(series_id: str, datum: ApiDatum) -> str:
    """The API datum as stored beside the parsed value: series id plus the datum itself."""
    return json.dumps({"seriesID": series_id, **datum.raw}, sort_keys=True)


@attrs.define
class BlsApiPage(SourcePage):
    """One API v2 answer: the parsed result, or a ``PageFailure`` saying why not."""

    def result(self) -> ApiResult | PageFailure:
        try:
            result = parse_api_response(self.response.body)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            return self.failure("malformed_json", str(exc))
        if result.failed:
            detail = "; ".join(result.messages) or "(no message)"
            return self.failure("api_request_failed", f"{result.status}: {detail}")
        return result


def year_range(
    start: int | None, end: int | None, this_year: int, default_span: int
) -> tuple[int, int]:
    """Configured years, or the ``default_span`` years up to ``this_year``."""
    last = end or this_year
    return (start or last - default_span + 1), last


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
