"""Remotive API: each configured search, once per run (Remotive blocks more than 2 a minute).

Remotive's terms: link back to each job's Remotive URL and mention Remotive as the source.
"""

from __future__ import annotations

import json

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.remotive import RemotiveJobsPage, jobs_url

# The slot delay from remotive.toml is Remotive's published limit (2 requests a minute):
# AutoThrottle must not shorten it.
KEEP_SLOT_DELAY = {"autothrottle_dont_adjust_delay": True}


class RemotiveJobsSpider(SecjobsSpider):
    name = "remotive"

    async def start(self):
        searches = self.settings.get("REMOTIVE_SEARCHES") or []
        if isinstance(searches, str):  # -s REMOTIVE_SEARCHES='[{"search": "security"}]'
            searches = json.loads(searches)
        self.seen: set[str] = set()
        base_url = self.settings.get("REMOTIVE_BASE_URL")
        for search in searches:
            yield scrapy.Request(
                jobs_url(base_url, dict(search)), callback=self.parse, meta=KEEP_SLOT_DELAY
            )

    def parse(self, response, page: RemotiveJobsPage):
        for item in page.postings():
            # A job matching several searches is staged once per crawl.
            posting_id = getattr(item, "jobPostingId", None)
            if posting_id is not None:
                if posting_id in self.seen:
                    self.crawler.stats.inc_value("secjobs/duplicate_skipped")
                    continue
                self.seen.add(posting_id)
            yield item
