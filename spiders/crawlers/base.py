"""What every secjobs spider shares: a run id that names its staged feed."""

from __future__ import annotations

from datetime import UTC, datetime

import scrapy


class SecjobsSpider(scrapy.Spider):
    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The staged feed and stats file are named after the run (FEEDS uses %(run_id)s).
        self.run_id = run_id or datetime.now(UTC).strftime("adhoc-%Y%m%dT%H%M%SZ")
