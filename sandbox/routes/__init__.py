"""One module per source: its sandbox routes and the Scrapy settings that point its spider here.

Each module defines ``add_routes(router, market)`` and ``scrapy_settings(base_url) -> dict``;
modules are found automatically, so adding a source touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def route_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


def sandbox_scrapy_settings(base_url: str) -> dict:
    """Scrapy settings that send every spider to the sandbox at ``base_url``."""
    settings: dict = {
        # The sandbox is ours: no need to wait between requests.
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_SLOTS": {},
    }
    for module in route_modules():
        settings.update(module.scrapy_settings(base_url))
    return settings
