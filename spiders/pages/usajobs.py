"""USAJOBS Search API (data.usajobs.gov/api/search): federal job announcements as postings.

Reference: developer.usajobs.gov (Job APIs). Every request carries three headers, Host,
User-Agent (the key holder's e-mail address) and Authorization-Key. Results come 250 a page
by default, up to 500 with ``ResultsPerPage``; ``Page`` picks the page. One query never
pages past 10,000 results.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import attrs

from pipeline.sections import field_section, render
from spiders.items import (
    PAY_POSTED,
    BaseSalary,
    HiringOrganization,
    JobLocation,
    JobPosting,
    PageFailure,
)
from spiders.pages.base import SourcePage
from spiders.pages.text import remote_status

MAX_RESULTS_PER_PAGE = 500
MAX_RESULTS_PER_QUERY = 10_000

# RateIntervalCode as the API publishes it, to a rate unit pipeline.salary understands.
# PW (piece work) and WC (without compensation) have no such unit: they are left without
# rateType, the code stays in ``raw``.
RATE_INTERVALS = {"PA": "YEAR", "PH": "HOUR", "PD": "DAY", "PM": "MONTH", "BW": "BIWEEKLY"}
NO_RATE_UNIT = {"PW", "WC"}


def search_url(base_url: str, search: dict, page: int = 1, per_page: int = 500) -> str:
    params = {**{k: str(v) for k, v in search.items()}, "ResultsPerPage": per_page, "Page": page}
    return f"{base_url.rstrip('/')}/api/search?{urlencode(params)}"


def request_headers(base_url: str, user_agent: str, api_key: str) -> dict[str, str]:
    """The three headers the API requires; Host is the API's own host name."""
    return {
        "Host": urlsplit(base_url).netloc,
        "User-Agent": user_agent,
        "Authorization-Key": api_key,
    }


def rate_type(code: str | None) -> str | None:
    """``PA`` -> ``YEAR``; 2016-era responses spell it out ("Per Year"), which is kept."""
    if not code:
        return None
    code = code.strip()
    if code.upper() in RATE_INTERVALS:
        return RATE_INTERVALS[code.upper()]
    if code.upper() in NO_RATE_UNIT:
        return None
    return code  # "Bi-Weekly" is read as such by pipeline.salary.normalize_period


def _amount(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def salary(remuneration: list | None) -> BaseSalary | None:
    """The first ``PositionRemuneration`` entry (announcements carry one)."""
    if not remuneration or not isinstance(remuneration[0], dict):
        return None
    first = remuneration[0]
    if (first.get("RateIntervalCode") or "").strip().upper() == "WC":
        return None  # Without Compensation
    lo, hi = _amount(first.get("MinimumRange")), _amount(first.get("MaximumRange"))
    # A range of zeros, under any rate code, states no pay: it is not posted pay of $0.
    lo, hi = (lo if lo else None), (hi if hi else None)
    if lo is None and hi is None:
        return None
    return BaseSalary(
        raw=json.dumps(first, sort_keys=True),
        valueMin=lo,
        valueMax=hi,
        rateType=rate_type(first.get("RateIntervalCode")),
        currency="USD",
        currencyRaw=None,
    )


def _location(place: dict) -> str | None:
    name = (place.get("LocationName") or "").strip()
    if name:
        return name
    parts = [(place.get(k) or "").strip() for k in ("CityName", "CountrySubDivisionCode")]
    return ", ".join(p for p in parts if p and p != "N/A") or None


def parse_item(item: dict) -> JobPosting:
    """One element of ``SearchResult.SearchResultItems``."""
    job = item.get("MatchedObjectDescriptor") or {}
    details = (job.get("UserArea") or {}).get("Details") or {}
    locations = [loc for loc in map(_location, job.get("PositionLocation") or []) if loc]
    organization = (job.get("OrganizationName") or "").strip() or None
    department = (job.get("DepartmentName") or "").strip() or None
    # The announcement's fields under headings of their meaning: the qualifications,
    # requirements and education are what the job requires; benefits are never read for it.
    sections = [
        section
        for section in (
            field_section("Summary", details.get("JobSummary")),
            field_section("Duties", details.get("MajorDuties")),
            field_section("Qualifications", job.get("QualificationSummary")),
            field_section("Requirements", details.get("Requirements")),
            field_section("Key requirements", details.get("KeyRequirements")),
            field_section("Education", details.get("Education")),
            field_section("Benefits", details.get("Benefits")),
        )
        if section
    ]
    remote = "remote" if details.get("RemoteIndicator") is True else remote_status(*locations)
    schedule = [s.get("Name") for s in job.get("PositionSchedule") or [] if s.get("Name")]
    pay = salary(job.get("PositionRemuneration"))
    object_id = item.get("MatchedObjectId") or job.get("PositionID")
    return JobPosting(
        url=job.get("PositionURI") or "",
        jobPostingId=str(object_id) if object_id is not None else None,
        jobTitle=job.get("PositionTitle"),
        datePublished=job.get("PublicationStartDate"),
        datePublishedRaw=job.get("PublicationStartDate"),
        description=render(sections),
        employmentType=", ".join(schedule) or None,
        remoteStatus=remote,
        jobLocation=[JobLocation(raw=loc) for loc in locations],
        hiringOrganization=HiringOrganization(
            name=organization or department,
            nameRaw=" / ".join(n for n in (organization, department) if n) or None,
            parentName=department if organization and department != organization else None,
        ),
        baseSalary=pay,
        payOrigin=PAY_POSTED if pay else None,
    )


@attrs.define
class UsajobsSearchPage(SourcePage):
    """One page of search results: postings, and how many pages the query has."""

    def postings(self) -> list[JobPosting | PageFailure]:
        return [
            item if isinstance(item, PageFailure) else parse_item(item)
            for item in self.json_records(
                path=("SearchResult", "SearchResultItems"), id_field="MatchedObjectDescriptor"
            )
        ]

    def page_count(self, per_page: int) -> int:
        """Pages of this query that the API will serve (capped at 10,000 results)."""
        data = self.json_body()
        result = data.get("SearchResult") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            return 0
        try:
            total = int(result.get("SearchResultCountAll") or 0)
        except (TypeError, ValueError):
            total = 0
        total = min(total, MAX_RESULTS_PER_QUERY)
        return max(1, -(-total // per_page)) if total else 1
