"""USAJOBS Search API: each configured search, every page, federal postings with posted pay.

Needs an API key and the e-mail address it was issued to, from the environment variables
named in ``spiders/sources/usajobs.toml``; without them the crawl is reported as skipped.
"""

from __future__ import annotations

import json

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.usajobs import (
    MAX_RESULTS_PER_PAGE,
    UsajobsSearchPage,
    request_headers,
    search_url,
)


class UsajobsSearchSpider(SecjobsSpider):
    name = "usajobs"

    async def start(self):
        credentials = self.credentials("USAJOBS", "API_KEY", "USER_AGENT")
        if credentials is None:
            return
        api_key, user_agent = credentials["API_KEY"], credentials["USER_AGENT"]
        self.base_url = self.settings.get("USAJOBS_BASE_URL")
        self.per_page = min(
            self.settings.getint("USAJOBS_RESULTS_PER_PAGE", MAX_RESULTS_PER_PAGE),
            MAX_RESULTS_PER_PAGE,
        )
        self.headers = request_headers(self.base_url, user_agent, api_key)
        self.seen: set[str] = set()
        for search in self._searches():
            yield self._request(search, 1)

    def _searches(self) -> list[dict]:
        searches = self.settings.get("USAJOBS_SEARCHES") or []
        if isinstance(searches, str):  # -s USAJOBS_SEARCHES='[{"Keyword": "CISO"}]'
            searches = json.loads(searches)
        return [dict(s) for s in searches]

    def _request(self, search: dict, page: int) -> scrapy.Request:
        return scrapy.Request(
            search_url(self.base_url, search, page, self.per_page),
            headers=self.headers,
            callback=self.parse_search,
            cb_kwargs={"search": search, "page_number": page},
            # The request carries the API key: keep it out of the HTTP cache on disk.
            meta={"dont_cache": True},
        )

    def parse_search(self, response, page: UsajobsSearchPage, search: dict, page_number: int):
        for item in page.postings():
            # Searches overlap ("cybersecurity manager", "information security manager"):
            # each announcement is staged once per crawl.
            posting_id = getattr(item, "jobPostingId", None)
            if posting_id is not None:
                if posting_id in self.seen:
                    self.crawler.stats.inc_value("secjobs/duplicate_skipped")
                    continue
                self.seen.add(posting_id)
            yield item
        if page_number == 1:
            for next_page in range(2, page.page_count(self.per_page) + 1):
                yield self._request(search, next_page)
