"""Case-insensitive regex searches, fast: the same pattern, case-sensitive, on lower-cased text.

Python's IGNORECASE matching is several times slower than plain matching, and the cleaners
run dozens of such searches over every description. A pattern written in lower case (from
ASCII and the ``CHECKED`` characters) finds, case-sensitively in ``text.lower()``, exactly
what it finds with IGNORECASE in ``text``, at the same positions, provided the text holds none
of the three ``TRAPS``:

- every other character lower-cases to one character, so positions do not move;
- lower-casing keeps every character's class (``\\w``, ``\\s``, ``\\d``);
- IGNORECASE matches a character with one of the pattern's exactly when the character
  lower-cases to it. The traps break that: U+0130 (İ) lower-cases to two characters, and
  U+0131 (ı) and U+017F (ſ) match "i" and "s" though they lower-case to themselves.

``check()`` verifies these facts over every code point (``benchmarks/clean_store.py
--check-casefold`` runs it). A text holding a trap is searched the slow way, with IGNORECASE.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

TRAPS = "\u0130\u0131\u017f"
# Non-ASCII characters a caseless pattern may hold (or name with an escape such as \u00a0).
CHECKED = "äöüß€£₹¥₪ł–—‒―•\u00a0\u202f万円～年収俸月給時日à"


def fold(text: str) -> str | None:
    """``text`` lower-cased, for ``Caseless`` searches; None when only IGNORECASE is exact.

    An ASCII text holds no trap (``isascii`` is known without reading the text), and
    substring tests find a trap in the others faster than a regex scan."""
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        return text.lower()  # (the TRAPS, tested one by one: a third of a generator's time)
    return None


# The three traps as the letters IGNORECASE matches them with.
_TRAP_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def lower_in_place(text: str) -> str:
    """``text`` lower-cased with every character at its place (the traps as "i" and "s"), for
    patterns that look only for ASCII letters where a trap could stand."""
    folded = fold(text)
    return folded if folded is not None else text.translate(_TRAP_LETTERS).lower()


class Caseless:
    """A pattern matched without regard to case: IGNORECASE on the text, or, faster, the same
    pattern case-sensitively on the text's ``fold``."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        bare = pattern.replace("(?P<", "(?<").replace("(?P=", "(?=")  # named groups
        odd = [c for c in bare if c.isupper() or not (c.isascii() or c in CHECKED)]
        if odd:
            raise ValueError(f"caseless patterns are lower-case ASCII or CHECKED, not {odd}")
        self.ignorecase = re.compile(pattern, flags | re.IGNORECASE)
        self.folded = re.compile(pattern, flags)

    def search(
        self, text: str, folded: str | None, start: int = 0, stop: int | None = None
    ) -> re.Match | None:
        """``search`` in the window ``text[start:stop]`` (``folded``: ``fold(text)``); the match
        is one of the window, lower-cased unless ``folded`` is None."""
        start = max(0, start)
        if folded is None:
            return self.ignorecase.search(text[start:stop])
        return self.folded.search(folded[start:stop])

    def finditer(self, text: str, folded: str | None) -> Iterator[re.Match]:
        """``finditer`` over the whole text; lower-cased matches unless ``folded`` is None."""
        if folded is None:
            return self.ignorecase.finditer(text)
        return self.folded.finditer(folded)

    def match(self, text: str, folded: str | None, pos: int) -> re.Match | None:
        """``match`` at ``pos`` of the whole text; lower-cased unless ``folded`` is None."""
        if folded is None:
            return self.ignorecase.match(text, pos)
        return self.folded.match(folded, pos)


def check() -> list[str]:
    """What breaks the facts in the module docstring, on this Python (empty: nothing)."""
    problems = []
    word = re.compile(r"\w")
    space = re.compile(r"\s")
    digit = re.compile(r"\d")
    for code in range(0x110000):
        char = chr(code)
        if char in TRAPS:
            continue
        lower = char.lower()
        if len(lower) != 1:
            problems.append(f"U+{code:04X} lower-cases to {len(lower)} characters")
            continue
        for name, pattern in (("\\w", word), ("\\s", space), ("\\d", digit)):
            if bool(pattern.match(char)) != bool(pattern.match(lower)):
                problems.append(f"U+{code:04X} changes {name} when lower-cased")
    chars = [c for c in (*string.printable, *CHECKED) if not c.isupper()]
    single = [re.compile(re.escape(c), re.IGNORECASE) for c in chars]
    any_of = re.compile("|".join(map(re.escape, chars)), re.IGNORECASE)
    for code in range(0x110000):
        other = chr(code)
        if other in TRAPS or not (any_of.fullmatch(other) or other.lower() in chars):
            continue
        for char, pattern in zip(chars, single, strict=True):
            if bool(pattern.fullmatch(other)) != (other.lower() == char):
                problems.append(f"IGNORECASE {char!r} vs U+{code:04X}")
    return problems
