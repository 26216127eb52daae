"""What employers ask for: shares of postings asking for certifications, degrees, experience.

Reads the ``requirements`` JSON as the cleaning step stores it (``certifications``, ``degree``,
``degree_required``, ``equivalent_experience_ok``, ``years_experience``, and since version 2
``degree_minimum``) and tolerates missing keys, other spellings and older rows without the
column filled.

A degree counts as required when the posting requires that level or higher outright: from
``degree_minimum`` where the row has it ("BS/MS in CS" requires a bachelor's, not a
master's; "Bachelor's required, Master's preferred" requires a bachelor's and prefers a
master's). Older rows have only ``degree`` (the highest level asked for) and
``degree_required`` (whether that level is required), read as before.

How a posting asks (version 3 on, ``certification_classes``): a certification is *required*
(asked for outright), *one of* (an alternative: "CISSP, CISM or CISA", "or equivalent"), or
*preferred* ("a plus", or under "Preferred qualifications"); a degree is required or
preferred. ``AskedHow`` gives each share of the postings read that way with its Wilson 95%
interval; rows read before version 3 have no classes and are left out of those shares
(``classified`` says how many postings have them). ``structure`` counts where the sections
came from: the posting's HTML or API fields (``marked``), heading lines guessed in plain
text (``lines``), or none (``flat``); ``unknown`` for rows read before version 3.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dashboards.stats import wilson_interval

# Always shown, in this order, whether or not any posting asks for them (the article names
# CISSP and ISSMP; CISM is the usual alternative for managers).
NAMED_CERTIFICATIONS = ("CISSP", "CISM", "ISSMP")
DEGREE_RANK = {"associate": 1, "bachelor": 2, "master": 3, "doctorate": 4}
# [low, high) in years of experience asked for.
YEARS_BUCKETS = (
    (0, 3, "0–2 years"),
    (3, 6, "3–5 years"),
    (6, 10, "6–9 years"),
    (10, 1e9, "10+ years"),
)


def degree_level(value: Any) -> str | None:
    """``bachelor``, ``master``, ``doctorate``, ``associate`` from the stored degree, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if re.search(r"doctor|ph\.?d", text):
        return "doctorate"
    if re.search(r"master|\bm\.?s\b|\bmba\b|graduate degree|advanced degree", text):
        return "master"
    if re.search(r"bachelor|\bb\.?s\b|\bb\.?a\b|undergraduate|4[- ]year", text):
        return "bachelor"
    if "associate" in text:
        return "associate"
    return None


def certification_names(value: Any) -> list[str]:
    """Upper-cased, de-duplicated certification names from a list of strings or objects."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    names = []
    for cert in value:
        if isinstance(cert, dict):
            cert = cert.get("name") or cert.get("code")
        if isinstance(cert, str) and cert.strip():
            name = " ".join(cert.split()).upper()
            if name not in names:
                names.append(name)
    return names


def _degree_ranks(req: dict) -> tuple[int, int]:
    """The rank of the highest degree a posting asks for, required or preferred, and of the
    degree it requires outright (0: none)."""
    level = degree_level(req.get("degree"))
    asked = DEGREE_RANK[level] if level else 0
    if "degree_minimum" in req:
        minimum = degree_level(req.get("degree_minimum"))
        return asked, DEGREE_RANK[minimum] if minimum else 0
    # An older row: its degree is required when degree_required says so.
    return asked, asked if req.get("degree_required") is True else 0


def _years(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if isinstance(value, dict):  # {"min": 5, "max": 7}
        return _years(value.get("min"))
    if isinstance(value, str):
        found = re.search(r"\d+(\.\d+)?", value)
        return float(found.group()) if found else None
    return None


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int
    required: int | None = None
    preferred: int | None = None

    @property
    def pct(self) -> float | None:
        return None if not self.total else 100 * self.count / self.total


@dataclass(frozen=True)
class Proportion:
    count: int
    total: int

    @property
    def pct(self) -> float | None:
        return None if not self.total else 100 * self.count / self.total

    @property
    def interval(self) -> tuple[float, float] | None:
        """The Wilson 95% interval, in percent."""
        bounds = wilson_interval(self.count, self.total)
        return None if bounds is None else (100 * bounds[0], 100 * bounds[1])


@dataclass(frozen=True)
class AskedHow:
    """How the postings read with classes ask for one thing."""

    label: str
    required: Proportion
    one_of: Proportion | None  # None for degrees: a degree is required or preferred
    preferred: Proportion


STRUCTURES = ("marked", "lines", "flat", "unknown")
CLASS_RANK = {"preferred": 0, "one_of": 1, "required": 2}


@dataclass(frozen=True)
class Claim:
    claim: str
    measure: str
    share: Share


@dataclass
class RequirementsSummary:
    postings: int  # security_manager postings considered
    analysed: int  # of which have requirements extracted
    certifications: list[Share]
    degrees: list[Share]
    years: list[Share]
    years_median: float | None
    equivalent_experience_ok: Share
    claims: list[Claim]
    classified: int = 0  # postings whose requirements say how each thing is asked
    asked_how: list[AskedHow] = field(default_factory=list)
    structure: dict[str, int] = field(default_factory=dict)  # STRUCTURES -> postings


def summarize(requirements: Iterable[Any], top_other: int = 8) -> RequirementsSummary:
    return summarize_counted(((req, 1) for req in requirements), top_other)


def _median(counts: Counter[float]) -> float | None:
    """``statistics.median`` of a multiset given as value -> count."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(rank: int) -> float:
        seen = 0
        for value, n in ordered:
            seen += n
            if rank < seen:
                return value
        raise IndexError(rank)

    if total % 2:
        return nth(total // 2)
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def summarize_counted(
    requirements: Iterable[tuple[Any, int]], top_other: int = 8
) -> RequirementsSummary:
    """``summarize`` of (requirements document, number of postings with it) pairs: a report
    of a million postings reads each distinct document once."""
    postings = 0
    total = 0
    certs: Counter[str] = Counter()
    cissp_or_issmp = 0
    degree_asked = {"bachelor": [0, 0, 0], "master": [0, 0, 0]}  # any, required, preferred
    master_required = 0
    years: Counter[float] = Counter()
    equivalent = 0
    classified = 0
    how: dict[str, Counter[str]] = {}  # label -> class -> postings
    structure: Counter[str] = Counter()
    for req, count in requirements:
        postings += count
        if not isinstance(req, dict):
            continue
        total += count
        names = certification_names(req.get("certifications"))
        for name in names:
            certs[name] += count
        cissp_or_issmp += count * bool({"CISSP", "ISSMP"} & set(names))
        asked, required = _degree_ranks(req)
        for threshold in ("bachelor", "master"):
            rank = DEGREE_RANK[threshold]
            if asked >= rank or required >= rank:
                counts = degree_asked[threshold]
                counts[0] += count
                counts[1 if required >= rank else 2] += count
        master_required += count * (required >= DEGREE_RANK["master"])
        year = _years(req.get("years_experience"))
        if year is not None:
            years[year] += count
        equivalent += count * (req.get("equivalent_experience_ok") is True)
        structure[_structure(req)] += count
        classes = req.get("certification_classes")
        if isinstance(classes, dict):
            classified += count
            _tally_how(how, classes, asked, required, count)
    named = [Share(name, certs.get(name, 0), total) for name in NAMED_CERTIFICATIONS]
    others = [
        Share(name, n, total)
        for name, n in sorted(certs.items(), key=lambda kv: (-kv[1], kv[0]))
        if name not in NAMED_CERTIFICATIONS
    ][:top_other]
    degrees = [
        Share(f"{name}'s or higher", any_, total, required, preferred)
        for name, (any_, required, preferred) in (
            ("Bachelor", degree_asked["bachelor"]),
            ("Master", degree_asked["master"]),
        )
    ]
    buckets = [
        Share(label, sum(n for y, n in years.items() if low <= y < high), total)
        for low, high, label in YEARS_BUCKETS
    ]
    claims = [
        Claim(
            "Employers want a CISSP or an ISSMP",
            "postings naming CISSP or ISSMP",
            Share("CISSP or ISSMP", cissp_or_issmp, total),
        ),
        Claim(
            "A bachelor's degree is expected",
            "postings asking for a bachelor's or higher (required or preferred)",
            degrees[0],
        ),
        Claim(
            "A master's degree is essential",
            "postings requiring a master's or higher",
            Share("Master's required", master_required, total),
        ),
    ]
    return RequirementsSummary(
        classified=classified,
        asked_how=_asked_how(how, classified, top_other),
        structure={name: structure.get(name, 0) for name in STRUCTURES},
        postings=postings,
        analysed=total,
        certifications=named + others,
        degrees=degrees,
        years=buckets,
        years_median=_median(years),
        equivalent_experience_ok=Share("Equivalent experience accepted", equivalent, total),
        claims=claims,
    )


def _structure(req: dict) -> str:
    value = req.get("structure")
    return value if value in STRUCTURES else "unknown"


def _tally_how(
    how: dict[str, Counter[str]], classes: dict, asked: int, required: int, count: int
) -> None:
    """Add one requirements document's classes (``count`` postings) to ``how``."""
    named = {
        name.upper(): kind
        for name, kind in classes.items()
        if isinstance(name, str) and kind in CLASS_RANK
    }
    for name, kind in named.items():
        how.setdefault(name, Counter())[kind] += count
    either = [named[name] for name in ("CISSP", "ISSMP") if name in named]
    if either:
        how.setdefault(CISSP_OR_ISSMP, Counter())[max(either, key=CLASS_RANK.get)] += count
    for label, rank in DEGREE_ROWS:
        if required >= rank:
            how.setdefault(label, Counter())["required"] += count
        elif asked >= rank:
            how.setdefault(label, Counter())["preferred"] += count


CISSP_OR_ISSMP = "CISSP or ISSMP"
DEGREE_ROWS = (
    ("Bachelor's or higher", DEGREE_RANK["bachelor"]),
    ("Master's or higher", DEGREE_RANK["master"]),
)
_DEGREE_LABELS = tuple(label for label, _ in DEGREE_ROWS)


def _asked_how(how: dict[str, Counter[str]], total: int, top_other: int) -> list[AskedHow]:
    """The article's claims, the named certifications, then the most asked other ones
    (nothing when no posting was read with classes)."""
    if not total:
        return []
    others = sorted(
        (
            name
            for name in how
            if name not in {CISSP_OR_ISSMP, *NAMED_CERTIFICATIONS, *_DEGREE_LABELS}
        ),
        key=lambda name: (-sum(how[name].values()), name),
    )[:top_other]
    rows = []
    for label in (CISSP_OR_ISSMP, *_DEGREE_LABELS, *NAMED_CERTIFICATIONS, *others):
        counts = how.get(label, Counter())
        degree = label in _DEGREE_LABELS
        rows.append(
            AskedHow(
                label,
                Proportion(counts["required"], total),
                None if degree else Proportion(counts["one_of"], total),
                Proportion(counts["preferred"], total),
            )
        )
    return rows
