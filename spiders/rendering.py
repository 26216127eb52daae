"""Scrapy settings that render pages in a headless browser (scrapy-playwright, system Chromium).

Never ``playwright install``: the browser is the distribution's, at ``/usr/bin/chromium``.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def rendering_settings() -> dict:
    """Scrapy settings that send requests through scrapy-playwright and the system Chromium."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": CHROMIUM,
            "headless": True,
            "args": CHROMIUM_ARGS,
        },
        # Only the salary page itself is needed: skip images, fonts and media.
        "PLAYWRIGHT_ABORT_REQUEST": _skip_heavy_resources,
    }


def _skip_heavy_resources(request) -> bool:
    return request.resource_type in ("image", "media", "font")
