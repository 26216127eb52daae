"""Ashby public job posting API (api.ashbyhq.com/posting-api/job-board/<board>)."""

from __future__ import annotations

import json
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

WORKPLACE = {"OnSite": "onsite", "Hybrid": "hybrid", "Remote": "remote"}


def job_board_url(base_url: str, board: str) -> str:
    board = quote(board, safe="")
    return f"{base_url.rstrip('/')}/posting-api/job-board/{board}?includeCompensation=true"


def pay_from_compensation(compensation: dict | None) -> BaseSalary | None:
    """The first ``Salary`` summary component; equity, bonus and commission are not pay.

    ``raw`` is the tier summary ("$150K – $180K • Offers Equity") when Ashby gives one,
    else the component as JSON.
    """
    if not isinstance(compensation, dict):
        return None
    for component in compensation.get("summaryComponents") or []:
        if not isinstance(component, dict) or component.get("compensationType") != "Salary":
            continue
        lo, hi = component.get("minValue"), component.get("maxValue")
        if lo is None and hi is None:
            continue
        currency = component.get("currencyCode")
        summary = compensation.get("compensationTierSummary")
        return BaseSalary(
            raw=summary or json.dumps(component, sort_keys=True),
            valueMin=float(lo) if lo is not None else None,
            valueMax=float(hi) if hi is not None else None,
            rateType=component.get("interval"),
            currency=currency,
            currencyRaw=currency,
        )
    return None


def _locations(job: dict) -> list[str]:
    names = [job.get("location")]
    for secondary in job.get("secondaryLocations") or []:
        if isinstance(secondary, dict):
            names.append(secondary.get("location"))
    return [n for n in names if isinstance(n, str) and n]


def parse_job(job: dict, board: str, company: str | None = None) -> JobPosting:
    """One element of the ``jobs`` array."""
    salary = pay_from_compensation(job.get("compensation"))
    locations = _locations(job)
    workplace = WORKPLACE.get(job.get("workplaceType") or "")
    if workplace is None and job.get("isRemote") is True:
        workplace = "remote"
    description_html = job.get("descriptionHtml") or ""
    return JobPosting(
        url=job.get("jobUrl") or "",
        jobPostingId=str(job["id"]),
        jobTitle=job.get("title"),
        datePublished=job.get("publishedAt"),
        datePublishedRaw=job.get("publishedAt"),
        description=job.get("descriptionPlain") or description_text(description_html),
        descriptionHtml=description_html or None,
        employmentType=job.get("employmentType"),
        remoteStatus=workplace or remote_status(*locations),
        jobLocation=[JobLocation(raw=loc) for loc in locations],
        hiringOrganization=HiringOrganization(name=company or board, nameRaw=company),
        baseSalary=salary,
        payOrigin=PAY_POSTED if salary else None,
    )


@attrs.define
class AshbyJobBoardPage(SourcePage):
    """A board's listed jobs, with compensation when requested."""

    def postings(self, board: str, company: str | None = None) -> list[JobPosting | PageFailure]:
        return [
            job if isinstance(job, PageFailure) else parse_job(job, board, company)
            for job in self.json_records()
            # Unlisted jobs are reachable by link only; the board does not advertise them.
            if isinstance(job, PageFailure) or job.get("isListed") is not False
        ]
