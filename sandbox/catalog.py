"""Scrapy settings that point every source at a running sandbox."""

from sandbox.generator import BOARD_TOKENS
from sandbox.server import RECORDED_GREENHOUSE_BOARDS


def sandbox_source_settings(base_url: str) -> dict:
    return {
        "GREENHOUSE_BASE_URL": f"{base_url}/greenhouse",
        "GREENHOUSE_BOARDS": [*RECORDED_GREENHOUSE_BOARDS, *BOARD_TOKENS],
        "CAREERS_SITEMAPS": [f"{base_url}/careers/sitemap.xml"],
        "CAREERS_FOLLOW": ["/careers/jobs/", "/careers/recorded/"],
        # The sandbox is ours: no need to wait between requests.
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    }
