"""Location strings from real postings to places with CBSA metros and workplace."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from pipeline.locations import normalize_location


def places(text):
    return [
        (p.city, p.state, p.country, p.metro_code, p.workplace) for p in normalize_location(text)
    ]


def test_several_places_in_one_string():
    assert places("San Francisco, CA | New York, NY") == [
        ("San Francisco", "CA", "US", "41860", None),
        ("New York", "NY", "US", "35620", None),
    ]
    assert places("Bellevue, WA; Menlo Park, CA") == [
        ("Bellevue", "WA", "US", "42660", None),
        ("Menlo Park", "CA", "US", "41860", None),
    ]


def test_bay_area_cities_share_one_metro():
    codes = {
        normalize_location(f"{city}, CA")[0].metro_code
        for city in ("San Francisco", "Oakland", "Berkeley")
    }
    assert codes == {"41860"}
    assert normalize_location("Oakland, CA")[0].metro_name == "San Francisco-Oakland-Berkeley, CA"


def test_workplace_markers():
    assert places("Oakland, CA (Hybrid)") == [("Oakland", "CA", "US", "41860", "hybrid")]
    assert places("Remote - US") == [(None, None, "US", None, "remote")]
    assert places("Remote - California") == [(None, "CA", "US", None, "remote")]
    assert places("Netherlands (remote)") == [(None, None, "NL", None, "remote")]
    assert places("Remote-Friendly (Travel-Required) | San Francisco, CA") == [
        ("San Francisco", "CA", "US", "41860", "remote")
    ]


def test_state_first_and_abroad():
    assert places("CA - San Francisco; WA - Seattle") == [
        ("San Francisco", "CA", "US", "41860", None),
        ("Seattle", "WA", "US", "42660", None),
    ]
    assert places("Tel Aviv-Yafo, Tel Aviv District, Israel") == [
        ("Tel Aviv-Yafo", "Tel Aviv District", "IL", None, None)
    ]
    assert places("Portland, OR") == [("Portland", "OR", "US", "38900", None)]


@given(st.text(max_size=80))
def test_never_raises_and_keeps_raw(text):
    for place in normalize_location(text):
        assert place.raw and place.raw in text
        assert place.workplace in (None, "remote", "hybrid", "onsite")


@given(st.text(max_size=60))
def test_as_dict_is_asdict(text):
    for place in normalize_location(text):
        as_dict = place.as_dict()
        assert list(as_dict.items()) == list(dataclasses.asdict(place).items())
        as_dict["city"] = "changed"  # a copy: the place itself is untouched
        assert place.as_dict() == dataclasses.asdict(place)
