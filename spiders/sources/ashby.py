"""Ashby's own keys in ashby.toml."""

from __future__ import annotations

from spiders.sources.spec import SourceSpec


class AshbySpec(SourceSpec):
    boards: list[str]
    # Board name -> the employer's name (the API names jobs by board only).
    names: dict[str, str] = {}
