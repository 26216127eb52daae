"""SmartRecruiters Posting API: each company's total (a one-posting list), then its keyword
searches page by page, then the detail of each posting whose title is of a family the report
needs (security managers and leaders).

Details carry validators, so the HTTP cache revalidates them on later crawls.
"""

from __future__ import annotations

import scrapy

from pipeline.titles import classify_title
from spiders.crawlers.base import BoardSpider, setting_list
from spiders.items import PageFailure
from spiders.pages.smartrecruiters import (
    SmartRecruitersListPage,
    SmartRecruitersPostingPage,
    posting_url,
    postings_url,
)


class SmartRecruitersPostingsSpider(BoardSpider):
    name = "smartrecruiters"

    async def start(self):
        base_url = self.settings.get("SMARTRECRUITERS_BASE_URL")
        for company in self.boards():
            yield self.board_request(
                postings_url(base_url, company, 0, 1),
                company,
                self.parse_company,
                cb_kwargs={"company": company},
            )

    def parse_company(self, response, page: SmartRecruitersListPage, company: str):
        total = page.total()
        if total is None:
            yield page.failure("layout_changed", "no totalFound in the company's list")
            return
        # Any identifier answers 200 with totalFound 0: an unknown company reads as empty.
        yield self.board_checked(response.url, company, None, total)
        if not total:
            return
        for search in setting_list(self.settings, "SMARTRECRUITERS_SEARCHES") or [""]:
            yield self._list_request(company, search, 0)

    def _list_request(self, company: str, search: str, offset: int) -> scrapy.Request:
        limit = self.settings.getint("SMARTRECRUITERS_PAGE_SIZE", 100)
        return scrapy.Request(
            postings_url(
                self.settings.get("SMARTRECRUITERS_BASE_URL"), company, offset, limit, search
            ),
            callback=self.parse_list,
            cb_kwargs={"company": company, "search": search},
            meta={"secjobs_board": company},
        )

    def parse_list(self, response, page: SmartRecruitersListPage, company: str, search: str):
        base_url = self.settings.get("SMARTRECRUITERS_BASE_URL")
        families = set(setting_list(self.settings, "SMARTRECRUITERS_DETAIL_FAMILIES"))
        for posting_id, title in page.listed():
            if isinstance(posting_id, PageFailure):
                yield posting_id
            elif title and classify_title(title).family not in families:
                self.crawler.stats.inc_value("secjobs/smartrecruiters/skipped_by_title")
            else:  # several searches may list it: the duplicate filter fetches it once
                yield scrapy.Request(
                    posting_url(base_url, company, posting_id),
                    callback=self.parse_posting,
                    meta={"secjobs_board": company},
                )
        offset = page.next_offset()
        if offset is not None:
            yield self._list_request(company, search, offset)

    def parse_posting(self, response, page: SmartRecruitersPostingPage):
        yield self.on_board(page.posting(), response.meta["secjobs_board"])
