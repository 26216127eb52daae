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

    def listing_context(self, board: str) -> str:
        return self.settings.getdict("ASHBY_NAMES").get(board) or ""

    def parse_board(self, response, page: AshbyJobBoardPage, board: str):
        digest = self.listing_digest(response, board)
        if unchanged := self.unchanged_listing(response, board, digest):
            yield unchanged
            return
        names = self.settings.getdict("ASHBY_NAMES")
        postings = self.on_board(page.postings(board, names.get(board)), board)
        # An unknown Ashby board may answer 200 with no jobs: it reads as empty, never gone.
        check = self.listing_checked(response.url, board, postings)
        if check:
            yield check
        yield from postings
        if check:
            yield self.listing_read(response.url, board, digest)
