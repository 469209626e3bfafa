"""Credentials never leave a URL: the one redaction every output and message goes through.

A URL's user information (``user:password@``) and the value of every query parameter (signed URLs carry their
signature, token or expiry there) are replaced by ``REDACTED``; the rest of the URL is kept so it can be recognised.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "REDACTED"
_URL = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'"<>`]*[^\s'"<>`:;,.)\]]""")


def redact_url(url: str) -> str:
    """One URL with its user information and query values replaced by `MASK`."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not parseable (e.g. a bad port): hide everything after the scheme
        return url.split("://", 1)[0] + "://" + MASK
    netloc = f"{MASK}@{parts.netloc.rsplit('@', 1)[1]}" if "@" in parts.netloc else parts.netloc
    query = "&".join(f"{item.partition('=')[0]}={MASK}" if "=" in item else MASK
                     for item in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact(text: str) -> str:
    """`text` with every URL in it redacted (`redact_url`); text without URLs is returned unchanged."""
    return _URL.sub(lambda m: redact_url(m.group()), text) if "://" in text else text
