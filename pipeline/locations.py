"""Location text to places: city, state, country, CBSA metro and workplace, one per place named.

A posting's location string often names several places ("San Francisco, CA | New York, NY",
"Bellevue, WA; Menlo Park, CA", "Remote - US", "Oakland, CA (Hybrid)"); each becomes a
``Location``. Metros are Census CBSAs (``pipeline/data/cbsa.csv``), so San Francisco, Oakland
and Berkeley all fall in 41860. Countries are ISO 3166-1 alpha-2 codes (pycountry); US
states are two-letter USPS codes (``us``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
import us

CBSA_FILE = Path(__file__).with_name("data") / "cbsa.csv"


@dataclass(frozen=True)
class Location:
    city: str | None
    state: str | None  # USPS code for US places, else the region as written
    country: str | None  # ISO 3166-1 alpha-2
    metro_code: str | None  # CBSA code
    metro_name: str | None
    workplace: str | None  # remote | hybrid | onsite
    raw: str

    def as_dict(self) -> dict:
        # dataclasses.asdict without its recursive deep copy (every field is a str or None),
        # which cost more than finding the place: the instance's own dict holds the fields,
        # in order.
        return dict(self.__dict__)


@cache
def _metros() -> dict[tuple[str, str], tuple[str, str]]:
    """(city lower-case, state) -> (CBSA code, CBSA title)."""
    with CBSA_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {
        (row["city"].lower(), row["state"]): (row["cbsa_code"], row["cbsa_title"])
        for row in csv.DictReader(lines)
    }


@cache
def _cities_by_name() -> dict[str, set[str]]:
    """City name -> the states it occurs in, for "San Francisco" without a state."""
    out: dict[str, set[str]] = {}
    for city, state in _metros():
        out.setdefault(city, set()).add(state)
    return out


_REMOTE = re.compile(r"\b(?:remote|distributed|work from home|wfh|anywhere|telework)", re.I)
_HYBRID = re.compile(r"\bhybrid\b", re.I)
_ONSITE = re.compile(r"\b(?:on-?site|in-?office|in office|office-based)\b", re.I)
# "or" only in lower case: "Portland, OR" is Oregon.
_SPLIT = re.compile(r"\s*(?:\||;|•|/(?=\s)|,?\s\bor\b|\n)\s*")
_NOISE = re.compile(
    r"\((?:hybrid|remote|on-?site|in-?office)[^)]*\)|\b(?:remote|hybrid|on-?site|in-?office|"
    r"distributed|remote-friendly|travel[- ]required|location flexible|only|within|"
    r"multiple locations|friendly)\b|[()]",
    re.I,
)
_US_NAMES = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "america"}
_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "czechia": "CZ"}


def _workplace(text: str) -> str | None:
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None


@cache
def _country(token: str) -> str | None:
    name = token.strip(" .,-").lower()
    if not name or len(name) < 2:
        return None
    if name in _US_NAMES:
        return "US"
    if name in _ALIASES:
        return _ALIASES[name]
    if len(name) == 2:
        return None  # two letters are US states here ("CA", "DE"), not countries
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


@cache
def _state(token: str) -> str | None:
    name = token.strip(" .,").replace(".", "")
    if name.upper() == "DC" or name.lower() in {"district of columbia", "washington dc"}:
        return "DC"
    found = us.states.lookup(name) if name else None
    return found.abbr if found else None


# Regions postings name instead of a city, and the CBSA they mean.
_METRO_ALIASES = {"san francisco bay area": ("CA", "41860"), "bay area": ("CA", "41860")}


def _place(segment: str, workplace: str | None, raw: str) -> Location | None:
    cleaned = " ".join(_NOISE.sub(" ", segment).split()).strip(" ,-–")
    if not cleaned:
        return None
    # "CA - San Francisco" and "WA - Seattle" put the state first.
    flipped = re.fullmatch(r"([A-Z]{2})\s*-\s*(.+)", cleaned)
    if flipped and _state(flipped.group(1)):
        cleaned = f"{flipped.group(2)}, {flipped.group(1)}"
    alias = _METRO_ALIASES.get(cleaned.lower())
    if alias:
        code, title = next(v for (c, st), v in _metros().items() if v[0] == alias[1])
        return Location(None, alias[0], "US", code, title, workplace, raw)
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+-\s+", cleaned) if p.strip()]
    city = state = country = None
    if parts and (code := _country(parts[-1])):
        country = code
        parts.pop()
    if parts and country in (None, "US") and (abbr := _state(parts[-1])):
        state, country = abbr, "US"
        parts.pop()
    if parts:
        city = parts[0]
        if state is None and len(parts) > 1:
            state = parts[1]  # a region abroad ("Tel Aviv District", "Bayern")
    if city and city.lower() in _US_NAMES:
        city, country = None, "US"
    if city and state is None and country in (None, "US"):
        states = _cities_by_name().get(city.lower(), set())
        if len(states) == 1:
            state, country = next(iter(states)), "US"
    metro = _metros().get((city.lower(), state)) if city and state else None
    return Location(
        city=city,
        state=state,
        country=country,
        metro_code=metro[0] if metro else None,
        metro_name=metro[1] if metro else None,
        workplace=workplace,
        raw=raw,
    )


def normalize_location(text: str | None) -> list[Location]:
    """Every place a location string names, in order, without repeats.

    A place's workplace is what its own part of the string says ("Oakland, CA (Hybrid)");
    a string naming one place and a workplace apart ("Remote - US") gives it to that place.
    A part that is only a workplace ("Hybrid", "In-Office") is kept as a place without a city.
    """
    if not text or not text.strip():
        return []
    segments = [s for s in _SPLIT.split(text) if s and s.strip()]
    out: list[Location] = []
    seen: set[tuple] = set()
    for segment in segments:
        # "San Francisco, CA, New York, NY": several "City, ST" pairs in one segment.
        pairs = re.findall(r"([A-Z][\w .'-]+?),\s*([A-Z]{2})\b(?!\w)", segment)
        pieces = (
            [f"{c}, {s}" for c, s in pairs]
            if len(pairs) > 1 and all(_state(s) for _, s in pairs)
            else [segment]
        )
        for piece in pieces:
            workplace = _workplace(piece) or (_workplace(segment) if len(pieces) == 1 else None)
            place = _place(piece, workplace, segment.strip())
            if place is None and workplace:
                place = Location(None, None, None, None, None, workplace, segment.strip())
            if place is None:
                continue
            key = (place.city, place.state, place.country, place.workplace)
            if key not in seen:
                seen.add(key)
                out.append(place)
    if len(segments) > 1 and sum(1 for p in out if p.city or p.country) == 1:
        # "Oakland, CA | Hybrid": one place, its workplace stated apart.
        workplace = next((p.workplace for p in out if p.workplace), None)
        out = [
            Location(
                p.city,
                p.state,
                p.country,
                p.metro_code,
                p.metro_name,
                p.workplace or workplace,
                p.raw,
            )
            for p in out
            if p.city or p.country
        ]
    return out
