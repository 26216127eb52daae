"""Adzuna API: job search pages per role, plus the role's salary histogram and monthly history.

Needs an app id and key from the environment variables named in
``spiders/sources/adzuna.toml``; without them the crawl is reported as skipped.
"""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.adzuna import (
    AdzunaHistogramPage,
    AdzunaHistoryPage,
    AdzunaSearchPage,
    api_url,
    search_url,
)

JSON = {"content-type": "application/json"}
# The slot delay from adzuna.toml keeps under Adzuna's 25 hits a minute: AutoThrottle must
# not shorten it. The URLs carry the app key, so they stay out of the HTTP cache on disk.
KEEP_SLOT_DELAY = {"autothrottle_dont_adjust_delay": True, "dont_cache": True}


class AdzunaJobsSpider(SecjobsSpider):
    name = "adzuna"

    async def start(self):
        credentials = self.credentials("ADZUNA", "APP_ID", "APP_KEY")
        if credentials is None:
            return
        app_id, app_key = credentials["APP_ID"], credentials["APP_KEY"]
        self.base_url = self.settings.get("ADZUNA_BASE_URL")
        self.country = self.settings.get("ADZUNA_COUNTRY", "us")
        self.per_page = self.settings.getint("ADZUNA_RESULTS_PER_PAGE", 50)
        self.max_pages = self.settings.getint("ADZUNA_MAX_PAGES", 1)
        self.auth = {"app_id": app_id, "app_key": app_key}
        for role in self.settings.getlist("ADZUNA_QUERIES"):
            yield self._search(role, 1)
            if self.settings.getbool("ADZUNA_HISTOGRAM", True):
                yield scrapy.Request(
                    api_url(
                        self.base_url,
                        f"{self.country}/histogram",
                        {**self.auth, "what": role, **JSON},
                    ),
                    callback=self.parse_histogram,
                    cb_kwargs={"role": role},
                    meta=KEEP_SLOT_DELAY,
                )
            months = self.settings.getint("ADZUNA_HISTORY_MONTHS", 0)
            if months:
                yield scrapy.Request(
                    api_url(
                        self.base_url,
                        f"{self.country}/history",
                        {**self.auth, "what": role, "months": months, **JSON},
                    ),
                    callback=self.parse_history,
                    cb_kwargs={"role": role},
                    meta=KEEP_SLOT_DELAY,
                )

    def _search(self, role: str, page_number: int) -> scrapy.Request:
        params = {**self.auth, "what": role, "results_per_page": self.per_page, **JSON}
        return scrapy.Request(
            search_url(self.base_url, self.country, page_number, params),
            callback=self.parse_search,
            cb_kwargs={"role": role, "page_number": page_number},
            meta=KEEP_SLOT_DELAY,
        )

    def parse_search(self, response, page: AdzunaSearchPage, role: str, page_number: int):
        yield from page.postings(self.country)
        if page_number == 1:
            count = page.total_count() or 0
            pages = min(self.max_pages, -(-count // self.per_page))
            for number in range(2, pages + 1):
                yield self._search(role, number)

    def parse_histogram(self, response, page: AdzunaHistogramPage, role: str):
        yield from page.observations(self.country, role)

    def parse_history(self, response, page: AdzunaHistoryPage, role: str):
        yield from page.observations(self.country, role)
