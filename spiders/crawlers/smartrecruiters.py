"""SmartRecruiters Posting API: each company's postings, page by page, then each detail.

Details carry validators, so the HTTP cache revalidates them on later crawls.
"""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import BoardSpider
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
        for company in self.boards():
            yield self._list_request(company, 0, ())

    def _list_request(self, company: str, offset: int, titles: tuple) -> scrapy.Request:
        limit = self.settings.getint("SMARTRECRUITERS_PAGE_SIZE", 100)
        return self.board_request(
            postings_url(self.settings.get("SMARTRECRUITERS_BASE_URL"), company, offset, limit),
            company,
            self.parse_list,
            cb_kwargs={"company": company, "titles": titles},
        )

    def parse_list(self, response, page: SmartRecruitersListPage, company: str, titles: tuple):
        base_url = self.settings.get("SMARTRECRUITERS_BASE_URL")
        listed = page.listed()
        for posting_id, _title in listed:
            if isinstance(posting_id, PageFailure):
                yield posting_id
                continue
            yield scrapy.Request(
                posting_url(base_url, company, posting_id), callback=self.parse_posting
            )
        titles += tuple(title for posting_id, title in listed if isinstance(posting_id, str))
        offset = page.next_offset()
        if offset is not None:
            yield self._list_request(company, offset, titles)
        elif all(isinstance(posting_id, str) for posting_id, _ in listed):
            # SmartRecruiters answers any name with totalFound 0: an unknown company reads
            # as empty, never gone.
            yield self.board_checked(response.url, company, titles)

    def parse_posting(self, response, page: SmartRecruitersPostingPage):
        yield page.posting()
