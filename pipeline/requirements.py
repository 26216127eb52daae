"""What a posting asks for: certifications, the highest degree, required or preferred, years.

``Requirements.degree`` is the highest level the text mentions; ``degree_required`` says
whether that level is asked for outright (not only "preferred", "a plus", "nice to have");
``equivalent_experience_ok`` whether experience may stand in for the degree. This is what the
report needs to test the article's "a master's degree is essential".
"""

from __future__ import annotations

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
# One or two digits, not after a digit or ".": tested after the first digit, which lets the
# regex engine skip to digits (with the test first, it tried every position).
_YEARS = Caseless(
    r"(\d(?<![\d.]\d)\d?)\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*"
    r"(?:years?|yrs?|jahre)\b(?!\s+old)"
)
# Every separator starts with whitespace: starting the pattern with ``\s`` lets the regex
# engine skip quickly to whitespace (the lookbehinds look at it again). The same matches as
# ``(?<=[.!?;:])\s+|\n+|\s+[-•*]\s+``, found faster than with a leading ``(?=\s)``.
_SENTENCE = re.compile(r"\s(?:(?<=[.!?;:]\s)\s*|(?<=\n)\n*|\s*[-•*]\s+)")
_NOT_SEPARATOR = re.compile(r"[^\s\-•*]")  # separators are made of whitespace and "-•*"
# How far before a hint to look for the separator that opens its sentence (a hint is mostly
# at its sentence's start).
_WINDOW = 32
_EXPERIENCE_AFTER = re.compile(r"experience|exp\b|of |in |working|erfahrung")
_BACHELOR_WORD = Caseless(r"degree|bachelor|b\.?s|b\.?a")
_RANK = {level: rank for rank, level in enumerate(DEGREE_LEVELS)}
# Hints, by kind: what a lower-cased sentence must hold for ``_YEARS`` ("years": every match
# holds one) or a level's pattern to match in it, cheap to find. A level's hints count only
# at the start of a word: every match of its pattern starts a word with one of them, or
# holds "degree" starting one.
_HINTS = {
    "years": ("year", "yr", "jahre"),
    "doctorate": ("ph", "doctora", "doktor", "promotion"),
    "master": ("master", "ms", "m.s", "mba", "meng", "m.eng", "diplom", "degree"),
    "bachelor": ("bachelor", "bs", "b.s", "ba.", "b.a.", "ba/bs", "beng", "b.eng", "degree"),
    "associate": ("degree",),
}
# What must follow a hint for its pattern to match (a lookahead: not part of the hint).
_HINT_CONTEXT = {"ph": r"\.?\s?d", **dict.fromkeys(("ms", "m.s", "bs", "b.s"), r"\.?c?\b")}
_HINT_KINDS = {
    hint: {kind for kind, hints in _HINTS.items() if hint in hints}
    for hints in _HINTS.values()
    for hint in hints
}


def _hint_pattern() -> str:
    r"""``_HINTS`` as one pattern, grouped by first letter (faster to search).

    "At the start of a word" is tested after the first letter, ``(?<!\w.)``, not with a
    leading ``\b``: the regex engine can then skip quickly to the letters hints start with.
    """
    by_start: dict[str, list[str]] = {}
    for hint in _HINT_KINDS:
        start = hint[0] if hint in _HINTS["years"] else hint[0] + r"(?<!\w.)"
        context = _HINT_CONTEXT.get(hint)
        rest = re.escape(hint[1:]) + (f"(?={context})" if context else "")
        by_start.setdefault(start, []).append(rest)
    return "|".join(f"{start}(?:{'|'.join(rests)})" for start, rests in by_start.items())


# A sentence is read only if the lower-cased text holds a hint inside it. A hint starts with
# a letter (``\w`` in the text too: lower-casing keeps it), which no separator holds. Found in
# the whole text, a hint sees past its sentence: before it, the whitespace a separator ends
# with, as good as the sentence's start for "at the start of a word"; after it, more than
# the sentence, which can only add a sentence to read.
# The hints found in a sentence (in one pass, which finds no overlapping ones) give every
# kind it holds: no hint starts another, only the "years" hints hold "y" or "j" (both
# asserted), and the others start a word, so inside a hint found only "bs" in "ba/bs" can
# start (after "." or "/"), of the same kind.
_HINT = re.compile(_hint_pattern())
assert not any(a != b and b.startswith(a) for a in _HINT_KINDS for b in _HINT_KINDS)
assert {hint for hint in _HINT_KINDS if set(hint) & set("yj")} == set(_HINTS["years"])
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
# ``_CERT_FAST`` in one pattern, searched in one pass; the empty group ending each alternative
# tells which certificate matched. At most one matches at a position, and none starts inside
# another's match (it would be after a character other than [\w+]: whitespace, before "+" in
# "Security +", or in "Certified Ethical Hacker" and "CompTIA Advanced Security Practitioner",
# where the "Security" is not followed by "+").
_CERT_NAMES = list(_CERT_FAST)
_CERT_ANY = re.compile("|".join(f"{pattern.pattern}()" for pattern in _CERT_FAST.values()))
assert _CERT_ANY.groups == len(_CERT_NAMES)


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
    certs = sorted({_CERT_NAMES[match.lastindex - 1] for match in _CERT_ANY.finditer(text)})
    degree, required, equivalent = "none", False, False
    years: list[int] = []
    for sentence, folded, kinds in _sentences_to_read(text):
        if kinds is None or "years" in kinds:
            for match in _YEARS.finditer(sentence, folded):
                value = int(sentence[match.start(1) : match.end(1)])
                after = sentence[match.end() : match.end() + 40].lower()
                if 0 < value <= 40 and _EXPERIENCE_AFTER.search(after):
                    years.append(value)
        for level, pattern in _DEGREES:
            if kinds is not None and level not in kinds:
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


def _sentences_to_read(text: str) -> list[tuple[str, str | None, set[str] | None]]:
    """The sentences (``_SENTENCE.split(text)``, in order) that can state years or a degree,
    each with its ``casefold.fold`` and the kinds of hint it holds (both None: not known).

    The others add nothing, and reading every sentence with every pattern was most of the
    cleaning step's time. Only the text around each hint is split.
    """
    folded = fold(text)
    if folded is None:
        return [(sentence, None, None) for sentence in _SENTENCE.split(text)]
    sentences: list[tuple[str, str | None, set[str] | None]] = []
    stop = resume = 0  # where the last sentence read ends, and the separator after it
    kinds: set[str] = set()  # the last sentence's, which more hints in it add to
    for hint in _HINT.finditer(folded):
        at = hint.start()
        if at < stop:
            kinds |= _HINT_KINDS[hint.group()]
            continue
        start, stop, resume = _sentence_around(text, at, resume)
        kinds = set(_HINT_KINDS[hint.group()])
        sentences.append((text[start:stop], folded[start:stop], kinds))
    return sentences


def _sentence_around(text: str, at: int, resume: int) -> tuple[int, int, int]:
    """The sentence holding the letter at ``at``: where it starts (after the last separator
    before it, or at ``resume``, where the split stands, if none is in between), where it
    ends, and where the separator after it ends (the text's end if there is none)."""
    # A split scanning from 0 reads no separator across a character none can hold, and next
    # finds the first separator after it: the same separators as a scan starting there (its
    # lookbehinds still see the text before). One such character shortly before the hint
    # spares reading the text before it.
    anchor = resume
    if at - _WINDOW > resume:
        anchor = _NOT_SEPARATOR.search(text, at - _WINDOW).start()  # at most the hint's
    start = resume if anchor == resume else None
    after = None
    for separator in _SENTENCE.finditer(text, anchor):
        if separator.start() > at:  # none holds the hint's letter
            after = separator
            break
        start = separator.end()
    if start is None:  # the sentence starts before the anchor, which ends the scan there
        ends = [separator.end() for separator in _SENTENCE.finditer(text, resume, anchor)]
        start = ends[-1] if ends else resume
    return (start, *after.span()) if after else (start, len(text), len(text))
