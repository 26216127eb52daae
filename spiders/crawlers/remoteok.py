"""Remote OK API: the whole board in one request, kept only for security roles.

Remote OK's terms: link back to each job's Remote OK URL (followed, never nofollow) and
mention Remote OK as the source wherever its jobs are shown; no Remote OK logo.
"""

from __future__ import annotations

import scrapy

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.remoteok import RemoteOkFeedPage, feed_url


class RemoteOkJobsSpider(SecjobsSpider):
    name = "remoteok"

    async def start(self):
        yield scrapy.Request(feed_url(self.settings.get("REMOTEOK_BASE_URL")), callback=self.parse)

    def parse(self, response, page: RemoteOkFeedPage):
        self.crawler.stats.set_value("secjobs/remoteok/feed_jobs", page.job_count())
        yield from page.postings(
            self.settings.getlist("REMOTEOK_TITLE_KEYWORDS"),
            self.settings.getlist("REMOTEOK_TAGS"),
        )
