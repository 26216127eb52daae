"""SmartRecruiters Posting API: each company's postings, page by page, then each detail.

Details carry validators, so the HTTP cache revalidates them on later crawls.
"""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.items import PageFailure
from spiders.pages.smartrecruiters import (
    SmartRecruitersListPage,
    SmartRecruitersPostingPage,
    posting_url,
    postings_url,
)


class SmartRecruitersPostingsSpider(SecjobsSpider):
    name = "smartrecruiters"

    async def start(self):
        for company in self.settings.getlist("SMARTRECRUITERS_COMPANIES"):
            yield self._list_request(company, 0)

    def _list_request(self, company: str, offset: int) -> scrapy.Request:
        limit = self.settings.getint("SMARTRECRUITERS_PAGE_SIZE", 100)
        return scrapy.Request(
            postings_url(self.settings.get("SMARTRECRUITERS_BASE_URL"), company, offset, limit),
            callback=self.parse_list,
            cb_kwargs={"company": company},
        )

    def parse_list(self, response, page: SmartRecruitersListPage, company: str):
        base_url = self.settings.get("SMARTRECRUITERS_BASE_URL")
        for posting_id in page.posting_ids():
            if isinstance(posting_id, PageFailure):
                yield posting_id
                continue
            yield scrapy.Request(
                posting_url(base_url, company, posting_id), callback=self.parse_posting
            )
        offset = page.next_offset()
        if offset is not None:
            yield self._list_request(company, offset)

    def parse_posting(self, response, page: SmartRecruitersPostingPage):
        yield page.posting()
