"""Ashby job posting API: every listed job of each configured board, with compensation."""

from __future__ import annotations

from spiders.crawlers.base import BoardSpider
from spiders.pages.ashby import AshbyJobBoardPage, job_board_url


class AshbyJobBoardSpider(BoardSpider):
    name = "ashby"

    async def start(self):
        base_url = self.settings.get("ASHBY_BASE_URL")
        for board in self.boards():
            yield self.board_request(
                job_board_url(base_url, board), board, self.parse_board, cb_kwargs={"board": board}
            )

    def parse_board(self, response, page: AshbyJobBoardPage, board: str):
        names = self.settings.getdict("ASHBY_NAMES")
        postings = page.postings(board, names.get(board))
        # An unknown Ashby board may answer 200 with no jobs: it reads as empty, never gone.
        check = self.listing_checked(response.url, board, postings)
        if check:
            yield check
        yield from postings
