"""What a posting asks for: certifications, the highest degree, required or preferred, years.

``Requirements.degree`` is the highest level the text mentions; ``degree_required`` says
whether that level is asked for outright (not only "preferred", "a plus", "nice to have");
``equivalent_experience_ok`` whether experience may stand in for the degree. This is what the
report needs to test the article's "a master's degree is essential".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.casefold import Caseless, fold

# Canonical name -> pattern. GIAC certifications are listed one by one (and "GIAC" alone).
_CERTS = {
    "CISSP": r"CISSP",
    "CISM": r"CISM",
    "CISA": r"CISA",
    "CRISC": r"CRISC",
    "CCSP": r"CCSP",
    "ISSMP": r"ISSMP",
    "ISSAP": r"ISSAP",
    "ISSEP": r"ISSEP",
    "CGEIT": r"CGEIT",
    "CCSK": r"CCSK",
    "Security+": r"(?:CompTIA\s+)?Security\s?\+|Sec\+",
    "CASP+": r"CASP\+?|CompTIA Advanced Security Practitioner",
    "CEH": r"CEH|Certified Ethical Hacker",
    "OSCP": r"OSCP",
    "OSCE": r"OSCE3?",
    "GIAC": r"GIAC",
    "GSEC": r"GSEC",
    "GCIH": r"GCIH",
    "GCIA": r"GCIA",
    "GSLC": r"GSLC",
    "GSTRT": r"GSTRT",
    "GPEN": r"GPEN",
    "GWAPT": r"GWAPT",
    "GCFA": r"GCFA",
    "GCFE": r"GCFE",
    "GREM": r"GREM",
    "GCED": r"GCED",
    "GICSP": r"GICSP",
    "GCLD": r"GCLD",
    "GCSA": r"GCSA",
    "GPPA": r"GPPA",
}
_CERT_RE = {
    name: re.compile(rf"(?<![\w+])(?:{pattern})(?![\w+])") for name, pattern in _CERTS.items()
}
_CERT_RE["Security+"] = re.compile(r"(?<![\w+])(?:CompTIA\s+)?(?:Security\s?\+|Sec\+)")
_CERT_RE["CASP+"] = re.compile(r"(?<![\w+])(?:CASP\+?|CompTIA Advanced Security Practitioner)")

DEGREE_LEVELS = ("none", "associate", "bachelor", "master", "doctorate")
# Caseless: IGNORECASE patterns, searched fast in lower-cased text (pipeline.casefold).
_DEGREES = [
    (
        "doctorate",
        Caseless(r"\b(?:ph\.?\s?d|doctorate|doctoral degree|doktor|promotion)\b"),
    ),
    (
        "master",
        Caseless(
            r"\b(?:master'?s?|masters|m\.?s\.?c?|m\.?sc|mba|m\.?eng|graduate degree|"
            r"advanced degree|diplom)\b(?!\s*(?:card|data|of ceremonies))"
        ),
    ),
    (
        "bachelor",
        Caseless(
            r"\b(?:bachelor'?s?|b\.?s\.?c?|b\.?sc|b\.?a\.|ba/bs|bs/ba|b\.?eng|undergraduate degree|"
            r"four[- ]year degree|4[- ]year degree|university degree|college degree|"
            r"degree in)\b"
        ),
    ),
    ("associate", Caseless(r"\bassociate'?s? degree\b")),
]
_PREFERRED = Caseless(
    r"prefer|a plus|is a plus|nice to have|nice-to-have|bonus|desir|ideally|advantage|"
    r"beneficial|good to have|would be great|wünschenswert|von vorteil"
)
_EQUIVALENT = Caseless(
    r"or (?:an? )?equivalent|equivalent (?:practical |professional |work |combination|"
    r"experience)|in lieu of|or comparable|or related (?:practical )?experience|"
    r"or \d+\+? years"
)
_YEARS = Caseless(
    r"(?<![\d.])(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*"
    r"(?:years?|yrs?|jahre)\b(?!\s+old)"
)
# Every separator starts with whitespace; the leading lookahead says so, which lets the
# regex engine pass over other characters quickly (the same matches, twice as fast).
_SENTENCE = re.compile(r"(?=\s)(?:(?<=[.!?;:])\s+|\n+|\s+[-•*]\s+)")
# A sentence is read only if the lower-cased text holds one of these inside it: every match
# of ``_YEARS`` and of the ``_DEGREES`` patterns contains one. None of them holds whitespace
# or a separator's other characters, so each lies inside one sentence.
_HINT = re.compile(
    r"year|yr|jahre|degree|ph|doctor|doktor|promotion|master|m\.?s|mba|m\.?eng|diplom|"
    r"bachelor|b\.?s|b\.?a|b\.?eng"
)
_EXPERIENCE_AFTER = re.compile(r"experience|exp\b|of |in |working|erfahrung")
_BACHELOR_WORD = Caseless(r"degree|bachelor|b\.?s|b\.?a")
_RANK = {level: rank for rank, level in enumerate(DEGREE_LEVELS)}
# What a lower-cased sentence must hold for ``_YEARS`` or a level's pattern to match in it
# (cheap to find).
_YEARS_HINT = re.compile(r"year|yr|jahre")
_LEVEL_HINTS = {
    level: re.compile(hints)
    for level, hints in (
        ("doctorate", r"ph|doctor|doktor|promotion"),
        ("master", r"master|m\.?s|mba|m\.?eng|graduate degree|advanced degree|diplom"),
        ("bachelor", r"bachelor|b\.?s|b\.?a|b\.?eng|degree"),
        ("associate", r"degree"),
    )
}
# ``_CERT_RE`` rewritten to start with a literal, which the regex engine finds quickly: each
# matches somewhere in a text exactly when its ``_CERT_RE`` pattern does. "not after [\w+]"
# is checked once the literal is found; "CompTIA " before Security+ drops out, since
# "Security" after it is then not after [\w+] either.
_CERT_FAST = {
    name: re.compile(rf"{name}(?<![\w+]{name})(?![\w+])")
    for name, pattern in _CERTS.items()
    if pattern == name
}
_CERT_FAST.update(
    {
        "Security+": re.compile(r"Sec(?<![\w+]Sec)(?:urity\s?\+|\+)"),
        "CASP+": re.compile(r"C(?<![\w+]C)(?:ASP|ompTIA Advanced Security Practitioner)"),
        "CEH": re.compile(r"C(?<![\w+]C)(?:EH|ertified Ethical Hacker)(?![\w+])"),
        "OSCE": re.compile(r"OSCE(?<![\w+]OSCE)3?(?![\w+])"),
    }
)
assert _CERT_FAST.keys() == _CERT_RE.keys()


@dataclass(frozen=True)
class Requirements:
    certifications: list[str] = field(default_factory=list)
    degree: str = "none"  # none | associate | bachelor | master | doctorate
    degree_required: bool = False
    equivalent_experience_ok: bool = False
    years_experience: int | None = None  # the smallest minimum stated

    def as_dict(self) -> dict:
        # dataclasses.asdict without its recursive deep copy (a new list, the same strings).
        return {
            "certifications": list(self.certifications),
            "degree": self.degree,
            "degree_required": self.degree_required,
            "equivalent_experience_ok": self.equivalent_experience_ok,
            "years_experience": self.years_experience,
        }


def extract_requirements(text: str | None) -> Requirements:
    """Certifications, degree and experience a posting's text asks for."""
    if not text:
        return Requirements()
    certs = sorted(name for name, pattern in _CERT_FAST.items() if pattern.search(text))
    degree, required, equivalent = "none", False, False
    years: list[int] = []
    for sentence, folded in _sentences_to_read(text):
        no_years = folded is not None and not _YEARS_HINT.search(folded)
        for match in () if no_years else _YEARS.finditer(sentence, folded):
            value = int(sentence[match.start(1) : match.end(1)])
            after = sentence[match.end() : match.end() + 40].lower()
            if 0 < value <= 40 and _EXPERIENCE_AFTER.search(after):
                years.append(value)
        for level, pattern in _DEGREES:
            if folded is not None and not _LEVEL_HINTS[level].search(folded):
                continue
            if not pattern.search(sentence, folded):
                continue
            if level == "bachelor" and not _BACHELOR_WORD.search(sentence, folded):
                continue
            rank = _RANK[level]
            preferred = bool(_PREFERRED.search(sentence, folded))
            if rank > _RANK[degree]:
                degree, required = level, not preferred
            elif rank == _RANK[degree] and not preferred:
                required = True
            if _EQUIVALENT.search(sentence, folded):
                equivalent = True
            break  # the highest level a sentence names is the one it is about
    return Requirements(
        certifications=certs,
        degree=degree,
        degree_required=required,
        equivalent_experience_ok=equivalent,
        years_experience=min(years) if years else None,
    )


def _sentences_to_read(text: str) -> list[tuple[str, str | None]]:
    """The sentences (``_SENTENCE.split(text)``, in order) that can state years or a degree,
    each with its ``casefold.fold``.

    The others add nothing, and reading every sentence with every pattern was most of the
    cleaning step's time.
    """
    folded = fold(text)
    if folded is None:
        return [(sentence, None) for sentence in _SENTENCE.split(text)]
    hints = [m.start() for m in _HINT.finditer(folded)]  # positions in ``text`` too
    if not hints:
        return []
    # Separators hold no letter, and a hint starts with one: the separators before the last
    # hint are found without reading past it, and the first one after it is the next found
    # from just after its first letter.
    last = hints[-1]
    ends = [(m.start(), m.end()) for m in _SENTENCE.finditer(text, 0, last)]
    after = _SENTENCE.search(text, last + 1)
    starts = [0, *(end for _, end in ends)]
    stops = [*(start for start, _ in ends), after.start() if after else len(text)]
    wanted = sorted({bisect.bisect_right(starts, hint) - 1 for hint in hints})
    return [(text[starts[i] : stops[i]], folded[starts[i] : stops[i]]) for i in wanted]
