"""What a posting asks for: certifications, the highest degree, required or preferred, years.

``Requirements.degree`` is the highest level the text mentions; ``degree_required`` says
whether that level is asked for outright (not only "preferred", "a plus", "nice to have");
``equivalent_experience_ok`` whether experience may stand in for the degree. This is what the
report needs to test the article's "a master's degree is essential".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

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
# Substrings each pattern cannot match without: a plain `in` test (fast) skips the regex
# search for certifications a text does not mention, which was the cleaning step's hot spot.
_CERT_LITERALS = {name: (name.rstrip("+"),) for name in _CERT_RE}
_CERT_LITERALS.update(
    {
        "Security+": ("Security", "Sec+"),
        "CASP+": ("CASP", "CompTIA Advanced Security Practitioner"),
        "CEH": ("CEH", "Certified Ethical Hacker"),
        "OSCE": ("OSCE",),
    }
)

DEGREE_LEVELS = ("none", "associate", "bachelor", "master", "doctorate")
_DEGREES = [
    (
        "doctorate",
        re.compile(r"\b(?:ph\.?\s?d|doctorate|doctoral degree|doktor|promotion)\b", re.I),
    ),
    (
        "master",
        re.compile(
            r"\b(?:master'?s?|masters|m\.?s\.?c?|m\.?sc|mba|m\.?eng|graduate degree|"
            r"advanced degree|diplom)\b(?!\s*(?:card|data|of ceremonies))",
            re.I,
        ),
    ),
    (
        "bachelor",
        re.compile(
            r"\b(?:bachelor'?s?|b\.?s\.?c?|b\.?sc|b\.?a\.|ba/bs|bs/ba|b\.?eng|undergraduate degree|"
            r"four[- ]year degree|4[- ]year degree|university degree|college degree|"
            r"degree in)\b",
            re.I,
        ),
    ),
    ("associate", re.compile(r"\bassociate'?s? degree\b", re.I)),
]
_PREFERRED = re.compile(
    r"prefer|a plus|is a plus|nice to have|nice-to-have|bonus|desir|ideally|advantage|"
    r"beneficial|good to have|would be great|wünschenswert|von vorteil",
    re.I,
)
_EQUIVALENT = re.compile(
    r"or (?:an? )?equivalent|equivalent (?:practical |professional |work |combination|"
    r"experience)|in lieu of|or comparable|or related (?:practical )?experience|"
    r"or \d+\+? years",
    re.I,
)
_YEARS = re.compile(
    r"(?<![\d.])(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*"
    r"(?:years?|yrs?|jahre)\b(?!\s+old)",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+[-•*]\s+")


@dataclass(frozen=True)
class Requirements:
    certifications: list[str] = field(default_factory=list)
    degree: str = "none"  # none | associate | bachelor | master | doctorate
    degree_required: bool = False
    equivalent_experience_ok: bool = False
    years_experience: int | None = None  # the smallest minimum stated

    def as_dict(self) -> dict:
        return asdict(self)


def extract_requirements(text: str | None) -> Requirements:
    """Certifications, degree and experience a posting's text asks for."""
    if not text:
        return Requirements()
    certs = sorted(
        name
        for name, pattern in _CERT_RE.items()
        if any(literal in text for literal in _CERT_LITERALS[name]) and pattern.search(text)
    )
    degree, required, equivalent = "none", False, False
    years: list[int] = []
    for sentence in _SENTENCE.split(text):
        for match in _YEARS.finditer(sentence):
            value = int(match.group(1))
            after = sentence[match.end() : match.end() + 40].lower()
            if 0 < value <= 40 and re.search(r"experience|exp\b|of |in |working|erfahrung", after):
                years.append(value)
        for level, pattern in _DEGREES:
            if not pattern.search(sentence):
                continue
            if level == "bachelor" and not re.search(
                r"degree|bachelor|b\.?s|b\.?a", sentence, re.I
            ):
                continue
            rank = DEGREE_LEVELS.index(level)
            preferred = bool(_PREFERRED.search(sentence))
            if rank > DEGREE_LEVELS.index(degree):
                degree, required = level, not preferred
            elif rank == DEGREE_LEVELS.index(degree) and not preferred:
                required = True
            if _EQUIVALENT.search(sentence):
                equivalent = True
            break  # the highest level a sentence names is the one it is about
    return Requirements(
        certifications=certs,
        degree=degree,
        degree_required=required,
        equivalent_experience_ok=equivalent,
        years_experience=min(years) if years else None,
    )
