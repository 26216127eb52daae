"""Discover employer boards: links to boards on the six ATSs in any page a crawl fetches
(career pages, JSON-LD ``url`` / ``sameAs``, posting descriptions, Greenhouse's embed script)
become ``BoardLink`` items, which the board registry adds as ``discovered`` boards and
crawls from the next run on."""

from __future__ import annotations

from scrapy.http import TextResponse

from pipeline.board_links import find_board_links
from spiders.items import BoardLink
from spiders.urls import without_secrets


class BoardDiscoveryMiddleware:
    """Spider middleware: after a response's own output, one ``BoardLink`` for each board it
    links to that this crawl has not reported yet (stats: ``secjobs/boards/discovered``)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.reported: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_output(self, response, result, spider=None):
        yield from result
        yield from self._links(response)

    async def process_spider_output_async(self, response, result, spider=None):
        async for output in result:
            yield output
        for link in self._links(response):
            yield link

    def _links(self, response):
        if not isinstance(response, TextResponse) or response.meta.get("secjobs_unchanged"):
            return  # an unchanged board listing's links were found when it was read
        # The board a board spider is reading is no discovery.
        crawled = response.meta.get("secjobs_board")
        for board in find_board_links(response.text):
            key = (board.ats, board.identifier)
            if key in self.reported or board.identifier == crawled:
                continue
            self.reported.add(key)
            self.crawler.stats.inc_value("secjobs/boards/discovered")
            yield BoardLink(
                url=without_secrets(response.url),
                ats=board.ats,
                board=board.identifier,
                careersUrl=board.careers_url,
            )
