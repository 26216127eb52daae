"""One module per source: its sandbox routes.

Each module defines ``add_routes(router, market)``; modules are found automatically, so adding
a source touches no shared file. What points a spider here is the ``[sandbox]`` table of its
``spiders/sources/<spider>.toml`` (Scrapy never imports this package). A module's optional
``scrapy_settings(base_url) -> dict`` says what the sandbox serves, from the generator and
the recordings; tests/test_sources.py checks that the TOML tables agree with it.
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
