"""Published rate limits hold under AutoThrottle; per-source slots come from the TOML files."""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from spiders.extensions import PoliteAutoThrottle
from spiders.sources import load_sources, source_settings


def test_every_politeness_table_becomes_a_download_slot():
    sources = load_sources()
    slots = source_settings(sources)["DOWNLOAD_SLOTS"]
    assert slots["api.lever.co"]["delay"] == sources["lever"]["politeness"]["delay"]
    assert slots["boards-api.greenhouse.io"] == {"delay": 1.0, "concurrency": 2}


def test_autothrottle_never_goes_below_the_published_delay():
    crawler = get_crawler(
        settings_dict={
            "AUTOTHROTTLE_ENABLED": True,
            "DOWNLOAD_DELAY": 0.1,
            "DOWNLOAD_SLOTS": {"remotive.com": {"delay": 35.0}},
        }
    )
    throttle = PoliteAutoThrottle(crawler)
    throttle.mindelay, throttle.maxdelay = 0.1, 60.0
    fast = Response("https://remotive.com/api/remote-jobs", request=Request("https://x"))
    slot = Slot(concurrency=1, delay=35.0, jitter=0)
    throttle._adjust_delay(slot, latency=0.05, response=fast)  # a fast API: plain AutoThrottle
    assert slot.delay == 35.0  # would drop towards 0.1 s
    other = Slot(concurrency=1, delay=5.0, jitter=0)
    throttle._adjust_delay(
        other, latency=0.05, response=Response("https://example.com/", request=Request("https://x"))
    )
    assert other.delay < 5.0  # hosts without a published limit still adapt
