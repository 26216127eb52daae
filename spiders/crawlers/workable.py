"""Workable public account API: every published job of each configured account."""

from __future__ import annotations

from spiders.crawlers.base import BoardSpider
from spiders.pages.workable import WorkableAccountPage, account_url


class WorkableAccountSpider(BoardSpider):
    name = "workable"

    async def start(self):
        base_url = self.settings.get("WORKABLE_BASE_URL")
        for subdomain in self.boards():
            yield self.board_request(
                account_url(base_url, subdomain),
                subdomain,
                self.parse_account,
                cb_kwargs={"subdomain": subdomain},
            )

    def parse_account(self, response, page: WorkableAccountPage, subdomain: str):
        if page.is_html():  # Workable's answer for an account it does not know
            yield self.board_unknown(response.url, subdomain, "HTML instead of JSON")
            return
        digest = self.listing_digest(response, subdomain)
        if unchanged := self.unchanged_listing(response, subdomain, digest):
            yield unchanged
            return
        postings = self.on_board(page.postings(subdomain), subdomain)
        check = self.listing_checked(response.url, subdomain, postings)
        if check:
            yield check
        yield from postings
        if check:
            yield self.listing_read(response.url, subdomain, digest)
