"""ECB reference rates' own keys in ecb_fx.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import SourceSpec


class EcbFxSpec(SourceSpec):
    # The rates file, under base_url.
    path: str = Field(pattern=r"^/")
