"""Greenhouse's own keys in greenhouse.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec, TitleFamily


class GreenhouseSpec(SourceSpec):
    boards: list[str]
    # Boards are listed without content; a job's detail (content and pay ranges) is fetched
    # only when its title is of one of these families.
    detail_families: list[TitleFamily] = Field(min_length=1)
