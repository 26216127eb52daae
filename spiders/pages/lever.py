"""Lever Postings API (api.lever.co/v0/postings/<site>?mode=json, paged with skip/limit)."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from urllib.parse import quote

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

# Lever's workplaceType values ("unspecified" says nothing).
WORKPLACE = {"on-site": "onsite", "hybrid": "hybrid", "remote": "remote"}


def postings_url(base_url: str, site: str, skip: int = 0, limit: int = 100) -> str:
    site = quote(site, safe="")
    return f"{base_url.rstrip('/')}/v0/postings/{site}?mode=json&skip={skip}&limit={limit}"


def epoch_ms_to_iso(value: object) -> str | None:
    """Lever's ``createdAt`` (milliseconds since the epoch) as an ISO 8601 UTC timestamp."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return datetime.fromtimestamp(value / 1000, UTC).isoformat(timespec="seconds")


def pay_from_salary_range(
    salary_range: dict | None, description: str | None = None
) -> BaseSalary | None:
    """``salaryRange`` {min, max, currency, interval}; ``raw`` keeps the JSON and its note."""
    if not isinstance(salary_range, dict):
        return None
    lo, hi = salary_range.get("min"), salary_range.get("max")
    if lo is None and hi is None:
        return None
    raw = json.dumps(salary_range, sort_keys=True)
    if description and description.strip():
        raw = f"{raw}\n{description.strip()}"
    currency = salary_range.get("currency")
    return BaseSalary(
        raw=raw,
        valueMin=float(lo) if lo is not None else None,
        valueMax=float(hi) if hi is not None else None,
        rateType=salary_range.get("interval"),
        currency=currency,
        currencyRaw=currency,
    )


def parse_posting(posting: dict, site: str, company: str | None = None) -> JobPosting:
    """One element of the postings array."""
    categories = posting.get("categories") or {}
    location = categories.get("location")
    locations = categories.get("allLocations") or ([location] if location else [])
    salary = pay_from_salary_range(
        posting.get("salaryRange"), posting.get("salaryDescriptionPlain")
    )
    description_html = posting.get("description") or ""
    # `description` is opening + body; the lists (responsibilities, requirements) and the
    # closing text are separate fields, and pay is often stated there.
    for block in posting.get("lists") or []:
        if isinstance(block, dict):
            heading = html.escape(block.get("text") or "")
            description_html += f"<h3>{heading}</h3><ul>{block.get('content') or ''}</ul>"
    description_html += posting.get("additional") or ""
    title = posting.get("text")
    return JobPosting(
        url=posting.get("hostedUrl") or "",
        jobPostingId=str(posting["id"]),
        jobTitle=title,
        datePublished=epoch_ms_to_iso(posting.get("createdAt")),
        datePublishedRaw=str(posting["createdAt"]) if posting.get("createdAt") else None,
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=categories.get("commitment"),
        remoteStatus=WORKPLACE.get(posting.get("workplaceType") or "")
        or remote_status(location, title),
        jobLocation=[JobLocation(raw=loc) for loc in locations if loc],
        hiringOrganization=HiringOrganization(name=company or site, nameRaw=company),
        baseSalary=salary,
        payOrigin=PAY_POSTED if salary else None,
    )


@attrs.define
class LeverPostingsPage(SourcePage):
    """One page of a site's postings (a JSON array)."""

    def postings(self, site: str, company: str | None = None) -> list[JobPosting | PageFailure]:
        return [
            posting if isinstance(posting, PageFailure) else parse_posting(posting, site, company)
            for posting in self.json_records(path=())
        ]

    def count(self) -> int:
        """How many postings this page holds (a full page means there may be another)."""
        data = self.json_body()  # a PageFailure when unreadable: not a dict or list below
        return len(data) if isinstance(data, list) else 0
