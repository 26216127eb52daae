"""Text helpers shared by page objects (descriptions: ``pipeline.sections.description_text``)."""

from __future__ import annotations


def remote_status(*texts: str | None) -> str | None:
    """'remote' / 'hybrid' when a location or title says so; None when it does not."""
    joined = " ".join(t for t in texts if t).lower()
    if "hybrid" in joined:
        return "hybrid"
    if "remote" in joined or "telecommute" in joined:
        return "remote"
    return None
