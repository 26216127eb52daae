"""Stamp every item with where it was read: the sandbox (a loopback host) or the live web.

The store refuses sandbox records for a live database and the other way round
(pipeline.origin), so a crawl pointed at the sandbox by any setting, not only
``SECJOBS_SANDBOX_URL``, can never pass for a live one.
"""

from __future__ import annotations

from contextlib import suppress

from itemadapter import ItemAdapter
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from pipeline.origin import origin_of_url


class OriginMiddleware(BaseSpiderMiddleware):
    def get_processed_item(self, item, response):
        if response is not None:
            # An item type without the field has nothing to stamp.
            with suppress(KeyError):
                ItemAdapter(item)["origin"] = origin_of_url(response.url)
        return item
