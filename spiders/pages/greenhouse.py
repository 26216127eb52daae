"""Greenhouse Job Board API (boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true)."""

from __future__ import annotations

import dataclasses
import html
import json
from urllib.parse import quote

import attrs
from parsel import Selector

from spiders.items import (
    PAY_POSTED,
    BaseSalary,
    HiringOrganization,
    JobLocation,
    JobPosting,
    PageFailure,
)
from spiders.pages.base import SourcePage
from spiders.pages.text import html_to_text, remote_status


def board_jobs_url(base_url: str, board: str) -> str:
    return f"{base_url.rstrip('/')}/v1/boards/{quote(board, safe='')}/jobs?content=true"


def job_detail_url(base_url: str, board: str, job_id: str) -> str:
    """One job with its ``pay_input_ranges`` (the detail endpoint's ``pay_transparency``)."""
    board, job_id = quote(board, safe=""), quote(job_id, safe="")
    return f"{base_url.rstrip('/')}/v1/boards/{board}/jobs/{job_id}?pay_transparency=true"


def needs_pay_detail(posting: JobPosting | PageFailure) -> bool:
    """A listed job without a pay block: its detail may still carry ``pay_input_ranges``."""
    return (
        isinstance(posting, JobPosting)
        and posting.baseSalary is None
        and bool(posting.jobPostingId)
    )


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
        description=html_to_text(content_html),
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
    """One job's detail (``?pay_transparency=true``): adds its pay ranges to the listed posting."""

    def with_pay(self, listed: JobPosting) -> JobPosting:
        """``listed`` with the detail's ``pay_input_ranges``; unchanged when there are none.

        The listed posting stays the record (the detail repeats its content), so a job
        yields the same item whether or not its detail was revalidated from the cache.
        """
        data = self.json_body()  # a PageFailure when unreadable: not a dict or list below
        ranges = data.get("pay_input_ranges") if isinstance(data, dict) else None
        salary = pay_from_input_ranges(ranges if isinstance(ranges, list) else None)
        if salary is None:
            return listed
        return dataclasses.replace(listed, baseSalary=salary, payOrigin=PAY_POSTED)
