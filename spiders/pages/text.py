"""HTML-to-text helpers shared by page objects."""

from __future__ import annotations

import html_text


def html_to_text(markup: str | None) -> str | None:
    """Readable plain text of an HTML fragment (block elements become line breaks)."""
    if not markup:
        return None
    text = html_text.extract_text(markup, guess_layout=True)
    return text or None


def remote_status(*texts: str | None) -> str | None:
    """'remote' / 'hybrid' when a location or title says so; None when it does not."""
    joined = " ".join(t for t in texts if t).lower()
    if "hybrid" in joined:
        return "hybrid"
    if "remote" in joined or "telecommute" in joined:
        return "remote"
    return None
