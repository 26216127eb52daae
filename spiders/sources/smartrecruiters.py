"""SmartRecruiters' own keys in smartrecruiters.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec, TitleFamily


class SmartRecruitersSpec(SourceSpec):
    companies: list[str]
    # `limit` per list request; the API allows at most 100.
    page_size: int = Field(ge=1, le=100)
    # The Posting API's keyword search (`q`), one list per search; none lists everything.
    searches: list[str]
    # Details are fetched only for listed titles of these families.
    detail_families: list[TitleFamily] = Field(min_length=1)
