"""Per-crawl item hygiene: stamp provenance, count what was produced."""

from __future__ import annotations

from datetime import UTC, datetime

from itemadapter import ItemAdapter

from pipeline.origin import origin_of_url


class StampPipeline:
    """Stamps each item with its source (the spider), crawl run id and scrape time."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        spider = self.crawler.spider
        adapter = ItemAdapter(item)
        adapter["source"] = spider.name
        adapter["crawlRunId"] = getattr(spider, "run_id", None)
        adapter["scrapedAt"] = datetime.now(UTC).isoformat(timespec="seconds")
        if "origin" in adapter.field_names() and not adapter.get("origin") and adapter.get("url"):
            # An errback's item after a download failure (a board that asked us to wait, a
            # lost page) passed no spider middleware (spiders/origin.py): its own URL says.
            adapter["origin"] = origin_of_url(adapter["url"])
        kind = adapter.get("kind", "unknown")
        self.crawler.stats.inc_value(f"secjobs/items/{kind}")
        if kind == "page_failure":
            self.crawler.stats.inc_value(f"secjobs/page_failure/{adapter['reason']}")
        return item
