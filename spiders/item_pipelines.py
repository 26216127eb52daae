"""Per-crawl item hygiene: stamp provenance, count what was produced."""

from __future__ import annotations

from datetime import UTC, datetime

from itemadapter import ItemAdapter


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
        kind = adapter.get("kind", "unknown")
        self.crawler.stats.inc_value(f"secjobs/items/{kind}")
        if kind == "page_failure":
            self.crawler.stats.inc_value(f"secjobs/page_failure/{adapter['reason']}")
        return item
