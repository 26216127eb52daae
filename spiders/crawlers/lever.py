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

    def listing_context(self, board: str) -> str:
        return self.settings.getdict("LEVER_NAMES").get(board) or ""

    def parse_postings(
        self, response, page: LeverPostingsPage, site: str, skip: int, titles: tuple
    ):
        # Only a site listed in one page has its digest stored (below), so a first page the
        # same as that page is again the whole listing.
        digest = self.listing_digest(response, site) if skip == 0 else None
        if digest and (unchanged := self.unchanged_listing(response, site, digest)):
            yield unchanged
            return
        names = self.settings.getdict("LEVER_NAMES")
        postings = self.on_board(page.postings(site, names.get(site)), site)
        yield from postings
        jobs = [p for p in postings if isinstance(p, JobPosting)]
        titles += tuple(p.jobTitle for p in jobs)
        # A full page means there may be more: Lever documents no total count.
        count = page.count()
        if count and count >= self.settings.getint("LEVER_PAGE_SIZE", 100):
            yield self._page_request(site, skip + count, titles)
        elif len(jobs) == len(postings):  # the board's last page, read: what it listed
            yield self.board_checked(response.url, site, titles)
            if digest:  # and its first: the whole listing was this response
                yield self.listing_read(response.url, site, digest)
