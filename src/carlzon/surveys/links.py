"""Distribution: the public link of a survey (per store, per language), its QR code for the table
tent or the receipt (segno: PNG or SVG), and single-use personal links from a contacts CSV.

Why tokens are stored hashed: the links file goes to whoever sends the invitations; the database
keeps only SHA-256 of each token, so a copy of it cannot answer in a customer's name. The
contact-frequency rule (the survey's ``contact_every``) counts links of any survey: fatigue is the
customer's, not the survey's.
"""

from __future__ import annotations

import csv
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from carlzon.errors import InputError, NotFoundError, StateError
from carlzon.files import output_file, spreadsheet_safe
from carlzon.storage.store import Store

ID_COLUMNS = ("customer_id", "customer", "member_id", "会员号", "客户")
STORE_COLUMNS = ("store", "location", "门店")


def survey_url(
    base_url: str, survey_id: str, *, store: str | None = None, lang: str | None = None, token: str | None = None
) -> str:
    """The public answer page of a survey: ``{base}/s/{id}?store=…&lang=…&t=…``."""
    if not base_url.startswith(("http://", "https://")):
        raise InputError(
            f"base URL {base_url!r}: give where customers reach carlzon serve, e.g. https://cx.example.com"
        )
    query = {k: v for k, v in (("store", store), ("lang", lang), ("t", token)) if v}
    return f"{base_url.rstrip('/')}/s/{survey_id}" + (f"?{urlencode(query)}" if query else "")


def write_qr(url: str, out: Path) -> Path:
    """A QR code of ``url`` as PNG or SVG (by the file's suffix), error correction M, big enough to scan
    from a table tent."""
    import segno

    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InputError(f"--out {out}: write a .png or an .svg")
    code = segno.make(url, error="m")
    with output_file(out, "QR code"):
        code.save(str(out), scale=10 if suffix == ".png" else 4, border=4)
    return out


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LinksReport:
    written: int
    asked_recently: int  # skipped: the survey's contact_every has not passed since their last link
    without_id: list[int]  # row numbers of contacts with no customer id
    out: str
    repeated: list[int] = field(default_factory=list)  # row numbers of a customer already listed above


def personal_links(
    *, store: Store, survey_id: str, contacts: Path, out: Path, base_url: str, now: datetime | None = None
) -> LinksReport:
    """One single-use link per contact of ``contacts`` (a CSV with a customer id column and optionally
    a store), written to ``out``; contacts asked within the survey's ``contact_every`` are skipped."""
    published = store.get_survey(survey_id)
    if published.status != "open":
        raise StateError(f"survey '{survey_id}' is closed; publish it again before sending links")
    now = now or datetime.now(UTC)
    rows, id_column, store_column = _contacts(contacts)
    privacy = store.privacy()
    read = []  # (row number, id as written, hashed id, store) of each contact
    for number, row in rows:
        raw = row[id_column].strip()
        place = ((row.get(store_column) or "").strip() or None) if store_column else None
        read.append((number, raw, privacy.customer(raw), place))
    without_id = [number for number, raw, _, _ in read if not raw]
    every = published.survey.contact_every
    recent = store.recently_asked(sorted({h for _, raw, h, _ in read if raw and h}), now - every) if every else set()
    issued: list[tuple[str, str, str | None]] = []
    seen: set[str | None] = set()
    repeated: list[int] = []
    with output_file(out, "links file"), out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "store", "link"])
        for number, raw, contact, place in read:
            if raw and contact in seen:
                repeated.append(number)
            if not raw or contact in recent or contact in seen:
                continue
            seen.add(contact)
            token = secrets.token_urlsafe(16)
            issued.append((token_hash(token), contact, place))  # type: ignore[arg-type]
            link = survey_url(base_url, survey_id, store=place, token=token)
            writer.writerow([spreadsheet_safe(raw), spreadsheet_safe(place or ""), link])
    store.add_survey_links(survey_id, issued, now)
    asked = len({h for _, raw, h, _ in read if raw and h in recent})
    return LinksReport(len(issued), asked, without_id, str(out), repeated)


def _contacts(path: Path) -> tuple[list[tuple[int, dict[str, str]]], str, str | None]:
    from carlzon.ingest.readers import detect_encoding

    if not path.is_file():
        raise NotFoundError(f"contacts file {path} does not exist or is not a file")
    with path.open(encoding=detect_encoding(path), newline="") as handle:  # GBK / Big5 exports too
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        lowered = {name.strip().lower(): name for name in header}
        id_column = next((lowered[c] for c in ID_COLUMNS if c in lowered), None)
        if id_column is None:
            raise InputError(
                f"{path}: no customer id column ({', '.join(ID_COLUMNS)}; have: {', '.join(header) or 'none'})"
            )
        store_column = next((lowered[c] for c in STORE_COLUMNS if c in lowered), None)
        return [(number, row) for number, row in enumerate(reader, start=2)], id_column, store_column
