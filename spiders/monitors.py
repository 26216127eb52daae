"""Close-of-crawl health checks (spidermon): finish reason, errors, required fields.

A failing spidermon monitor does not change Scrapy's exit code, so failures are written to
the crawl's stats (``secjobs/monitors_failed``) and the pipeline judges the crawl from them.
"""

from __future__ import annotations

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor
from spidermon.core.actions import Action

# Fields every staged item of a kind must carry; anything less means the page layout moved.
REQUIRED_FIELDS = {
    "JobPosting": ("url", "jobTitle"),
    "SalaryObservation": ("url", "roleQuery", "geography", "metric", "value"),
    "PriceIndexObservation": ("seriesId", "period", "value"),
}


@monitors.name("Required fields")
class RequiredFieldsMonitor(Monitor):
    @monitors.name("every item carries its required fields")
    def test_required_fields(self):
        stats = self.data.stats
        missing = []
        for item_type, fields in REQUIRED_FIELDS.items():
            total = stats.get(f"spidermon_item_scraped_count/{item_type}", 0)
            if not total:
                continue
            for field in fields:
                present = stats.get(f"spidermon_item_scraped_count/{item_type}/{field}", 0)
                if present < total:
                    missing.append(f"{item_type}.{field} in {present} of {total}")
        self.assertFalse(missing, msg="; ".join(missing))


class RecordFailuresInStats(Action):
    def run_action(self):
        failures = [
            f"{result.monitor.name}: {result.reason}".strip()
            for result in self.result.monitors_failed_results
        ]
        self.data.crawler.stats.set_value("secjobs/monitors_failed", " | ".join(failures)[:2000])


class CrawlHealthSuite(MonitorSuite):
    monitors = [FinishReasonMonitor, ErrorCountMonitor, RequiredFieldsMonitor]
    monitors_failed_actions = [RecordFailuresInStats]
