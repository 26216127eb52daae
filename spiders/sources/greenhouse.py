"""Greenhouse's own keys in greenhouse.toml."""

from __future__ import annotations

from spiders.sources.spec import SourceSpec


class GreenhouseSpec(SourceSpec):
    boards: list[str]
