"""BLS CPI-U's own keys in bls_cpi.toml."""

from __future__ import annotations

from typing import Literal

from spiders.sources.spec import EnvName, SourceSpec, Url


class BlsCpiSpec(SourceSpec):
    file_url: Url
    api_base: Url
    contact_env: EnvName
    api_key_env: EnvName
    routes: list[Literal["file", "api"]]
    series: list[str]
    # 0 = the current year.
    api_start_year: int
    api_end_year: int
