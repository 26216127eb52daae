"""Remotive API (remotive.com/api/remote-jobs): remote jobs matching a search or category.

Reference: github.com/remotive-com/remote-jobs-api. Its terms: link back to the job's
Remotive URL and mention Remotive as the source; do not resubmit jobs to third-party job
sites; jobs appear 24 hours late. Requests: a couple of times a day (at most 4 advised);
more than 2 a minute are blocked. ``salary`` is free text ("$150k - $230k", "€80k-€110k",
"up to $19/hour"), kept raw for the pipeline's salary parser.
"""

from __future__ import annotations

from urllib.parse import urlencode

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


def jobs_url(base_url: str, search: dict) -> str:
    query = urlencode({k: str(v) for k, v in search.items()})
    return f"{base_url.rstrip('/')}/api/remote-jobs" + (f"?{query}" if query else "")


def parse_job(job: dict) -> JobPosting:
    salary_text = (job.get("salary") or "").strip()
    salary = BaseSalary(raw=salary_text) if salary_text else None
    location = (job.get("candidate_required_location") or "").strip()
    description_html = job.get("description") or ""
    return JobPosting(
        url=job.get("url") or "",
        jobPostingId=str(job["id"]),
        jobTitle=job.get("title"),
        datePublished=job.get("publication_date"),
        datePublishedRaw=job.get("publication_date"),
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=job.get("job_type") or None,
        remoteStatus="remote",  # a remote-only board; the location is where candidates may live
        jobLocation=[JobLocation(raw=location)] if location else [],
        hiringOrganization=HiringOrganization(
            name=(job.get("company_name") or "").strip() or None,
            nameRaw=job.get("company_name"),
        ),
        baseSalary=salary,
        payOrigin=PAY_POSTED if salary else None,
    )


@attrs.define
class RemotiveJobsPage(SourcePage):
    """One ``/api/remote-jobs`` response: its ``jobs``."""

    def postings(self) -> list[JobPosting | PageFailure]:
        return [
            job if isinstance(job, PageFailure) else parse_job(job) for job in self.json_records()
        ]
