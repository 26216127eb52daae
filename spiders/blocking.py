"""Recognise responses that are a block (403/429) or a bot challenge, not content."""

from __future__ import annotations

import re

# Markers of interstitial bot-challenge pages (Cloudflare, PerimeterX, DataDome, hCaptcha).
_CHALLENGE_MARKERS = re.compile(
    rb"<title>\s*(just a moment|attention required|access denied|please verify)"
    rb"|/cdn-cgi/challenge-platform|id=\"challenge-form\"|px-captcha|captcha-delivery\.com"
    rb"|hcaptcha\.com/1/api\.js|g-recaptcha",
    re.IGNORECASE,
)


def block_reason(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Why this response is a block, or None if it looks like real content.

    ``headers`` maps lower-case header names to values.
    """
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "challenge"
    # Challenge pages are small; a real job page that merely mentions a captcha is not one.
    if len(body) < 200_000 and _CHALLENGE_MARKERS.search(body[:60_000]):
        return "challenge"
    if status == 429:
        return "rate_limited"
    if status == 403:
        return "forbidden"
    return None
