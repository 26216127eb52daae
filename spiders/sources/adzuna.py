"""Adzuna's own keys in adzuna.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import EnvName, SourceSpec


class AdzunaSpec(SourceSpec):
    app_id_env: EnvName
    app_key_env: EnvName
    country: str = Field(pattern=r"^[a-z]{2}$")
    queries: list[str]
    results_per_page: int = Field(ge=1, le=50)
    max_pages: int = Field(ge=1)
    histogram: bool
    history_months: int = Field(ge=0)
