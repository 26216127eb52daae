"""BLS OEWS's own keys in bls_oews.toml."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from spiders.sources.spec import EnvName, SourceSpec, Table, Url


class OewsAreaConfig(Table):
    """An area as the API names it (type and 7-digit code) and as the files do."""

    type: Literal["N", "S", "M"]
    code: str = Field(pattern=r"^\d{1,7}$")
    file_area: str
    geography: str


class BlsOewsSpec(SourceSpec):
    api_base: Url
    files_base: Url
    contact_env: EnvName
    api_key_env: EnvName
    routes: list[Literal["api", "file"]]
    api_start_year: int
    api_end_year: int
    api_years: int = Field(ge=1)
    file_years: list[int]
    file_kinds: list[Literal["nat", "ma", "st"]]
    occupations: list[str]
    areas: list[OewsAreaConfig]
    # Reference year -> the annual top-code threshold (TOML keys are strings: "2018" is 2018).
    top_code_annual: dict[Annotated[int, Strict(False)], int | float] = {}
