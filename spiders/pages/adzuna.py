"""Adzuna API (api.adzuna.com/v1/api/jobs/<country>/...): job search, salary histogram and history.

Reference: developer.adzuna.com (jobs/{country}/search/{page}, /histogram, /history).
Credentials travel as ``app_id``/``app_key`` query parameters, so URLs kept on items are
stripped of them. ``salary_is_predicted`` = "1" marks Adzuna's own estimate, not the
employer's figure. Histogram and history keys are not returned in any guaranteed order.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

import attrs

from pipeline.sections import description_text
from spiders.items import (
    PAY_ESTIMATE,
    PAY_POSTED,
    BaseSalary,
    HiringOrganization,
    JobLocation,
    JobPosting,
    PageFailure,
    SalaryFigure,
)
from spiders.pages.base import SourcePage
from spiders.pages.text import remote_status
from spiders.urls import without_secrets

# Adzuna states amounts "in local currency": the country's currency.
COUNTRY_CURRENCY = {
    "us": "USD",
    "gb": "GBP",
    "ca": "CAD",
    "au": "AUD",
    "nz": "NZD",
    "in": "INR",
    "sg": "SGD",
    "za": "ZAR",
    "br": "BRL",
    "mx": "MXN",
    "pl": "PLN",
    "ch": "CHF",
    **dict.fromkeys(("at", "be", "de", "es", "fr", "it", "nl"), "EUR"),
}


def api_url(base_url: str, path: str, params: dict) -> str:
    return f"{base_url.rstrip('/')}/v1/api/jobs/{path}?{urlencode(params)}"


def search_url(base_url: str, country: str, page: int, params: dict) -> str:
    return api_url(base_url, f"{country}/search/{page}", params)


def geography(country: str) -> str:
    return country.upper()


def _number(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse_job(job: dict, country: str) -> JobPosting:
    """One element of the search response's ``results``."""
    lo, hi = _number(job.get("salary_min")), _number(job.get("salary_max"))
    salary = None
    origin = None
    if lo is not None or hi is not None:
        predicted = str(job.get("salary_is_predicted", "0")) == "1"
        currency = COUNTRY_CURRENCY.get(country)
        raw = {k: job.get(k) for k in ("salary_min", "salary_max", "salary_is_predicted")}
        salary = BaseSalary(
            raw=json.dumps(raw, sort_keys=True),
            valueMin=lo,
            valueMax=hi,
            # Adzuna's salary fields (and its salary_min/max search filters) are annual.
            rateType="YEAR",
            currency=currency,
        )
        origin = PAY_ESTIMATE if predicted else PAY_POSTED
    location = job.get("location") or {}
    place = location.get("display_name")
    title_html = job.get("title") or ""
    description_html = job.get("description") or ""
    contract = [job.get("contract_time"), job.get("contract_type")]
    return JobPosting(
        url=job.get("redirect_url") or "",
        jobPostingId=str(job["id"]) if job.get("id") is not None else None,
        # Titles and snippets carry the search hit highlighting (<strong>Software</strong>).
        jobTitle=description_text(title_html),
        datePublished=job.get("created"),
        datePublishedRaw=job.get("created"),
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=", ".join(c for c in contract if c) or None,
        remoteStatus=remote_status(place, description_text(title_html)),
        jobLocation=[JobLocation(raw=place)] if place else [],
        hiringOrganization=HiringOrganization(
            name=(job.get("company") or {}).get("display_name"),
            nameRaw=(job.get("company") or {}).get("display_name"),
        ),
        baseSalary=salary,
        payOrigin=origin,
    )


def salvage_results(text: str) -> list[dict]:
    """The complete ``results`` elements of a truncated search body, in order."""
    start = text.find('"results"')
    start = text.find("[", start) + 1 if start >= 0 else 0
    if start <= 0:
        return []
    decoder = json.JSONDecoder()
    found: list[dict] = []
    index = start
    while index < len(text):
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            break
        try:
            element, index = decoder.raw_decode(text, index)
        except ValueError:
            break
        if isinstance(element, dict):
            found.append(element)
    return found


def histogram_median(histogram: dict) -> tuple[float, str | None, int] | None:
    """Median of Adzuna's salary bands: (value, qualifier, vacancies).

    Each key is the lower bound of a band that ends where the next begins. The median is
    interpolated linearly inside its band; in the last, open-ended band it is only known to
    be at least that band's lower bound (qualifier ">=").
    """
    bands = []
    for lower, count in histogram.items():
        lo, n = _number(lower), _number(count)
        if lo is not None and n is not None and n > 0:
            bands.append((lo, n))
    bands.sort()
    total = sum(n for _, n in bands)
    if not total:
        return None
    half = total / 2
    seen = 0.0
    for position, (lo, n) in enumerate(bands):
        if seen + n >= half:
            if position + 1 == len(bands):
                return lo, ">=", int(total)
            width = bands[position + 1][0] - lo
            return lo + width * (half - seen) / n, None, int(total)
        seen += n
    return None  # unreachable: the bands sum to total


@attrs.define
class AdzunaSearchPage(SourcePage):
    """One page of ``/jobs/<country>/search/<page>``."""

    def postings(self, country: str) -> list[JobPosting | PageFailure]:
        data = self.json_body()
        if isinstance(data, PageFailure):
            # A cut-off body still holds whole jobs before the cut: keep them, and say so.
            salvaged = salvage_results(self.response.body.decode("utf-8", "replace"))
            failure = self.failure(
                "truncated_json" if salvaged else "malformed_json",
                f"{data.detail}; {len(salvaged)} complete results kept",
            )
            return [*(parse_job(job, country) for job in salvaged), failure]
        return [
            job if isinstance(job, PageFailure) else parse_job(job, country)
            for job in self.json_records(path=("results",), data=data)
        ]

    def total_count(self) -> int | None:
        """``count`` of matching ads; None when the body cannot be read."""
        data = self.json_body()  # a PageFailure when unreadable: not a dict or list below
        count = data.get("count") if isinstance(data, dict) else None
        return int(count) if isinstance(count, int | float) else None


@attrs.define
class AdzunaHistogramPage(SourcePage):
    """``/jobs/<country>/histogram?what=``: vacancies per salary band, as one median."""

    def observations(self, country: str, role: str) -> list[SalaryFigure | PageFailure]:
        url = without_secrets(str(self.url))
        data = self.json_body()
        if isinstance(data, PageFailure):
            return [data]
        histogram = data.get("histogram") if isinstance(data, dict) else None
        if not isinstance(histogram, dict):
            return [self.failure("layout_changed", "no 'histogram'", "")]
        median = histogram_median(histogram)
        if median is None:
            return []  # no vacancies with a salary for this query: nothing to report
        value, qualifier, vacancies = median
        return [
            SalaryFigure(
                url=url,
                roleQuery=role,
                geography=geography(country),
                metric="median",
                value=round(value, 2),
                currency=COUNTRY_CURRENCY.get(country),
                period="year",
                sampleSize=vacancies,
                qualifier=qualifier,
                raw=json.dumps(histogram, sort_keys=True),
            )
        ]


@attrs.define
class AdzunaHistoryPage(SourcePage):
    """``/jobs/<country>/history?what=&months=``: average advertised salary per month."""

    def observations(self, country: str, role: str) -> list[SalaryFigure | PageFailure]:
        url = without_secrets(str(self.url))
        data = self.json_body()
        if isinstance(data, PageFailure):
            return [data]
        months = data.get("month") if isinstance(data, dict) else None
        if not isinstance(months, dict):
            return [self.failure("layout_changed", "no 'month'", "")]
        out: list[SalaryFigure | PageFailure] = []
        for month, value in sorted(months.items()):
            try:
                first_day = date.fromisoformat(f"{month}-01")
            except ValueError:
                out.append(self.failure("bad_month", repr(month), ""))
                continue
            out.append(
                SalaryFigure(
                    url=url,
                    roleQuery=role,
                    geography=geography(country),
                    metric="average",
                    value=_number(value),
                    currency=COUNTRY_CURRENCY.get(country),
                    period="year",
                    raw=f"{month}: {value}",
                    observedOn=first_day.isoformat(),
                )
            )
        return out
