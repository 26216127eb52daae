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


def staged_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The feed's non-blank lines, undecoded, with their line numbers."""
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if raw.strip():
                yield line_no, raw


def parse_line(path: str, line_no: int, raw: bytes) -> dict | BadLine:
    """One staged line as a dict, or a ``BadLine`` saying why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadLine(path, line_no, f"bad_encoding: {exc.reason}", raw.decode("utf-8", "replace"))
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return BadLine(path, line_no, f"malformed_json: {exc.msg}", text)
    if not isinstance(record, dict):
        return BadLine(path, line_no, "not_an_object", text)
    return record


def read_staged(path: Path) -> Iterator[dict | BadLine]:
    """Each line of a staged feed as a dict, or a ``BadLine`` saying why it is not one."""
    for line_no, raw in staged_lines(path):
        yield parse_line(str(path), line_no, raw)
