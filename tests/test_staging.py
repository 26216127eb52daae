import json
from pathlib import Path

import pytest

from pipeline.staging import BadLine, parse_line, read_staged


def _parsed(raw: bytes):
    return parse_line("feed.jsonl", 1, raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"kind": "job_posting", "jobTitle": "Security Manager", "n": 1, "x": 1.0}\n',
        '{"jobTitle": "Responsable sécurité €", "esc": "caf\\u00e9 \\ud83d\\ude00"}'.encode(),
        b'{"a": 1, "a": 2}',  # the last one wins, as in json
        b'{"big": 123456789012345678901234567890, "neg": -9223372036854775809}',
        b'{"max": 18446744073709551615, "id": "0000000000000000000012"}',
        b'{"salary": NaN, "high": Infinity}',  # Python's json writes these
        b'{"lone": "\\ud800"}',
        b'{"huge": 1e400, "nested": {"deep": [[[{"v": -0.0}]]]}}',
    ],
)
def test_records_read_as_json_reads_them(raw):
    expected = json.loads(raw.decode())
    record = _parsed(raw)
    assert repr(record) == repr(expected)  # repr tells 1 from 1.0 and keeps key order


def test_integers_beyond_64_bits_stay_exact():
    record = _parsed(b'{"jobPostingId": 123456789012345678901234567890}')
    assert record["jobPostingId"] == 123456789012345678901234567890
    assert isinstance(record["jobPostingId"], int)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"jobTitle": "Security Manager"', "malformed_json"),
        (b"[1, 2, 3]", "not_an_object"),
        (b'"just a string"', "not_an_object"),
        (b'{"jobTitle": "S\xe9curit\xe9"}', "bad_encoding"),
    ],
)
def test_lines_that_are_not_records_say_why(raw, reason):
    bad = _parsed(raw)
    assert isinstance(bad, BadLine)
    assert bad.reason.split(":")[0] == reason
    assert bad.line_no == 1 and bad.path == "feed.jsonl"
    assert bad.text  # kept for the quarantine, never dropped


def test_read_staged_skips_blank_lines_and_keeps_line_numbers(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"a": 1}\n\n  \n{"a": 2\n{"a": 3}\n')
    records = list(read_staged(feed))
    assert records[0] == {"a": 1}
    assert isinstance(records[1], BadLine) and records[1].line_no == 4
    assert records[2] == {"a": 3}
