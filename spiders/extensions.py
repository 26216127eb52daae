"""Extensions: the crawl's final stats beside its staged feed; AutoThrottle with rate floors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle


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


class PoliteAutoThrottle(AutoThrottle):
    """AutoThrottle that never goes below a source's published rate limit.

    Plain AutoThrottle moves every slot's delay towards the observed latency, so a fast API
    would be asked faster than its terms allow. The ``delay`` of a host in DOWNLOAD_SLOTS
    (from ``[politeness]`` in spiders/sources/<spider>.toml) is kept as a floor.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.floors = {
            host: float(slot.get("delay", 0))
            for host, slot in crawler.settings.getdict("DOWNLOAD_SLOTS").items()
        }

    def _adjust_delay(self, slot, latency, response):
        super()._adjust_delay(slot, latency, response)
        floor = self.floors.get(urlsplit(response.url).hostname or "", 0.0)
        slot.delay = max(slot.delay, floor)
