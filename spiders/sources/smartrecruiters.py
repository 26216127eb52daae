"""SmartRecruiters' own keys in smartrecruiters.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec


class SmartRecruitersSpec(SourceSpec):
    companies: list[str]
    # `limit` per list request; the API allows at most 100.
    page_size: int = Field(ge=1, le=100)
