"""Greenhouse Job Board API: each board's jobs, titles first; a job's detail (content and
pay ranges, one request) only when its title is of a family the report needs.

Details carry validators, so the HTTP cache revalidates them on later crawls.
"""

from __future__ import annotations

import scrapy

from pipeline.titles import classify_title
from spiders.crawlers.base import BoardSpider, setting_list
from spiders.items import JobPosting
from spiders.pages.greenhouse import (
    GreenhouseBoardPage,
    GreenhouseJobPage,
    board_jobs_url,
    job_detail_url,
)


class GreenhouseJobsSpider(BoardSpider):
    name = "greenhouse"

    async def start(self):
        base_url = self.settings.get("GREENHOUSE_BASE_URL")
        for board in self.boards():
            yield self.board_request(
                board_jobs_url(base_url, board), board, self.parse_board, cb_kwargs={"board": board}
            )

    def listing_context(self, board: str) -> str:
        return ",".join(sorted(setting_list(self.settings, "GREENHOUSE_DETAIL_FAMILIES")))

    def parse_board(self, response, page: GreenhouseBoardPage, board: str):
        # A board's list carries each job's updated_at: an edited job changes the list.
        digest = self.listing_digest(response, board)
        if unchanged := self.unchanged_listing(response, board, digest):
            yield unchanged
            return
        base_url = self.settings.get("GREENHOUSE_BASE_URL")
        families = set(setting_list(self.settings, "GREENHOUSE_DETAIL_FAMILIES"))
        postings = self.on_board(page.postings(board), board)
        check = self.listing_checked(response.url, board, postings)
        if check:
            yield check
        details = []
        for posting in postings:
            if not isinstance(posting, JobPosting):
                yield posting
            elif not posting.jobTitle:
                # No title to judge by: a layout that moved. Staged as it is, so the field
                # coverage monitor sees it (and the store quarantines it).
                yield posting
            elif classify_title(posting.jobTitle).family not in families:
                self.crawler.stats.inc_value("secjobs/greenhouse/skipped_by_title")
            else:
                details.append(posting.jobPostingId)
                yield scrapy.Request(
                    job_detail_url(base_url, board, posting.jobPostingId),
                    callback=self.parse_job,
                    errback=self.job_detail_failed,
                    cb_kwargs={"listed": posting, "board": board},
                    meta={"secjobs_board": board},  # its links to its own board are no news
                )
        if check:  # read whole: recorded once its details are in
            listing = self.await_details(self.listing_read(response.url, board, digest), details)
            if listing:
                yield listing

    def parse_job(self, response, page: GreenhouseJobPage, listed: JobPosting, board: str):
        posting = self.on_board(page.posting(board, listed), board)
        yield posting
        yield from self.detail_done(board, listed.jobPostingId, read=posting is not listed)

    def job_detail_failed(self, failure):
        # The listed posting stands on its own; a missing detail means no content and no pay.
        self.crawler.stats.inc_value("secjobs/greenhouse/detail_failed")
        listed, board = failure.request.cb_kwargs["listed"], failure.request.cb_kwargs["board"]
        yield listed
        yield from self.detail_done(board, listed.jobPostingId, read=False)
