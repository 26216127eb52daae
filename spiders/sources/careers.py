"""Career sites' own keys in careers.toml."""

from __future__ import annotations

from spiders.sources.spec import SourceSpec, Url


class CareersSpec(SourceSpec):
    sitemaps: list[Url]
    # Regular expressions; only sitemap entries whose URL matches one are followed.
    follow: list[str]
