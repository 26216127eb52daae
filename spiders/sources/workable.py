"""Workable's own keys in workable.toml."""

from __future__ import annotations

from spiders.sources.spec import SourceSpec


class WorkableSpec(SourceSpec):
    accounts: list[str]
