"""Ashby job posting API: every listed job of each configured board, with compensation."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.ashby import AshbyJobBoardPage, job_board_url


class AshbyJobBoardSpider(SecjobsSpider):
    name = "ashby"

    async def start(self):
        base_url = self.settings.get("ASHBY_BASE_URL")
        for board in self.settings.getlist("ASHBY_BOARDS"):
            yield scrapy.Request(
                job_board_url(base_url, board),
                callback=self.parse_board,
                cb_kwargs={"board": board},
            )

    def parse_board(self, response, page: AshbyJobBoardPage, board: str):
        names = self.settings.getdict("ASHBY_NAMES")
        yield from page.postings(board, names.get(board))
