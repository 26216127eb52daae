"""Read staged crawl output (JSON Lines); lines that are not JSON objects are kept, not lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BadLine:
    path: str
    line_no: int
    reason: str
    text: str


def read_staged(path: Path) -> Iterator[dict | BadLine]:
    """Each line of a staged feed as a dict, or a ``BadLine`` saying why it is not one."""
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield BadLine(
                    str(path),
                    line_no,
                    f"bad_encoding: {exc.reason}",
                    raw.decode("utf-8", "replace"),
                )
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield BadLine(str(path), line_no, f"malformed_json: {exc.msg}", text)
                continue
            if not isinstance(record, dict):
                yield BadLine(str(path), line_no, "not_an_object", text)
                continue
            yield record
