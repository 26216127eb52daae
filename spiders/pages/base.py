"""What every page object shares: a parse problem becomes a PageFailure item, never an exception."""

from __future__ import annotations

import json
from typing import Any

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
