"""Ashby job posting API: every listed job of each configured board, with compensation."""

from __future__ import annotations

from spiders.crawlers.base import BoardSpider
from spiders.items import JobPosting
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
        jobs = [p for p in postings if isinstance(p, JobPosting)]
        # An unknown Ashby board may answer 200 with no jobs: it reads as empty, never gone.
        if len(jobs) == len(postings):
            yield self.board_checked(response.url, board, (p.jobTitle for p in jobs))
        yield from postings
