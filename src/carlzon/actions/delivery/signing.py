"""Signatures each receiver checks. Pure functions: the tests' receivers verify with them too.

- Standard Webhooks: ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` keyed by the
  base64-decoded part of a ``whsec_`` secret; several secrets (space-separated, during a
  rotation) give several signatures, space-separated.
- DingTalk: base64 HMAC-SHA256 of ``"{timestamp_ms}\\n{secret}"`` keyed by the secret, URL-encoded
  into the URL with the timestamp.
- Feishu/Lark: base64 HMAC-SHA256 of an empty message keyed by ``"{timestamp_s}\\n{secret}"``, in
  the JSON body with the timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

SECRET_PREFIX = "whsec_"


def webhook_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret (a bare base64 secret is accepted too)."""
    encoded = secret[len(SECRET_PREFIX) :] if secret.startswith(SECRET_PREFIX) else secret
    try:
        return base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise ValueError(
            "a webhook secret is whsec_ followed by base64; generate one with: carlzon deliveries secret"
        ) from exc


def webhook_signature(secrets: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: one ``v1,…`` per secret in ``secrets``."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets.split():
        digest = hmac.new(webhook_key(secret), content, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode())
    return " ".join(signatures)


def verify_webhook(secret: str, msg_id: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether any ``v1`` signature in ``header`` is ``secret``'s (constant-time compare)."""
    expected = webhook_signature(secret, msg_id, int(timestamp), body).split(",", 1)[1]
    for part in header.split():
        version, _, signature = part.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign`` query parameter (already URL-encoded)."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu/Lark's ``sign`` body field."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
