"""Lever Postings API: every published posting of each configured site, page by page."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import BoardSpider
from spiders.items import JobPosting
from spiders.pages.lever import LeverPostingsPage, postings_url


class LeverPostingsSpider(BoardSpider):
    name = "lever"

    async def start(self):
        for site in self.boards():
            yield self._page_request(site, skip=0, titles=())

    def _page_request(self, site: str, skip: int, titles: tuple) -> scrapy.Request:
        limit = self.settings.getint("LEVER_PAGE_SIZE", 100)
        return self.board_request(
            postings_url(self.settings.get("LEVER_BASE_URL"), site, skip, limit),
            site,
            self.parse_postings,
            cb_kwargs={"site": site, "skip": skip, "titles": titles},
        )

    def parse_postings(
        self, response, page: LeverPostingsPage, site: str, skip: int, titles: tuple
    ):
        names = self.settings.getdict("LEVER_NAMES")
        postings = page.postings(site, names.get(site))
        yield from postings
        jobs = [p for p in postings if isinstance(p, JobPosting)]
        titles += tuple(p.jobTitle for p in jobs)
        # A full page means there may be more: Lever documents no total count.
        count = page.count()
        if count and count >= self.settings.getint("LEVER_PAGE_SIZE", 100):
            yield self._page_request(site, skip + count, titles)
        elif len(jobs) == len(postings):  # the board's last page, read: what it listed
            yield self.board_checked(response.url, site, titles)
