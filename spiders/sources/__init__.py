"""The registry of sources: ``spiders/sources/<spider>.toml``, validated (``spec.py``), and what
other layers read from it (Scrapy settings, display names, deployment groups, sandbox URLs)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spiders.sources.spec import Attribution, SourceSpec, SourceSpecError, load_specs

SOURCES_DIR = Path(__file__).parent

__all__ = [
    "SOURCES_DIR",
    "SourceSpec",
    "SourceSpecError",
    "attribution",
    "attributions",
    "deployment_spiders",
    "display_name",
    "load_sources",
    "query_settings",
    "sandbox_settings",
    "source_settings",
    "source_spec",
    "source_specs",
]


@functools.cache
def _specs(directory: Path) -> dict[str, SourceSpec]:
    return load_specs(directory)


def source_specs(directory: Path = SOURCES_DIR) -> dict[str, SourceSpec]:
    """Every source, by spider name, read once; ``SourceSpecError`` names each bad file."""
    return dict(_specs(directory.resolve()))


def source_spec(name: str) -> SourceSpec:
    specs = source_specs()
    if name not in specs:
        raise KeyError(f"no source {name!r}; sources: {', '.join(specs)}")
    return specs[name]


def display_name(source: str) -> str:
    """What reports call ``source`` (its ``display_name``); the name itself if not a source."""
    spec = source_specs().get(source)
    return spec.display_name if spec is not None else source


def attribution(source: str) -> Attribution | None:
    """The credit ``source``'s terms ask for, if any."""
    spec = source_specs().get(source)
    return spec.attribution if spec is not None else None


def attributions() -> dict[str, tuple[str, str]]:
    """``{source: (text, url)}`` of the sources whose terms ask to be credited."""
    return {
        name: (spec.attribution.text, spec.attribution.url)
        for name, spec in source_specs().items()
        if spec.attribution is not None
    }


def deployment_spiders(deployment: str) -> list[str]:
    """The spiders the ``deployment`` of prefect.yaml crawls, by name."""
    return [name for name, spec in source_specs().items() if spec.deployment == deployment]


def load_sources(directory: Path = SOURCES_DIR) -> dict[str, dict]:
    """Each source's Scrapy-facing keys (and ``politeness``) as plain data."""
    return {
        name: {
            **spec.values(),
            **({"politeness": spec.politeness.model_dump()} if spec.politeness else {}),
        }
        for name, spec in source_specs(directory).items()
    }


def source_settings(sources: dict[str, dict]) -> dict:
    """``<SOURCE>_<KEY>`` settings, plus DOWNLOAD_SLOTS from each ``[politeness]`` table."""
    settings: dict = {}
    slots: dict[str, dict] = {}
    for name, config in sources.items():
        for key, value in config.items():
            if key != "politeness":
                settings[f"{name.upper()}_{key.upper()}"] = value
        polite = config.get("politeness")
        host = urlsplit(config.get("base_url", "")).hostname
        if polite and host:
            slots[host] = {k: v for k, v in polite.items() if k in ("delay", "concurrency")}
    settings["DOWNLOAD_SLOTS"] = slots
    return settings


def query_settings(spider: str, queries: list[str]) -> dict[str, str]:
    """``-s`` settings that replace a search source's configured queries with ``queries``
    (sources without a ``query_setting``, such as job boards, ignore them)."""
    spec = source_specs().get(spider)
    return spec.query_settings(queries) if spec is not None else {}


def sandbox_settings(base_url: str, directory: Path = SOURCES_DIR) -> dict[str, Any]:
    """Settings that send every source to the sandbox at ``base_url``, from each source's
    ``[sandbox]`` table (no import of sandbox/)."""
    settings: dict[str, Any] = {
        # The sandbox is ours: no need to wait between requests.
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_SLOTS": {},
    }
    for spec in source_specs(directory).values():
        settings.update(spec.sandbox_settings(base_url.rstrip("/")))
    return settings
