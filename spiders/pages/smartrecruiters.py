"""SmartRecruiters Posting API (api.smartrecruiters.com/v1/companies/<company>/postings).

The list gives ids, titles and locations a page at a time (``offset``/``limit``, with
``totalFound``); the job ad text and any ``compensation`` come from each posting's detail.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import attrs

from pipeline.sections import description_text
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

# The job ad's sections, in the order a job page shows them.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def postings_url(
    base_url: str, company: str, offset: int = 0, limit: int = 100, search: str = ""
) -> str:
    """A page of a company's postings; ``search``: the API's keyword search (``q``)."""
    query = urlencode({**({"q": search} if search else {}), "offset": offset, "limit": limit})
    return f"{base_url.rstrip('/')}/v1/companies/{quote(company, safe='')}/postings?{query}"


def posting_url(base_url: str, company: str, posting_id: str) -> str:
    company, posting_id = quote(company, safe=""), quote(posting_id, safe="")
    return f"{base_url.rstrip('/')}/v1/companies/{company}/postings/{posting_id}"


def pay_from_compensation(compensation: dict | None) -> BaseSalary | None:
    """``compensation`` {min, max, currency}; it states no period, so the pipeline infers one."""
    if not isinstance(compensation, dict):
        return None
    lo, hi = compensation.get("min"), compensation.get("max")
    if lo is None and hi is None:
        return None
    currency = compensation.get("currency")
    return BaseSalary(
        raw=json.dumps(compensation, sort_keys=True),
        valueMin=float(lo) if lo is not None else None,
        valueMax=float(hi) if hi is not None else None,
        rateType=compensation.get("period"),
        currency=currency,
        currencyRaw=currency,
    )


def location_text(location: dict) -> str | None:
    if location.get("fullLocation"):
        return location["fullLocation"]
    parts = [location.get(k) for k in ("city", "region", "country")]
    return ", ".join(str(p) for p in parts if p) or None


def workplace(location: dict) -> str | None:
    if location.get("remote") is True:
        return "remote"
    if location.get("hybrid") is True:
        return "hybrid"
    if location.get("remote") is False and location.get("hybrid") is False:
        return "onsite"
    return None


def parse_posting(posting: dict) -> JobPosting:
    """One posting's detail."""
    location = posting.get("location") if isinstance(posting.get("location"), dict) else {}
    place = location_text(location)
    sections = ((posting.get("jobAd") or {}).get("sections")) or {}
    parts = []
    for key in SECTIONS:
        section = sections.get(key)
        if isinstance(section, dict) and section.get("text"):
            title = section.get("title")
            parts.append((f"<h2>{title}</h2>" if title else "") + section["text"])
    description_html = "".join(parts)
    company = posting.get("company") or {}
    salary = pay_from_compensation(posting.get("compensation"))
    employment = posting.get("typeOfEmployment") or {}
    return JobPosting(
        url=posting.get("postingUrl") or posting.get("ref") or "",
        jobPostingId=str(posting["id"]),
        jobTitle=posting.get("name"),
        datePublished=posting.get("releasedDate"),
        datePublishedRaw=posting.get("releasedDate"),
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=employment.get("label"),
        remoteStatus=workplace(location) or remote_status(place),
        jobLocation=[JobLocation(raw=place)] if place else [],
        hiringOrganization=HiringOrganization(
            name=company.get("name") or company.get("identifier"), nameRaw=company.get("name")
        ),
        baseSalary=salary,
        payOrigin=PAY_POSTED if salary else None,
    )


@attrs.define
class SmartRecruitersListPage(SourcePage):
    """One page of a company's postings."""

    def posting_ids(self) -> list[str | PageFailure]:
        return [posting_id for posting_id, _ in self.listed()]

    def listed(self) -> list[tuple[str | PageFailure, str | None]]:
        """Each listed posting's id and title (``name``); a failure in place of a bad one."""
        return [
            (posting, None)
            if isinstance(posting, PageFailure)
            else (str(posting["id"]), posting.get("name"))
            for posting in self.json_records(path=("content",))
        ]

    def total(self) -> int | None:
        """``totalFound``: how many postings the company (or the search) has."""
        data = self.json_body()
        total = data.get("totalFound") if isinstance(data, dict) else None
        return total if isinstance(total, int) and total >= 0 else None

    def next_offset(self) -> int | None:
        """Where the next page starts, or None after the last (``totalFound`` reached)."""
        data = self.json_body()
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            return None
        if not data["content"]:
            return None
        following = int(data.get("offset") or 0) + len(data["content"])
        total = data.get("totalFound")
        return following if isinstance(total, int) and following < total else None


@attrs.define
class SmartRecruitersPostingPage(SourcePage):
    """One posting's detail: the full Posting object with its job ad."""

    def posting(self) -> JobPosting | PageFailure:
        data = self.json_body()
        if isinstance(data, PageFailure):
            return data
        if not isinstance(data, dict) or not data.get("id") or not data.get("name"):
            return self.failure("layout_changed", "not a posting object")
        return parse_posting(data)
