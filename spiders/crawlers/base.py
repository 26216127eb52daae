"""What every secjobs spider shares: a run id that names its staged feed, credentials, skipping."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import scrapy


class SecjobsSpider(scrapy.Spider):
    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The staged feed and stats file are named after the run (FEEDS uses %(run_id)s).
        self.run_id = run_id or datetime.now(UTC).strftime("adhoc-%Y%m%dT%H%M%SZ")

    def credentials(self, prefix: str, *names: str) -> dict[str, str] | None:
        """``<PREFIX>_<NAME>`` settings (the sandbox sets dummies), else the environment
        variables named by ``<PREFIX>_<NAME>_ENV``. Any missing: the crawl is skipped, saying which.
        """
        found, missing = {}, []
        for name in names:
            variable = self.settings.get(f"{prefix}_{name}_ENV")
            value = self.settings.get(f"{prefix}_{name}") or (
                os.environ.get(variable) if variable else None
            )
            if value:
                found[name] = value
            else:
                missing.append(variable or f"{prefix}_{name}")
        if missing:
            self.skip(f"{' and '.join(missing)} not set")
            return None
        return found

    def skip(self, reason: str) -> None:
        """Yield nothing and say why: the run reports the source as skipped, not empty."""
        self.crawler.stats.set_value("secjobs/skipped", 1)
        self.crawler.stats.set_value("secjobs/skipped_reason", reason)

    def page_lost(self, failure):
        """Errback (set by LostPageMiddleware): a page lost on the way is a PageFailure item."""
        from spiders.middlewares import lost_page

        failure_item = lost_page(failure, self.crawler.stats)
        if failure_item is not None:
            yield failure_item
