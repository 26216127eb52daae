"""Workable public account API (www.workable.com/api/accounts/<subdomain>?details=true).

The account's published jobs with their descriptions, in one response. Workable has no
structured pay here: pay stated in a description is parsed by the pipeline.
"""

from __future__ import annotations

from urllib.parse import quote

import attrs

from pipeline.sections import description_text
from spiders.items import HiringOrganization, JobLocation, JobPosting, PageFailure
from spiders.pages.base import SourcePage
from spiders.pages.text import remote_status


def account_url(base_url: str, subdomain: str) -> str:
    return f"{base_url.rstrip('/')}/api/accounts/{quote(subdomain, safe='')}?details=true"


def location_text(job: dict) -> str | None:
    parts = [job.get(key) for key in ("city", "state", "country")]
    return ", ".join(p for p in parts if isinstance(p, str) and p) or None


def parse_job(job: dict, account: str) -> JobPosting:
    place = location_text(job)
    description_html = job.get("description") or ""
    remote = "remote" if job.get("telecommuting") is True else None
    return JobPosting(
        url=job.get("url") or job.get("shortlink") or "",
        jobPostingId=str(job["shortcode"]),
        jobTitle=job.get("title"),
        datePublished=job.get("published_on"),
        datePublishedRaw=job.get("published_on"),
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=job.get("employment_type"),
        remoteStatus=remote or remote_status(place, job.get("title")),
        jobLocation=[JobLocation(raw=place)] if place else [],
        hiringOrganization=HiringOrganization(name=account, nameRaw=account),
        baseSalary=None,
        payOrigin=None,
    )


@attrs.define
class WorkableAccountPage(SourcePage):
    """An account's published jobs."""

    def is_html(self) -> bool:
        """An HTML page where JSON belongs: Workable's answer for an unknown account."""
        content_type = self.response.headers.get("Content-Type") or ""
        start = self.response.body[:200].lstrip().lower()
        return "html" in content_type.lower() or start.startswith((b"<!doctype html", b"<html"))

    def postings(self, subdomain: str) -> list[JobPosting | PageFailure]:
        data = self.json_body()
        account = (data.get("name") if isinstance(data, dict) else None) or subdomain
        return [
            job if isinstance(job, PageFailure) else parse_job(job, account)
            for job in self.json_records(id_field="shortcode", data=data)
        ]
