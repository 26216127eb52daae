"""Remote OK API (remoteok.com/api): the whole board in one JSON array, filtered to security roles.

The array's first element is Remote OK's legal notice, not a job. Its terms: link back to
the job's Remote OK URL (a followed link, no nofollow) and mention Remote OK as the source,
or API access is suspended; the Remote OK logo is not to be used. ``salary_min`` and
``salary_max`` are US dollars a year, 0 meaning "not stated".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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

# Mojibake: UTF-8 bytes read as Latin-1 ("ZÃ³calo Health" for "Zócalo Health").
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def feed_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/api"


def fix_mojibake(text: str | None) -> str | None:
    """Undo UTF-8-read-as-Latin-1 when the text is exactly that, else leave it alone."""
    if not text or not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def is_security_role(
    job: dict, title_keywords: Iterable[str], security_tags: Iterable[str]
) -> bool:
    """A title keyword in ``position`` (word start), or one of the security tags."""
    title = (job.get("position") or "").lower()
    for keyword in title_keywords:
        if re.search(rf"(?<![a-z]){re.escape(keyword.lower())}", title):
            return True
    tags = {str(tag).lower() for tag in job.get("tags") or []}
    return bool(tags & {tag.lower() for tag in security_tags})


def salary(job: dict) -> BaseSalary | None:
    lo, hi = job.get("salary_min") or 0, job.get("salary_max") or 0
    if not (isinstance(lo, int | float) and isinstance(hi, int | float)) or (not lo and not hi):
        return None
    return BaseSalary(
        raw=f"salary_min={lo} salary_max={hi}",
        valueMin=float(lo) if lo else None,
        valueMax=float(hi) if hi else None,
        rateType="YEAR",
        currency="USD",
    )


def parse_job(job: dict) -> JobPosting:
    location = fix_mojibake((job.get("location") or "").strip()) or None
    description_html = fix_mojibake(job.get("description") or "") or ""
    company = fix_mojibake(job.get("company"))
    pay = salary(job)
    return JobPosting(
        url=job.get("url") or "",
        jobPostingId=str(job["id"]),
        jobTitle=fix_mojibake(job.get("position")),
        datePublished=job.get("date"),
        datePublishedRaw=job.get("date"),
        description=description_text(description_html),
        descriptionHtml=description_html or None,
        remoteStatus="remote",  # a remote-only board; ``location`` is where the team sits
        jobLocation=[JobLocation(raw=location)] if location else [],
        hiringOrganization=HiringOrganization(name=company, nameRaw=job.get("company")),
        baseSalary=pay,
        payOrigin=PAY_POSTED if pay else None,
    )


@attrs.define
class RemoteOkFeedPage(SourcePage):
    """The feed: the legal notice, then every open job."""

    def _jobs(self) -> list | PageFailure:
        data = self.json_body()
        if isinstance(data, PageFailure):
            return data
        if not isinstance(data, list):
            return self.failure("layout_changed", "the feed is not a JSON array")
        # The legal notice (and any other non-job element) has no job id.
        return [job for job in data if isinstance(job, dict) and job.get("id") is not None]

    def job_count(self) -> int:
        jobs = self._jobs()
        return 0 if isinstance(jobs, PageFailure) else len(jobs)

    def legal_notice(self) -> str | None:
        data = self.json_body()
        if isinstance(data, list) and data and isinstance(data[0], dict):
            return data[0].get("legal")
        return None

    def postings(
        self, title_keywords: Iterable[str], security_tags: Iterable[str]
    ) -> list[JobPosting | PageFailure]:
        jobs = self._jobs()
        if isinstance(jobs, PageFailure):
            return [jobs]
        title_keywords, security_tags = list(title_keywords), list(security_tags)
        return [
            parse_job(job) for job in jobs if is_security_role(job, title_keywords, security_tags)
        ]
