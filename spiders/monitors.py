"""Close-of-crawl health checks (spidermon): finish reason, errors, item count, required
fields, and the coverage of title, company and pay.

A failing spidermon monitor does not change Scrapy's exit code, so failures are written to
the crawl's stats (``secjobs/monitors_failed``, and the monitors' names in
``secjobs/monitors_failed_names``) and the pipeline judges the crawl from them.
"""

from __future__ import annotations

from scrapy import signals
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor
from spidermon.core.actions import Action

from pipeline.crawls import content_items, unchanged_boards
from spiders.sources import source_specs

# Fields every staged item of a kind must carry; anything less means the page layout moved.
REQUIRED_FIELDS = {
    "JobPosting": ("url", "jobTitle"),
    "SalaryFigure": ("url", "roleQuery", "geography", "metric", "value"),
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


# Floors of field coverage for job postings: the share of a crawl's postings with a title, a
# company and pay. Pay is published by some postings only, so its floor is low: what it
# catches is a pay selector that stopped matching (coverage falling to nothing). A source
# whose postings state pay more or less often sets `pay_coverage_floor` in its TOML file.
COVERAGE_FLOORS = {"title": 1.0, "company": 0.95, "pay": 0.05}
PAY_FLOOR_MIN_ITEMS = 20  # below this a crawl is too small to judge its pay coverage


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def posting_fields(item) -> dict[str, bool]:
    """Which of title, company and pay a job posting carries (a zero or blank is not pay)."""
    org = getattr(item, "hiringOrganization", None)
    salary = getattr(item, "baseSalary", None)
    pay = salary is not None and (
        bool(salary.valueMin) or bool(salary.valueMax) or not _blank(salary.raw)
    )
    return {
        "title": not _blank(getattr(item, "jobTitle", None)),
        "company": org is not None and not _blank(org.name),
        "pay": pay,
    }


class CoverageStats:
    """Counts, per scraped job posting, whether it has a title, a company and pay.

    Stats: ``secjobs/coverage/JobPosting`` and ``secjobs/coverage/JobPosting/<field>``.
    Spidermon's own field coverage counts a nested object as present even when its name is
    empty, so company and pay are counted here.
    """

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def item_scraped(self, item, response=None, spider=None):
        if type(item).__name__ != "JobPosting":
            return
        self.stats.inc_value("secjobs/coverage/JobPosting")
        for name, present in posting_fields(item).items():
            if present:
                self.stats.inc_value(f"secjobs/coverage/JobPosting/{name}")


def pay_floor(spider: str) -> float:
    """The least share of ``spider``'s postings with pay: its ``pay_coverage_floor``, else
    the default."""
    spec = source_specs().get(spider)
    if spec is None or spec.pay_coverage_floor is None:
        return COVERAGE_FLOORS["pay"]
    return spec.pay_coverage_floor


def coverage_shortfalls(
    stats: dict, spider: str, min_items: int = PAY_FLOOR_MIN_ITEMS
) -> list[str]:
    """Each field whose coverage is under its floor, as 'pay 0% < 5%'."""
    total = stats.get("secjobs/coverage/JobPosting", 0)
    if not total:
        return []
    floors = {**COVERAGE_FLOORS, "pay": pay_floor(spider)}
    short = []
    for name, floor in floors.items():
        if name == "pay" and total < min_items:
            continue
        share = stats.get(f"secjobs/coverage/JobPosting/{name}", 0) / total
        if share < floor:
            short.append(f"{name} {share:.0%} < {floor:.0%} of {total} postings")
    return short


@monitors.name("Field coverage")
class FieldCoverageMonitor(Monitor):
    @monitors.name("job postings carry a title, a company and pay")
    def test_field_coverage(self):
        short = coverage_shortfalls(self.data.stats, self.data.spider.name)
        self.assertFalse(short, msg="; ".join(short))


ITEM_COUNT = "Item count"


@monitors.name(ITEM_COUNT)
class ItemCountMonitor(Monitor):
    """At least ``SECJOBS_MIN_ITEMS`` (default 1) content items, unless the crawl was skipped;
    a board whose listing is unchanged stands for the content it gave before.

    The pipeline reads a lone failure of this monitor on a crawl with no items as ``empty``.
    """

    @monitors.name("the crawl produced content")
    def test_item_count(self):
        stats = self.data.stats
        if stats.get("secjobs/skipped"):
            return
        minimum = self.data.crawler.settings.getint("SECJOBS_MIN_ITEMS", 1)
        found = content_items(stats) + unchanged_boards(stats)
        self.assertGreaterEqual(found, minimum, msg=f"{found} items, expected at least {minimum}")


class RecordFailuresInStats(Action):
    def run_action(self):
        results = self.result.monitors_failed_results
        failures = [f"{result.monitor.name}: {result.reason}".strip() for result in results]
        stats = self.data.crawler.stats
        stats.set_value("secjobs/monitors_failed", " | ".join(failures)[:2000])
        names = sorted({result.monitor.name.split("/")[0] for result in results})
        stats.set_value("secjobs/monitors_failed_names", names)


class CrawlHealthSuite(MonitorSuite):
    monitors = [
        FinishReasonMonitor,
        ErrorCountMonitor,
        ItemCountMonitor,
        RequiredFieldsMonitor,
        FieldCoverageMonitor,
    ]
    monitors_failed_actions = [RecordFailuresInStats]
