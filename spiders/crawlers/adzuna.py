"""Adzuna API: job search pages per role, plus the role's salary histogram and monthly history.

Needs an app id and key from the environment variables named in
``spiders/sources/adzuna.toml``; without them the crawl is reported as skipped.
"""

from __future__ import annotations

import os

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


def _setting_or_env(settings, name: str) -> str | None:
    """``ADZUNA_<NAME>`` if set (the sandbox sets dummies), else the environment variable
    named by ``ADZUNA_<NAME>_ENV``."""
    value = settings.get(f"ADZUNA_{name}")
    if value:
        return value
    variable = settings.get(f"ADZUNA_{name}_ENV")
    return os.environ.get(variable) if variable else None


class AdzunaJobsSpider(SecjobsSpider):
    name = "adzuna"

    async def start(self):
        app_id = _setting_or_env(self.settings, "APP_ID")
        app_key = _setting_or_env(self.settings, "APP_KEY")
        missing = [
            self.settings.get(f"ADZUNA_{name}_ENV", f"ADZUNA_{name}")
            for name, value in (("APP_ID", app_id), ("APP_KEY", app_key))
            if not value
        ]
        if missing:
            self.crawler.stats.set_value("secjobs/skipped", 1)
            self.crawler.stats.set_value(
                "secjobs/skipped_reason", f"{' and '.join(missing)} not set"
            )
            return
        self.base_url = self.settings.get("ADZUNA_BASE_URL")
        self.country = self.settings.get("ADZUNA_COUNTRY", "us")
        self.per_page = self.settings.getint("ADZUNA_RESULTS_PER_PAGE", 50)
        self.max_pages = self.settings.getint("ADZUNA_MAX_PAGES", 1)
        self.credentials = {"app_id": app_id, "app_key": app_key}
        for role in self.settings.getlist("ADZUNA_QUERIES"):
            yield self._search(role, 1)
            if self.settings.getbool("ADZUNA_HISTOGRAM", True):
                yield scrapy.Request(
                    api_url(
                        self.base_url,
                        f"{self.country}/histogram",
                        {**self.credentials, "what": role, **JSON},
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
                        {**self.credentials, "what": role, "months": months, **JSON},
                    ),
                    callback=self.parse_history,
                    cb_kwargs={"role": role},
                    meta=KEEP_SLOT_DELAY,
                )

    def _search(self, role: str, page_number: int) -> scrapy.Request:
        params = {**self.credentials, "what": role, "results_per_page": self.per_page, **JSON}
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
