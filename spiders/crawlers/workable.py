"""Workable public account API: every published job of each configured account."""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.workable import WorkableAccountPage, account_url


class WorkableAccountSpider(SecjobsSpider):
    name = "workable"

    async def start(self):
        base_url = self.settings.get("WORKABLE_BASE_URL")
        for subdomain in self.settings.getlist("WORKABLE_ACCOUNTS"):
            yield scrapy.Request(
                account_url(base_url, subdomain),
                callback=self.parse_account,
                cb_kwargs={"subdomain": subdomain},
            )

    def parse_account(self, response, page: WorkableAccountPage, subdomain: str):
        yield from page.postings(subdomain)
