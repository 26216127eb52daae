"""The HTML report in a real browser (headless Chromium through Playwright).

Charts render, nothing logs an error, nothing is fetched from the network, the page fits a
phone, and hostile scraped text is shown as text without running. Screenshots for review land
in ``tests/artifacts/`` (gitignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboards.report import build_report
from pipeline.db import upgrade
from spiders.rendering import CHROMIUM_ARGS  # the flags the crawls' Chromium runs with
from tests.test_report import HOSTILE_JS, NOW, seed_market

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHART_KEYS = {
    "trend-average",
    "trend-high",
    "trend-premium",
    "pay-histogram",
    "pay-by-seniority",
    "pay-by-metro",
    "requirements",
    "postings-by-source",
}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is required in CI (.ci/run installs it)")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The report of a seeded market and of an empty database."""
    root = tmp_path_factory.mktemp("browser")
    full_url = f"sqlite:///{root / 'full.db'}"
    seed_market(full_url)
    full, _, _ = build_report(full_url, root / "full", now=NOW)
    empty_url = f"sqlite:///{root / 'empty.db'}"
    upgrade(empty_url)
    empty, _, _ = build_report(empty_url, root / "empty", now=NOW)
    return {"full": full.html, "empty": empty.html}


class Visit:
    """One page load with everything the browser reported while loading it."""

    def __init__(self, browser, path: Path, viewport: dict, **context_options) -> None:
        self.context = browser.new_context(viewport=viewport, **context_options)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.fetched: list[str] = []

        def route(request_route):
            # The report opens offline: anything but the file itself is a bug, and refused.
            url = request_route.request.url
            if url.startswith(("file:", "data:", "blob:")):
                request_route.continue_()
            else:
                self.fetched.append(url)
                request_route.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri(), wait_until="load")

    def charts(self) -> dict[str, bool]:
        """Each plot div by id: whether Plotly drew its SVG."""
        return self.page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('.plotly-graph-div')].map(
                 d => [d.id.replace(/^chart-/, ''), d.querySelector('svg.main-svg') !== null]))"""
        )

    def horizontal_overflow(self) -> int:
        return self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


def test_every_chart_renders_without_errors_on_a_laptop(browser, reports):
    visit = Visit(browser, reports["full"], DESKTOP)
    try:
        visit.page.wait_for_function(
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".every(d => d.querySelector('svg.main-svg'))",
            timeout=20_000,
        )
        assert visit.charts() == dict.fromkeys(CHART_KEYS, True)
        assert visit.errors == [] and visit.fetched == []
        # Plotly's library is inlined once, not once per chart.
        html = reports["full"].read_text()
        assert html.count("Plotly.newPlot(") == len(CHART_KEYS)
        assert html.count("plotly.js v") == 1
        body = visit.page.inner_text("body")
        assert "$146,975" in body  # 117,580 in April 2026 dollars (+25% CPI)
        assert "+28.1%" in body  # postings: SF mean 190,000 vs US 148,333
        visit.screenshot("report-desktop.png")
    finally:
        visit.close()


def test_report_fits_a_phone(browser, reports):
    visit = Visit(
        browser, reports["full"], PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        visit.page.wait_for_function(
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".every(d => d.querySelector('svg.main-svg'))",
            timeout=20_000,
        )
        assert visit.horizontal_overflow() <= 0
        widths = visit.page.evaluate(
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".map(d => d.getBoundingClientRect().right)"
        )
        assert widths and max(widths) <= PHONE["width"]
        assert visit.errors == []
        visit.screenshot("report-phone.png")
    finally:
        visit.close()


def test_hostile_scraped_text_is_shown_not_run(browser, reports):
    visit = Visit(browser, reports["full"], DESKTOP)
    try:
        visit.page.wait_for_timeout(300)  # let any planted onerror handler fire
        assert visit.dialogs == []
        assert visit.page.evaluate("() => window.__pwned") is None
        # A job title, an employer and a source's reason, each shown verbatim as text.
        rows = visit.page.locator("#distribution tr", has_text="$120,000")
        cells = rows.last.locator("td").all_inner_texts()
        assert cells == [
            HOSTILE_JS,
            HOSTILE_JS,
            "Austin-Round Rock-San Marcos, TX",
            "Greenhouse",
            "$120,000",
        ]
        employer = visit.page.locator("#distribution td", has_text=HOSTILE_JS)
        assert employer.count() == 3  # employers table, best-paid title and employer
        glassdoor = visit.page.locator("#quality tr", has_text="Glassdoor").first
        assert f"challenge {HOSTILE_JS}" in glassdoor.inner_text()
        assert (
            visit.page.locator(".status-blocked + .note", has_text=HOSTILE_JS).count() == 2
        )  # baselines
        # The seniority label reached a chart axis as text too (cut to 16 characters).
        axis = visit.page.text_content("#chart-pay-by-seniority .xaxislayer-above")
        assert axis == "seniormanager<script>window.…"
        assert visit.page.locator("img[src=x]").count() == 0
    finally:
        visit.close()


def test_empty_database_says_no_data_yet(browser, reports):
    visit = Visit(browser, reports["empty"], PHONE, is_mobile=True)
    try:
        assert visit.charts() == {}
        assert visit.errors == [] and visit.fetched == []
        assert visit.horizontal_overflow() <= 0
        body = visit.page.inner_text("body")
        assert "No data yet: no postings stored yet." in body
        assert "no CPI-U (CUUR0000SA0) values stored yet" in body
        visit.screenshot("report-empty-phone.png")
    finally:
        visit.close()
