"""Greenhouse Job Board API: every job of each configured board, with content.

Jobs listed without a pay block get their detail fetched with ``pay_transparency`` for
``pay_input_ranges``; the HTTP cache revalidates those details on later crawls.
"""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import BoardSpider
from spiders.items import JobPosting
from spiders.pages.greenhouse import (
    GreenhouseBoardPage,
    GreenhouseJobPage,
    board_jobs_url,
    job_detail_url,
    needs_pay_detail,
)


class GreenhouseJobsSpider(BoardSpider):
    name = "greenhouse"

    async def start(self):
        base_url = self.settings.get("GREENHOUSE_BASE_URL")
        for board in self.boards():
            yield self.board_request(
                board_jobs_url(base_url, board), board, self.parse_board, cb_kwargs={"board": board}
            )

    def parse_board(self, response, page: GreenhouseBoardPage, board: str):
        base_url = self.settings.get("GREENHOUSE_BASE_URL")
        postings = page.postings(board)
        jobs = [p for p in postings if isinstance(p, JobPosting)]
        if len(jobs) == len(postings):  # a page that could not be read says nothing of the board
            yield self.board_checked(response.url, board, (p.jobTitle for p in jobs))
        for posting in postings:
            if not needs_pay_detail(posting):
                yield posting
                continue
            yield scrapy.Request(
                job_detail_url(base_url, board, posting.jobPostingId),
                callback=self.parse_job,
                errback=self.job_detail_failed,
                cb_kwargs={"listed": posting},
            )

    def parse_job(self, response, page: GreenhouseJobPage, listed):
        yield page.with_pay(listed)

    def job_detail_failed(self, failure):
        # The listed posting stands on its own; a missing detail only means no pay ranges.
        self.crawler.stats.inc_value("secjobs/greenhouse/detail_failed")
        yield failure.request.cb_kwargs["listed"]
