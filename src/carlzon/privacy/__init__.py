"""Privacy: personal data found and redacted in text, customer ids hashed, before anything is stored."""

from carlzon._lazy import lazy_exports

_FACE = {
    "Privacy": "carlzon.privacy.policy",
    "find_pii": "carlzon.privacy.redact",
    "redact": "carlzon.privacy.redact",
    "pseudonym": "carlzon.privacy.pseudonyms",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
