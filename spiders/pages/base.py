"""What every page object shares: a parse problem becomes a PageFailure item, never an exception."""

from __future__ import annotations

import attrs
from web_poet import WebPage

from spiders.items import PageFailure
from spiders.middlewares import without_secrets

SNIPPET = 500  # characters of the body kept with a failure, for whoever reads the quarantine


@attrs.define
class SourcePage(WebPage):
    def failure(self, reason: str, detail: str = "", snippet: str | None = None) -> PageFailure:
        """A failure of this page; its URL never carries credentials."""
        if snippet is None:
            snippet = self.response.body[:SNIPPET].decode("utf-8", "replace")
        return PageFailure(
            url=without_secrets(str(self.url)),
            reason=reason,
            detail=detail,
            snippet=snippet[:SNIPPET],
        )
