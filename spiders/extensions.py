"""Extensions: write the crawl's final stats to a JSON file beside its staged feed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from scrapy import signals


class StatsFileExtension:
    def __init__(self, crawler, path_template: str | None):
        self.crawler = crawler
        self.path_template = path_template

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.get("STATS_FILE"))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        if not self.path_template:
            return
        params = {"name": spider.name, "run_id": getattr(spider, "run_id", "adhoc")}
        path = Path(self.path_template % params)
        path.parent.mkdir(parents=True, exist_ok=True)
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        path.write_text(json.dumps(stats, default=_jsonable, indent=1, sort_keys=True))


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
