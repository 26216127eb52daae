"""A posting's description as sections: a heading, its kind, and its paragraphs and list items.

Real postings say what they ask for with structure: "Minimum qualifications" and a list, then
"Preferred qualifications" or "Nice to have" and another, then benefits and an equal-
opportunity statement. Flattened to text, that structure is easily lost, so it is kept:

- ``sections_from_html``: a BeautifulSoup tree (lxml parser) of the description's HTML, walked
  in document order. Headings are ``h1``-``h6``, a paragraph written all in bold and short
  enough to be a title, and a short paragraph ending in ":" right before a list.
  Scripts, styles and forms are dropped; nested lists give one item each.
- ``field_section``: a section from an API field whose meaning is known (USAJOBS'
  ``QualificationSummary`` and ``Requirements`` are what is required).
- ``description_text``: what page objects store as ``description``: the sections as plain
  text, each heading a line starting with ``## `` (a Markdown heading), each list item a line
  starting with ``- ``, and a blank line between sections. Cleaning reads structure back from
  it (``outline``), so a stored description can be read again without its HTML.
- ``outline``: where a text's sections start and their kinds. ``## `` lines are headings
  for certain (structure ``marked``); a text without them (a plain-text API field, an older
  stored row) has its headings guessed from its lines (``lines``) or has none (``flat``).

Kinds (``classify_heading``): ``required`` (minimum, basic, required qualifications, what you
bring, your profile...), ``preferred`` (preferred, nice to have, bonus, a plus...), ``pay``
(compensation, salary, pay range), ``benefits`` (benefits, perks, what we offer), ``about``
(about the company, culture, equal opportunity, privacy) and ``general`` (any other heading,
responsibilities say, and text before the first heading). ``pay``, ``benefits`` and ``about``
are the "other" sections: nothing in them is a requirement, and benefits are never pay.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

from pipeline.casefold import lower_in_place

KINDS = ("required", "preferred", "general", "pay", "benefits", "about")
OTHER_KINDS = frozenset({"pay", "benefits", "about"})
HEADING_MARK = "## "
ITEM_MARK = "- "
# Markup past this many characters is not read: descriptions run to tens of kilobytes; a
# page past a few megabytes is not a description.
MAX_MARKUP = 2_000_000

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "button"}
    | {"form", "select", "textarea", "object", "embed", "canvas", "math"}
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = _HEADING_TAGS | frozenset(
    {"p", "div", "li", "dt", "dd", "tr", "td", "th", "blockquote", "section", "article"}
    | {"header", "footer", "ul", "ol", "dl", "table", "pre", "address", "figcaption", "main"}
)
_BOLD_TAGS = frozenset({"b", "strong"})
_HEADING_MAX = 80  # a bold paragraph longer than this is prose, not a title
_COLON_HEADING_MAX = 60


@dataclass(frozen=True)
class Section:
    heading: str  # "" for what comes before the first heading
    kind: str
    items: tuple[str, ...]  # paragraphs and list items; list items start with ITEM_MARK


# --- Kinds of heading ------------------------------------------------------------------------

# Each kind's heading starts (lower-cased, bullets and "#" trimmed), matched at the start.
_PREFERRED_WORDS = (
    r"(?:preferred|desired|desirable|nice[- ]to[- ]haves?|bonus|pluses|a plus|good[- ]to[- ]"
    r"haves?|ideally|extra credit|we(?:['’]d| would) love|it would be (?:great|nice)|even better|"
    r"highly desired|optional|wünschenswert|von vorteil|(?:an |the )?ideal candidate (?:would )?"
    r"also)\b"
)
_PAY_STARTS = (
    r"(?:compensation|pay\b|salary|annual salary|base (?:pay|salary)|hiring ranges?|"
    r"(?:the )?(?:pay|salary|compensation) (?:range|transparency|and benefits)|u\.?s\.? pay)"
)
_BENEFITS_STARTS = (
    r"(?:(?:our|unsere|deine|the) )?(?:benefits?|perks)|what (?:we offer|we provide|you['’]ll "
    r"get)|we offer|how [\w-]+ supports|total rewards|why you['’]ll love|worauf du dich freuen|"
    r"(?:was )?wir bieten|das bieten wir"
)
_ABOUT_STARTS = (
    r"about (?!(?:the|this|your) (?:role|team|job|position|opportunity)|you\b)|who we are|"
    r"why (?:join|work)|our (?:culture|commitment|mission|story|values)|culture\b|life at|"
    r"equal (?:employment )?opportunity|eeo?\b|diversity|privacy|applicant privacy|disclaimer|"
    r"commitment to|recruitment fraud|stay alert|accommodations?\b|über uns|warum"
)
_HEADING_NOUNS = r"(?:qualifications?|requirements?|skills|experience|education)\b"
_REQUIRED_STARTS = (
    r"(?:(?:basic|minimum|required|mandatory|essential|key|core|must[- ]have|your|the|job|"
    r"position|role|additional|general)\s+)*(?:qualifications?|requirements?|skills|"
    r"experience|education|competencies|knowledge|profile|prerequisites|certifications?|"
    r"licen[sc]es?)\b|"
    r"(?:required|must[- ]haves?|requirements?)\b|"
    r"what (?:you(?:['’]ll| will)? (?:bring|need|have)|we(?:['’]re| are) looking for|"
    r"we look for|it takes|you should have|we need)|who you are|"
    r"(?:some of )?(?:the )?things we look for|(?:who )?we(?:['’]re| are) looking for|"
    r"(?:about you|you have|you are|you bring)\b|(?:the )?ideal candidate|(?:ihr|dein) profil|"
    r"anforderungen|qualifikation|was (?:du|sie) mitbring|das bringst du mit|requisitos|"
    r"profil recherch"
)
# Headings of no kind that still end the section before them, in plain text.
_GENERAL_STARTS = (
    r"(?:(?:key|core|main|your|the|job|role|primary)\s+)*(?:responsibilit|duties|tasks\b|"
    r"what you(?:['’]ll| will) do|the role|about the (?:role|team|job|position|opportunity)|"
    r"your role|the team|the opportunity|overview|job description|(?:position |job )?summary|"
    r"your mission|in this role|the impact|day[- ]to[- ]day|deine aufgaben|ihre aufgaben|"
    r"aufgaben|logistics|locations?\b|what we do|what will you|what skills|you may be)"
)
_PREFERRED = re.compile(r"\b" + _PREFERRED_WORDS)
_MIXED = re.compile(r"required|minimum|basic|must")  # "Required and preferred qualifications"
_PAY = re.compile(_PAY_STARTS)
_BENEFITS = re.compile(_BENEFITS_STARTS)
_ABOUT = re.compile(_ABOUT_STARTS)
_REQUIRED = re.compile(_REQUIRED_STARTS)
_TRIM = re.compile(r"^[\s#*•▪>:\\-]+|[\s:*•▪\\.…-]+$")


@lru_cache(maxsize=4096)  # postings of one board, and most boards, share their headings
def classify_heading(heading: str) -> str:
    """The kind of section a heading opens (see the module's docstring)."""
    text = _TRIM.sub("", heading.lower())
    for kind, pattern in (("pay", _PAY), ("benefits", _BENEFITS), ("about", _ABOUT)):
        if pattern.match(text):
            return kind
    if _PREFERRED.search(text):
        # "Required and preferred qualifications": the sentences decide.
        return "general" if _MIXED.search(text) else "preferred"
    if _REQUIRED.match(text):
        return "required"
    return "general"


# --- HTML ------------------------------------------------------------------------------------


def _blocks(root: Tag) -> list[tuple[str, str, bool]]:
    """(tag, text, all in bold) of each block of text, in document order. Iterative: a
    hostile page nested thousands deep must not exhaust the stack."""
    blocks: list[tuple[str, str, bool]] = []
    pieces: list[tuple[str, bool]] = []
    open_blocks: list[str] = []

    def flush() -> None:
        text = " ".join("".join(piece for piece, _ in pieces).split())
        if text:
            bold = all(in_bold for piece, in_bold in pieces if piece.strip())
            tag = open_blocks[-1] if open_blocks else "p"
            if tag != "li" and "li" in open_blocks:
                tag = "li"  # <li><p>...</p></li>, Workday's <li><h2>...</h2></li>: an item
            blocks.append((tag, text, bold))
        pieces.clear()

    # (node, in bold, closing a block)
    stack: list[tuple[object, bool, bool]] = [(n, False, False) for n in reversed(root.contents)]
    while stack:
        node, bold, closing = stack.pop()
        if closing:
            flush()
            open_blocks.pop()
        elif isinstance(node, Tag):
            name = node.name
            if name in _SKIP:
                continue
            if name == "br" or name == "hr":
                flush()
                continue
            inner = bold or name in _BOLD_TAGS
            if name in _BLOCK_TAGS:
                flush()
                open_blocks.append(name)
                stack.append((node, bold, True))
            stack.extend((child, inner, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            pieces.append((str(node), bold))
    flush()
    return blocks


def _is_heading(index: int, blocks: list[tuple[str, str, bool]]) -> bool:
    tag, text, bold = blocks[index]
    if tag in _HEADING_TAGS:  # not a sentence set in a heading's type (Workday does that)
        return len(text) <= 2 * _HEADING_MAX and not text.endswith((".", "!", "?", ";"))
    if tag == "li":
        return False
    if bold and len(text) <= _HEADING_MAX and not text.endswith((".", "!", "?", ";", ",")):
        return True
    following = blocks[index + 1][0] if index + 1 < len(blocks) else ""
    return text.endswith(":") and len(text) <= _COLON_HEADING_MAX and following == "li"


def sections_from_html(markup: str | None) -> list[Section]:
    """The sections of an HTML description; [] when it holds no text. Never raises on bad
    markup: unclosed tags, stray scripts and nesting are what lxml's parser repairs."""
    if not markup or not markup.strip():
        return []
    markup = markup[:MAX_MARKUP]
    if "<" not in markup and "&lt;" in markup:
        markup = html.unescape(markup)  # Greenhouse's content is escaped HTML
    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    blocks = _blocks(root)
    sections: list[Section] = []
    heading, items = "", []
    for index, (tag, text, _) in enumerate(blocks):
        if _is_heading(index, blocks):
            if heading or items:
                sections.append(Section(heading, classify_heading(heading), tuple(items)))
            heading, items = text.rstrip(":").strip(), []
        else:
            items.append(ITEM_MARK + text if tag == "li" else text)
    if heading or items:
        sections.append(Section(heading, classify_heading(heading), tuple(items)))
    return sections


def render(sections: list[Section]) -> str | None:
    """Sections as the plain text stored as a posting's description (see the docstring)."""
    parts = []
    for section in sections:
        lines = [HEADING_MARK + section.heading] if section.heading else []
        # A paragraph starting with "#" must not read back as a heading.
        lines.extend(" " + item if item.startswith("#") else item for item in section.items)
        if lines:
            parts.append("\n".join(lines))
    return "\n\n".join(parts) or None


def description_text(markup: str | None) -> str | None:
    """The text of an HTML description, its headings and list items marked."""
    return render(sections_from_html(markup))


def field_section(heading: str, value: str | list | None) -> Section | None:
    """A section from an API's plain-text field (its lines) or list field (its items), under
    a heading the field's meaning gives (USAJOBS' ``QualificationSummary`` as
    "Qualifications"); None when the field is empty."""
    if isinstance(value, str):
        items = tuple(line.strip() for line in value.splitlines() if line.strip())
    elif isinstance(value, list):
        items = tuple(ITEM_MARK + v.strip() for v in value if isinstance(v, str) and v.strip())
    else:
        items = ()
    return Section(heading, classify_heading(heading), items) if items else None


# --- Text ------------------------------------------------------------------------------------

# "## " at a line's start, found by its first "#", which the engine skips to (a leading "^"
# is tried at every character): the one before it is a newline, or there is none.
_MARKED = re.compile(r"#(?<![^\n]#)#+ +(.+?)[ \t]*$", re.MULTILINE)
# A line short enough to be a heading: no sentence punctuation inside, at most a colon after.
# (Markdown converters escape the dashes of "---- Basic Qualifications ----" as "\-".)
_HEADING_LINE = re.compile(
    r"^[ \t#*•▪\\-]*+[A-Za-zÀ-ÿ(][^\n.;!?]{1,60}+(?:\.{3}|…)?$", re.MULTILINE
)


@dataclass(frozen=True)
class Outline:
    """Where a text's sections start (offsets, ascending) and their kinds."""

    structure: str  # "marked" | "lines" | "flat"
    starts: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()

    def kind_at(self, at: int) -> str:
        index = bisect_right(self.starts, at) - 1
        return self.kinds[index] if index >= 0 else "general"


_FLAT = Outline("flat")


# Guessing headings in plain text: a line naming a kind of section, and for "required" only
# heading words after that name ("Skills and experience", not "Experience with Python"), or
# ending with a colon. One pattern tried at each short line's start (lower-cased text).
_HEADING_WORDS = frozenset(
    (
        *("and", "for", "the", "this", "role", "position", "experience", "education", "skills"),
        *("knowledge", "abilities", "attributes", "competencies", "background", "qualification"),
        *("qualifications", "requirement", "requirements", "must-have", "must-haves", "required"),
        *("responsibilities", "duties", "description", "overview", "summary", "&", "/", "+", "-"),
        *("of", "our", "your", "you", "need", "what", "will", "bring"),
    )
)
_GUESS = re.compile(
    rf"[ \t#*•▪\\-]*(?:(?P<pay>{_PAY_STARTS})|(?P<benefits>{_BENEFITS_STARTS})|"
    rf"(?P<about>{_ABOUT_STARTS})|(?P<preferred>{_PREFERRED_WORDS}|{_HEADING_NOUNS}[^\n]*"
    rf"\b{_PREFERRED_WORDS})|(?P<required>{_REQUIRED_STARTS})|(?P<general>{_GENERAL_STARTS}))"
)
_WORD = re.compile(r"[\w'’&/+-]*\w[\w'’&/+-]*|&|/|\+")  # "----" is no word


def _guessed_kind(lower: str, start: int, end: int) -> str | None:
    """The kind of section the plain-text line ``lower[start:end]`` opens, or None."""
    match = _GUESS.match(lower, start, end)
    colon = lower[start:end].rstrip().endswith(":")
    if not match:
        return "general" if colon else None
    kind = match.lastgroup
    if kind == "required":
        if _PREFERRED.search(lower, start, end):
            return "general"
        rest = _WORD.findall(lower, match.end(), end)
        return kind if colon or all(word in _HEADING_WORDS for word in rest) else None
    if kind == "preferred" and _MIXED.search(lower, start, end):
        return "general"
    return kind


def outline(text: str | None, lower: str | None = None) -> Outline:
    """The sections of a description's text: from its ``## `` headings where it has them,
    else guessed from its lines: a short line that names a kind of section (and, for
    "required", nothing but heading words after the name), or ends with a colon. An
    "about" section, prose, also ends at the next short line (a heading these rules do not
    know, most likely). ``lower``: the text lower-cased, its characters in place."""
    if not text:
        return _FLAT
    if "## " in text:
        marked = [(m.start(), classify_heading(m.group(1))) for m in _MARKED.finditer(text)]
        if marked:
            return Outline("marked", *map(tuple, zip(*marked, strict=True)))
    found: list[tuple[int, str]] = []
    lower = lower if lower is not None else lower_in_place(text)
    for match in _HEADING_LINE.finditer(lower):
        kind = _guessed_kind(lower, match.start(), match.end())
        if kind is None and found and found[-1][1] == "about":
            kind = "general"
        if kind is not None:
            found.append((match.start(), kind))
    if not any(kind != "general" for _, kind in found):
        return _FLAT
    return Outline("lines", *map(tuple, zip(*found, strict=True)))


def sections_from_text(text: str | None) -> list[Section]:
    """The sections of a plain-text description (see ``outline``)."""
    if not text or not text.strip():
        return []
    shape = outline(text)
    cuts = [0, *shape.starts, len(text)]
    sections = []
    for index, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
        lines = [line.strip() for line in text[start:end].splitlines()]
        lines = [line for line in lines if line]
        heading = ""
        if index and lines:
            heading = _TRIM.sub("", lines.pop(0))
        kind = shape.kinds[index - 1] if index else "general"
        if heading or lines:
            sections.append(Section(heading, kind, tuple(lines)))
    return sections


def without_kinds(
    text: str | None, kinds: frozenset[str], shape: Outline | None = None
) -> str | None:
    """``text`` without its sections of these kinds (benefits left out of pay, say);
    ``shape``: its ``outline``, when the caller has it already."""
    if not text:
        return text
    shape = shape or outline(text)
    if not any(kind in kinds for kind in shape.kinds):
        return text
    cuts = [*shape.starts, len(text)]
    kept = [text[: cuts[0]]]
    kept += [
        text[start:end]
        for start, end, kind in zip(cuts, cuts[1:], shape.kinds, strict=False)
        if kind not in kinds
    ]
    return "".join(kept)
