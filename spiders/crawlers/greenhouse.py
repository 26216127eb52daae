"""Greenhouse Job Board API: every job of each configured board, with content."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.greenhouse import GreenhouseBoardPage, board_jobs_url


class GreenhouseJobsSpider(SecjobsSpider):
    name = "greenhouse"

    async def start(self):
        base_url = self.settings.get("GREENHOUSE_BASE_URL")
        for board in self.settings.getlist("GREENHOUSE_BOARDS"):
            yield scrapy.Request(
                board_jobs_url(base_url, board),
                callback=self.parse_board,
                cb_kwargs={"board": board},
            )

    def parse_board(self, response, page: GreenhouseBoardPage, board: str):
        yield from page.postings(board)
