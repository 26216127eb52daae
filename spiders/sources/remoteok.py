"""Remote OK's own keys in remoteok.toml."""

from __future__ import annotations

from spiders.sources.spec import SourceSpec


class RemoteOkSpec(SourceSpec):
    title_keywords: list[str]
    tags: list[str]
