"""Caseless searches on lower-cased text find what IGNORECASE finds, for every code point."""

from __future__ import annotations

import re

import pytest

from pipeline.casefold import Caseless, check, fold


def test_lower_casing_keeps_positions_classes_and_matches_for_every_code_point():
    check()  # raises AssertionError naming the first code point that breaks a rule


@pytest.mark.parametrize(
    "text",
    [
        "CISSP and CISM required; İstanbul office",  # a trap: searched with IGNORECASE
        "Certified Information Systems Security Professional (CISSP)",
        "ISSMP, ıssmp, ſecurity",
    ],
)
def test_caseless_matches_ignorecase(text):
    pattern = r"\b(cissp|issmp|cism)\b"
    caseless = Caseless(pattern)
    found = [m.group(0).lower() for m in caseless.finditer(text, fold(text))]
    expected = [m.group(0).lower() for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert found == expected


def test_upper_case_patterns_are_refused():
    with pytest.raises(ValueError, match="caseless patterns"):
        Caseless(r"CISSP")
