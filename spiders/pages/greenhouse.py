"""Greenhouse Job Board API: a board's jobs (boards-api.greenhouse.io/v1/boards/<token>/jobs,
titles and places, without content), and one job's detail with its content and pay ranges
(``/jobs/<id>?pay_transparency=true``)."""

from __future__ import annotations

import dataclasses
import html
import json
from urllib.parse import quote

import attrs
from parsel import Selector

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


def board_jobs_url(base_url: str, board: str) -> str:
    """A board's jobs without their content: a few kilobytes where content runs to MBs."""
    return f"{base_url.rstrip('/')}/v1/boards/{quote(board, safe='')}/jobs"


def job_detail_url(base_url: str, board: str, job_id: str) -> str:
    """One job with its content and ``pay_input_ranges`` (``pay_transparency``)."""
    board, job_id = quote(board, safe=""), quote(job_id, safe="")
    return f"{base_url.rstrip('/')}/v1/boards/{board}/jobs/{job_id}?pay_transparency=true"


def pay_from_content(content_html: str) -> BaseSalary | None:
    """The pay-transparency block Greenhouse renders into ``content``, if any.

    The block's title ("United States Salary Range", "Hourly Pay Range") is kept in
    ``raw`` because it is the only place the pay period is stated.
    """
    selector = Selector(text=content_html)
    ranges = selector.css(".pay-range")
    if not ranges:
        return None
    amounts = " ".join(" ".join(ranges[0].css("*::text").getall()).split())
    if not amounts:
        return None
    title = " ".join(
        " ".join(
            selector.css(".pay-input .title *::text, .pay-input .title::text").getall()
        ).split()
    )
    return BaseSalary(raw=f"{title}: {amounts}" if title else amounts)


def pay_from_input_ranges(ranges: list[dict] | None) -> BaseSalary | None:
    """``pay_input_ranges`` (``?pay_transparency=true``): amounts in cents."""
    if not ranges:
        return None
    first = ranges[0]
    lo, hi = first.get("min_cents"), first.get("max_cents")
    currency = first.get("currency_type")
    return BaseSalary(
        raw=json.dumps(first, sort_keys=True),
        valueMin=lo / 100 if lo is not None else None,
        valueMax=hi / 100 if hi is not None else None,
        currency=currency,
        currencyRaw=currency,
    )


def parse_job(job: dict, board: str) -> JobPosting:
    """One element of the API's ``jobs`` array."""
    content_html = html.unescape(job.get("content") or "")
    location = (job.get("location") or {}).get("name")
    company = job.get("company_name") or board
    salary = pay_from_input_ranges(job.get("pay_input_ranges")) or pay_from_content(content_html)
    return JobPosting(
        url=job.get("absolute_url") or "",
        jobPostingId=str(job["id"]) if job.get("id") is not None else None,
        jobTitle=job.get("title"),
        datePublished=job.get("first_published") or job.get("updated_at"),
        datePublishedRaw=job.get("first_published"),
        dateModified=job.get("updated_at"),
        description=description_text(content_html),
        descriptionHtml=content_html or None,
        remoteStatus=remote_status(location),
        jobLocation=[JobLocation(raw=location)] if location else [],
        hiringOrganization=HiringOrganization(name=company, nameRaw=job.get("company_name")),
        baseSalary=salary,
        payOrigin=PAY_POSTED if salary else None,
    )


@attrs.define
class GreenhouseBoardPage(SourcePage):
    """A board's job list. Yields postings, or one ``PageFailure`` when the body is unusable."""

    def postings(self, board: str) -> list[JobPosting | PageFailure]:
        return [
            job if isinstance(job, PageFailure) else parse_job(job, board)
            for job in self.json_records()
        ]


@attrs.define
class GreenhouseJobPage(SourcePage):
    """One job's detail (``?pay_transparency=true``): the job with its content and pay."""

    def posting(self, board: str, listed: JobPosting) -> JobPosting:
        """The job as its detail gives it; ``listed`` when the detail cannot be read (the
        listing stands on its own, without content)."""
        data = self.json_body()  # a PageFailure when unreadable: not a dict below
        if not isinstance(data, dict) or data.get("id") in (None, ""):
            return listed
        posting = parse_job(data, board)
        if not data.get("company_name"):  # the detail may leave out what the list gave
            posting = dataclasses.replace(posting, hiringOrganization=listed.hiringOrganization)
        return posting
