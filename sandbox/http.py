"""HTTP helpers shared by sandbox routes: conditional responses (ETag, Last-Modified, 304)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time

from aiohttp import web

# What Rails (Greenhouse's stack) sends with a validated response: keep it, revalidate each time.
REVALIDATE = "max-age=0, private, must-revalidate"


def conditional_json(request: web.Request, payload: object, modified: date) -> web.Response:
    """``payload`` as JSON with an ETag and Last-Modified, or 304 when the client's copy is current.

    The sandbox's detail endpoints use it so incremental crawls can revalidate.
    """
    body = json.dumps(payload).encode()
    etag = hashlib.sha256(body).hexdigest()[:32]
    last_modified = datetime.combine(modified, time(9), tzinfo=UTC)
    headers = {"Cache-Control": REVALIDATE}
    if _not_modified(request, etag, last_modified):
        response = web.Response(status=304, headers=headers)
    else:
        response = web.Response(body=body, content_type="application/json", headers=headers)
    response.etag = etag
    response.last_modified = last_modified
    return response


def _not_modified(request: web.Request, etag: str, last_modified: datetime) -> bool:
    # RFC 9110 13.1.3: when If-None-Match is sent, If-Modified-Since is ignored.
    if request.if_none_match is not None:
        return any(tag.value in (etag, "*") for tag in request.if_none_match)
    since = request.if_modified_since
    return since is not None and last_modified <= since
