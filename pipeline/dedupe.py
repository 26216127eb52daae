"""The same job posted on several boards (or re-posted under a new id) as one group.

``assign_clusters(postings)`` takes an iterable of mappings with these fields (the columns of
``job_posting``):

    source, source_id          the key of the posting (required)
    company, title             normalized here: case, punctuation, "Inc."/"GmbH" dropped
    company_parent             the department above an agency; a company name too (optional)
    location_raw               normalized the same way (optional)
    description                free text, compared by MinHash (optional)
    url                        equal URLs are always the same job (optional)
    city, state                cleaned place; compared instead of location_raw when present
    annual_min_usd, annual_max_usd   cleaned pay (optional)

and returns ``{(source, source_id): cluster_id}`` for every posting. Two postings are linked
when (a) their URLs are equal, or (b) company, title and location normalize equal, or (c) the
company matches and their descriptions' word 5-gram MinHash signatures collide in LSH at
Jaccard >= ``threshold``. The company matches when it is the same, or when one posting's
company is the other's ``company_parent`` ("Cybersecurity and Infrastructure Security Agency"
of the "Department of Homeland Security" on USAJOBS, and the Department of Homeland Security
on an aggregator); two agencies of one department are two employers. (A posting naming only
the department can still join the same title in one place at two of its agencies: it may be
either.) Within one source, (b) and (c) also need near-identical texts
(Jaccard >= ``SAME_BOARD_THRESHOLD``, or a text too short to compare): a re-post under a new id
copies its text, while sibling openings with one title only share a template. Links are closed
transitively (union-find), except that two groups naming different cities or different annual
pay are never joined (a veto checked per group, so no chain of links can bridge them). The
cluster id is the SHA-1 of the smallest member key, so re-running
on the same postings gives the same ids, and a group keeps its id while its oldest (smallest)
member stays in it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
DEFAULT_THRESHOLD = 0.8
SAME_BOARD_THRESHOLD = 0.95
_LEGAL = re.compile(
    r"\b(?:inc|llc|ltd|limited|gmbh|ag|se|corp|corporation|co|plc|sa|bv|nv|holdings?)\b\.?"
)


def normalize(text: str | None) -> str:
    """Lower case, no accents, punctuation, gender markers or legal-form suffixes."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((?:[mfwdx]/?)+\)|\(all genders\)", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(_LEGAL.sub(" ", text).split())


def _minhash(text: str) -> MinHash | None:
    words = normalize(text).split()
    if len(words) < SHINGLE * 4:
        return None  # too short to say anything by shape alone
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode() for s in sorted(shingles)])
    return m


def _same_text(a: MinHash | None, b: MinHash | None) -> bool:
    """Near-identical descriptions, or at least one too short to compare."""
    return a is None or b is None or a.jaccard(b) >= SAME_BOARD_THRESHOLD


def _place(posting: Mapping) -> str:
    """The cleaned city and state ("austin tx"); empty when the posting names no city."""
    city = normalize(posting.get("city"))
    return f"{city} {normalize(posting.get('state'))}".strip() if city else ""


def _pay(posting: Mapping) -> tuple[float, float] | None:
    """Annual USD pay range to the nearest $1,000, when both ends are stated."""
    lo, hi = posting.get("annual_min_usd"), posting.get("annual_max_usd")
    if lo is None or hi is None:
        return None
    return (round(float(lo), -3), round(float(hi), -3))


# A posting's employer: its company and the company's parent (both normalized, "" if none).
Employer = tuple[str, str]


def _employer(posting: Mapping) -> Employer:
    return normalize(posting.get("company")), normalize(posting.get("company_parent"))


def _same_employer(a: Employer, b: Employer) -> bool:
    """Equal companies, or one's company is the other's parent; never a shared parent alone
    (two agencies of one department are two employers). Unknown matches anything."""
    if not a[0] or not b[0]:
        return True
    return a[0] == b[0] or a[0] == b[1] or a[1] == b[0]


def _identity_keys(employer: Employer) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Where a posting is filed ("as company", "as parent") and where it looks for others
    by company, title and place: the keys of ``_same_employer``'s three cases."""
    company, parent = employer
    filed = [("company", company)] + ([("parent", parent)] if parent else [])
    looked = [("company", company), ("parent", company)] + ([("company", parent)] if parent else [])
    return filed, looked


def cluster_id(key: tuple[str, str]) -> str:
    return hashlib.sha1(f"{key[0]}\x1f{key[1]}".encode()).hexdigest()[:16]


def assign_clusters(
    postings: Iterable[Mapping], threshold: float = DEFAULT_THRESHOLD
) -> dict[tuple[str, str], str]:
    """``{(source, source_id): cluster_id}``; near-duplicates share one id."""
    items = sorted(
        ((str(p["source"]), str(p["source_id"])), p) for p in postings
    )  # sorted so the result never depends on input order
    keys = [key for key, _ in items]
    parent = list(range(len(keys)))
    # What a group has committed to: its place and its pay. Two groups that state different
    # ones are different jobs, whatever their text says (templates omit the city).
    places: list[set[str]] = [{p} if (p := _place(posting)) else set() for _, posting in items]
    pays: list[set[tuple]] = [{p} if (p := _pay(posting)) else set() for _, posting in items]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int, force: bool = False) -> None:
        a, b = find(i), find(j)
        if a == b:
            return
        if not force and (len(places[a] | places[b]) > 1 or len(pays[a] | pays[b]) > 1):
            return  # a veto: the groups name different places or different pay
        low, high = min(a, b), max(a, b)
        parent[high] = low
        places[low] |= places[high]
        pays[low] |= pays[high]

    by_url: dict[str, int] = {}
    by_identity: dict[tuple[str, str, str, str], list[int]] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    employers: list[Employer] = []
    signatures: list[MinHash | None] = []
    for i, ((source, _), posting) in enumerate(items):
        employer = _employer(posting)
        employers.append(employer)
        url = (posting.get("url") or "").split("?")[0].rstrip("/")
        if url:
            union(i, by_url.setdefault(url, i), force=True)  # one URL is one posting
        title = normalize(posting.get("title"))
        signature = _minhash(posting.get("description") or "")
        signatures.append(signature)
        if employer[0] and title:
            # Same company, title and place on another board is the same job. On one board it
            # may be a sibling opening (boards list several requisitions under one title):
            # there it links only when the texts are near-identical or cannot be compared.
            place = _place(posting) or normalize(posting.get("location_raw"))
            filed, looked = _identity_keys(employer)
            for role, name in looked:
                for j in by_identity.get((role, name, title, place), ()):
                    if keys[j][0] != source or _same_text(signature, signatures[j]):
                        union(i, j)
            for role, name in filed:
                by_identity.setdefault((role, name, title, place), []).append(i)
        if signature is not None:
            for j in lsh.query(signature):
                if not _same_employer(employers[j], employer):
                    continue
                same_board = keys[j][0] == source
                # A re-post on the same board copies the text; sibling openings only share
                # a template, so within a board only near-identical descriptions link.
                if not same_board or _same_text(signature, signatures[j]):
                    union(i, j)
            lsh.insert(i, signature)
    return {key: cluster_id(keys[find(i)]) for i, key in enumerate(keys)}
