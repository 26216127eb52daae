"""Per-source configuration files (``<spider>.toml``) turned into Scrapy settings."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

SOURCES_DIR = Path(__file__).parent


def load_sources(directory: Path = SOURCES_DIR) -> dict[str, dict]:
    return {path.stem: tomllib.loads(path.read_text()) for path in sorted(directory.glob("*.toml"))}


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
    (sources without a search, such as job boards, ignore them)."""
    if not queries:
        return {}
    if spider == "adzuna":
        return {"ADZUNA_QUERIES": ",".join(q.replace(",", " ") for q in queries)}
    if spider == "usajobs":
        return {"USAJOBS_SEARCHES": json.dumps([{"Keyword": q} for q in queries])}
    if spider == "remotive":
        return {"REMOTIVE_SEARCHES": json.dumps([{"search": q} for q in queries])}
    return {}
