"""Lever's own keys in lever.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec


class LeverSpec(SourceSpec):
    companies: list[str]
    page_size: int = Field(ge=1)
    # Site name -> the employer's name (the API names postings by site only).
    names: dict[str, str] = {}
