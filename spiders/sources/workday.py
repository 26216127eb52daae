"""Workday's own keys in workday.toml."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from spiders.sources.spec import SourceSpec, TitleFamily, Url


def _names_the_host(value: str) -> str:
    if "{host}" not in value:
        raise ValueError("no {host} where each career site's host goes")
    return value


class WorkdaySpec(SourceSpec):
    # Each tenant is its own host: "{host}" is filled in per career site.
    base_url: Annotated[Url, AfterValidator(_names_the_host)]
    # Career-site URLs as board lists give them: https://<tenant>.wd<N>.myworkdayjobs.com/<site>
    sites: list[Url]
    # One search (searchText) per site each; none lists every posting.
    searches: list[str]
    # Details are fetched only for list titles of these families.
    detail_families: list[TitleFamily] = Field(min_length=1)
    # Postings per list request; the API allows at most 20.
    page_size: int = Field(ge=1, le=20)
