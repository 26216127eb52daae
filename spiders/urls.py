"""URLs safe to show: credential query parameters stripped (plain Python, no Scrapy)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that carry credentials (Adzuna app_key, BLS registrationkey, ...).
SECRET_PARAMS = {
    "app_id",
    "app_key",
    "api_key",
    "apikey",
    "key",
    "token",
    "access_token",
    "registrationkey",
    "client_secret",
}


def without_secrets(url: str) -> str:
    """The URL with credential query parameters removed, safe for stats and reports."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
