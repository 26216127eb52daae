"""Career sites: follow sitemaps to job pages and read their schema.org JobPosting JSON-LD."""

from __future__ import annotations

import re

from scrapy.spiders import SitemapSpider

from spiders.crawlers.base import SecjobsSpider
from spiders.pages.jsonld import JsonLdJobPage


class CareersJsonLdSpider(SecjobsSpider, SitemapSpider):
    name = "careers"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sitemap_urls = crawler.settings.getlist("CAREERS_SITEMAPS")
        follow = crawler.settings.getlist("CAREERS_FOLLOW")
        # SitemapSpider compiles its rules in __init__; settings arrive only here.
        spider._cbs = [(re.compile(pattern), spider.parse_job) for pattern in follow]
        return spider

    def parse_job(self, response, page: JsonLdJobPage):
        yield from page.postings()
