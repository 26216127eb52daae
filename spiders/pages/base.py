"""What every page object shares: a parse problem becomes a PageFailure item, never an exception."""

from __future__ import annotations

import json
from typing import Any

import attrs
from web_poet import WebPage

from spiders.items import PageFailure
from spiders.urls import without_secrets

SNIPPET = 500  # characters of the body kept with a failure, for whoever reads the quarantine


def page_failure(url: str, reason: str, detail: str = "", snippet: str | bytes = "") -> PageFailure:
    """The one way a page object reports what it could not read.

    ``reason`` is what the quarantine files it under; ``detail`` says what was wrong;
    ``snippet`` is what was read (bytes decoded as UTF-8), cut to ``SNIPPET`` characters.
    The URL never carries credentials.
    """
    if isinstance(snippet, bytes):
        snippet = snippet[:SNIPPET].decode("utf-8", "replace")
    return PageFailure(
        url=without_secrets(str(url)), reason=reason, detail=detail, snippet=snippet[:SNIPPET]
    )


@attrs.define
class SourcePage(WebPage):
    def failure(
        self, reason: str, detail: str = "", snippet: str | bytes | None = None
    ) -> PageFailure:
        """``page_failure`` for this page; the snippet is the start of its body unless given."""
        body = self.response.body if snippet is None else snippet
        return page_failure(str(self.url), reason, detail, body)

    def json_body(self) -> Any | PageFailure:
        """The body as JSON (a UTF-8 byte-order mark tolerated), or a ``malformed_json`` failure."""
        try:
            return json.loads(self.response.body.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            return self.failure("malformed_json", str(exc))

    def json_records(
        self, path: tuple[str, ...] = ("jobs",), id_field: str = "id", data: Any = None
    ) -> list[dict | PageFailure]:
        """The objects of the JSON array at ``path`` (``()``: the body itself is the array).

        A body that is not JSON, or has no array there, is one ``malformed_json`` or
        ``layout_changed`` failure; an element without ``id_field`` is a ``malformed_job``
        failure in its place, and the rest of the page is still read. ``data``: the body
        already decoded by the caller.
        """
        if data is None:
            data = self.json_body()
        if isinstance(data, PageFailure):
            return [data]
        array = data
        for key in path:
            array = array.get(key) if isinstance(array, dict) else None
        if not isinstance(array, list):
            where = ".".join(path) or "top-level"
            return [self.failure("layout_changed", f"no {where} array in the response")]
        return [
            record
            if isinstance(record, dict) and record.get(id_field) not in (None, "")
            else self.failure("malformed_job", repr(record)[:200])
            for record in array
        ]
