"""Remotive's own keys in remotive.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec, Table


class RemotiveSearch(Table):
    """One request: the API's query parameters."""

    search: str | None = None
    category: str | None = None
    company_name: str | None = None
    limit: int | None = Field(default=None, ge=1)


class RemotiveSpec(SourceSpec):
    searches: list[RemotiveSearch]
