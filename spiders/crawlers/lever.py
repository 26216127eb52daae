"""Lever Postings API: every published posting of each configured site, page by page."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.lever import LeverPostingsPage, postings_url


class LeverPostingsSpider(SecjobsSpider):
    name = "lever"

    async def start(self):
        for site in self.settings.getlist("LEVER_COMPANIES"):
            yield self._page_request(site, skip=0)

    def _page_request(self, site: str, skip: int) -> scrapy.Request:
        limit = self.settings.getint("LEVER_PAGE_SIZE", 100)
        return scrapy.Request(
            postings_url(self.settings.get("LEVER_BASE_URL"), site, skip, limit),
            callback=self.parse_postings,
            cb_kwargs={"site": site, "skip": skip},
        )

    def parse_postings(self, response, page: LeverPostingsPage, site: str, skip: int):
        names = self.settings.getdict("LEVER_NAMES")
        yield from page.postings(site, names.get(site))
        # A full page means there may be more: Lever documents no total count.
        count = page.count()
        if count and count >= self.settings.getint("LEVER_PAGE_SIZE", 100):
            yield self._page_request(site, skip + count)
