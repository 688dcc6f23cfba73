"""`carlzon qa import`: call-centre and chat transcripts into the store through the ingest machinery.

A file is read as any feedback file is (encoding detected, CSV / TSV / Excel / JSON Lines / JSON,
columns found by name or mapped), one utterance a row — or, in JSON, one conversation a line with
its ``turns`` list. Every text is redacted and the customer id hashed before anything is kept.

Why a conversation is held back whole when one of its rows is bad: a transcript missing a turn
scores wrong (the missing turn may be the agent's confirmation), so its bad row goes to the
quarantine with its field and reason and its other rows beside it, marked as held with it; once
the row is fixed (in the file, or in `carlzon quarantine export`'s CSV) and imported again, the
conversation comes in whole and the entries close.

Each conversation becomes two rows committed together: its customer's words as a feedback record
(same source, external id = the conversation id: analysis, rules and the customer's other feedback
reach it there, with the QA reading in ``meta.qa``) and its turns with their EOAC / ABC reading.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carlzon.errors import InputError
from carlzon.ingest.mapping import normalise_channel
from carlzon.ingest.readers import read_rows
from carlzon.ingest.service import check_feedback_file, fingerprint_file, format_and_encoding
from carlzon.ingest.values import RowRejected, as_str, parse_datetime, unstorable
from carlzon.privacy.policy import Privacy
from carlzon.privacy.redact import redact
from carlzon.serviceqa.columns import REQUIRED, ConversationMapping
from carlzon.serviceqa.files import role_of
from carlzon.serviceqa.models import Conversation, Role, Turn
from carlzon.serviceqa.scoring import ConversationScore
from carlzon.storage.store import Store

ProgressCallback = Callable[[int, int], None]
JSON = ("jsonl", "json")
DEFAULT_CHANNEL = "chat"
HELD = "(conversation)"  # the field of a held row: the row is fine, its conversation has a bad one
BATCH = 500  # conversations per committed transaction
MAX_TURN_CHARS = 20_000
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")  # undecodable bytes, unpaired surrogates, NUL


@dataclass(frozen=True)
class Utterance:
    """One checked row: its conversation, who spoke, the redacted text, and the row's details."""

    row: int
    conversation: str
    role: Role
    text: str
    moment: datetime | None
    seconds: float | None
    details: dict[str, str | None]


@dataclass(frozen=True)
class ConversationImportReport:
    """What `qa import` did: rows read, conversations imported / already stored / held back, rows
    quarantined, and the mean score of the new conversations."""

    source: str
    path: str
    run_id: int
    rows: int
    imported: int
    duplicates: int
    held: int
    quarantined: int
    mean_score: float | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_conversations(
    path: Path,
    *,
    store: Store,
    mapping: ConversationMapping | None = None,
    source: str | None = None,
    encoding: str | None = None,
    fmt: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> ConversationImportReport:
    """Import the conversations of ``path``; a rerun adds nothing (each conversation once per source)."""
    from carlzon.serviceqa.feelings import last_customer_sentiments
    from carlzon.serviceqa.scoring import score_conversation

    started = time.perf_counter()
    path = check_feedback_file(Path(path), "conversations file")
    mapping = mapping or ConversationMapping()
    fmt, encoding = format_and_encoding(path, fmt, encoding)
    reader = _Reader(path, mapping, source or path.name, store.privacy())
    rows = list(reader.rows(fmt, encoding, on_progress))
    if fmt == "jsonl" and rows and all(isinstance(c, RowRejected) and c.field == "(line)" for _, _, c in rows):
        raise InputError(
            f"{path}: no line is a JSON object; is it another format? (drop --format, or give the right one)"
        )
    source = reader.source = source or _exported_from(store, reader.quarantine_ids) or path.name
    conversations, rejected = reader.assemble(rows)
    # A conversation already stored is a duplicate, even where this copy of the file has a bad row.
    stored = store.stored_conversation_ids(
        source, {c.id for c, _ in conversations} | {r["conversation"] for r in rejected if r["conversation"]}
    )
    rejected = [r for r in rejected if r["conversation"] not in stored]
    feelings = last_customer_sentiments([c for c, _ in conversations])
    scores = [
        score_conversation(c, f, appearance=details["appearance"])
        for (c, details), f in zip(conversations, feelings, strict=True)
    ]
    options = {
        "kind": "conversations",
        "columns": mapping.columns,
        "channel": mapping.channel,
        "brand": mapping.brand,
        "timezone": mapping.timezone,
        "encoding": encoding,
        "format": fmt,
    }
    run = store.start_run(source=source, path=str(path), fingerprint=fingerprint_file(path), options=options)
    imported = duplicates = done = 0  # done: the turns of the conversations committed so far (the checkpoint)
    settled = _settled_entries(store, source, reader)
    new_scores: list[float] = []
    for start in range(0, max(len(conversations), 1), BATCH):
        chunk = list(zip(conversations[start : start + BATCH], scores[start : start + BATCH], strict=True))
        pairs = [_stored_rows(source, c, details, s, mapping) for (c, details), s in chunk]
        ids = {c.id for (c, _), _ in chunk}
        done += sum(len(c.turns) for (c, _), _ in chunk)
        new, again = store.commit_conversation_batch(
            run.id,
            records=[record for record, _ in pairs],
            conversations=[row for _, row in pairs],
            rejected=rejected if start == 0 else [],
            rows_done=len(rows) if start + BATCH >= len(conversations) else done,
            resolves=[qid for qid, conversation in settled if conversation in ids],
        )
        imported, duplicates = imported + new, duplicates + again
        new_scores += [s.score for _, s in chunk]
    store.finish_run(run.id)
    held = len({r["conversation"] for r in rejected if r["conversation"]})
    return ConversationImportReport(
        source,
        str(path),
        run.id,
        len(rows),
        imported,
        duplicates,
        held,
        len(rejected),
        round(sum(new_scores) / len(new_scores), 1) if new_scores else None,
        time.perf_counter() - started,
    )


def _exported_from(store: Store, entries: set[int]) -> str | None:
    """The source of the quarantine entries a fixed export names, when they share one: its
    conversations belong there (imported under the export's own name they would count twice)."""
    sources = {q.source for q in store.list_quarantine(status=None, ids=sorted(entries))} if entries else set()
    return sources.pop() if len(sources) == 1 else None


def _settled_entries(store: Store, source: str, reader: _Reader) -> list[tuple[int, str]]:
    """Open quarantine entries this import may close: those of the same source, and those a fixed
    export names in its _quarantine_id column, each with its conversation id."""
    entries = {q.id: q for q in store.list_quarantine(source=source)}
    entries |= (
        {q.id: q for q in store.list_quarantine(ids=sorted(reader.quarantine_ids))} if reader.quarantine_ids else {}
    )
    out = []
    for entry in entries.values():
        conversation = entry.raw.get("_conversation")
        if isinstance(conversation, str):
            out.append((entry.id, conversation))
    return out


class _Reader:
    """Reads and checks the rows of one file, and groups them into conversations."""

    def __init__(self, path: Path, mapping: ConversationMapping, source: str, privacy: Privacy) -> None:
        self.path, self.mapping, self.source, self.privacy = path, mapping, source, privacy
        self.zone = mapping.zone()
        self.columns: dict[str, str] | None = None  # of the row read last
        self._resolved: dict[tuple[str, ...], dict[str, str]] = {}  # JSON turns may name their keys differently
        self.fmt = ""
        self.quarantine_ids: set[int] = set()

    def rows(
        self, fmt: str, encoding: str, on_progress: ProgressCallback | None
    ) -> Iterator[tuple[int, dict[str, Any], Any]]:
        """(row number, values, an Utterance or a RowRejected) for every utterance of the file."""
        self.fmt = fmt
        for raw in read_rows(self.path, fmt=fmt, encoding=encoding, on_progress=on_progress):
            if raw.problem is not None:
                yield raw.number, raw.values, RowRejected(*raw.problem)
                continue
            values = {k: v for k, v in raw.values.items() if not str(k).startswith("_") or k == "_quarantine_id"}
            entry = values.pop("_quarantine_id", None)
            if entry not in (None, ""):
                try:
                    self.quarantine_ids.add(int(entry))
                except (TypeError, ValueError):
                    yield raw.number, values, RowRejected("_quarantine_id", f"{entry!r} is not a number")
                    continue
            if isinstance(values.get("turns"), str) and values["turns"].lstrip().startswith("["):
                values["turns"] = _json_list(values["turns"])  # a JSON conversation in an exported CSV
            if isinstance(values.get("turns"), list):
                yield from self._turns(raw.number, values)
            else:
                yield raw.number, values, self._checked(raw.number, values)

    def _turns(self, number: int, record: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any], Any]]:
        """A JSON conversation: each turn checked with the conversation's own fields."""
        shared = {k: v for k, v in record.items() if k != "turns"}
        for index, turn in enumerate(record["turns"]):
            if not isinstance(turn, dict):
                yield number, record, RowRejected(f"turns[{index}]", "each turn is an object with role and text")
                continue
            values = {**shared, **turn}
            checked = self._checked(number, values)
            if isinstance(checked, RowRejected):
                checked = RowRejected(f"turns[{index}].{checked.field}", checked.reason)
            yield number, record, checked  # a JSON conversation is quarantined as its line

    def _checked(self, number: int, values: dict[str, Any]) -> Utterance | RowRejected:
        try:
            return self._utterance(number, values)
        except RowRejected as exc:
            return exc

    def _utterance(self, number: int, values: dict[str, Any]) -> Utterance:
        keys = tuple(str(k) for k in values)
        if keys not in self._resolved:
            try:
                self._resolved[keys] = self.mapping.resolve(list(keys), self.source)
            except InputError as exc:
                if not self._resolved and not isinstance(values.get("turns"), list) and self.fmt not in JSON:
                    raise  # a CSV's header: the whole file is unreadable, say so once
                missing = next(
                    (name for name in REQUIRED if name not in self.mapping.resolve_partial(list(keys))), "text"
                )
                raise RowRejected(missing, f"no {missing} here ({exc})") from None
        c = self.columns = self._resolved[keys]
        cell = {name: values.get(column) for name, column in c.items()}
        for name, value in cell.items():
            if isinstance(value, str) and _UNSTORABLE.search(value):
                raise RowRejected(c[name], unstorable(value))
        conversation = as_str(cell.get("conversation_id")).strip()
        if not conversation:
            raise RowRejected(c["conversation_id"], "empty conversation id: which conversation is this turn of?")
        try:
            role = role_of(cell.get("role"), "")
        except InputError:
            raise RowRejected(
                c["role"],
                f"{as_str(cell.get('role'))[:40]!r} is neither the customer (customer, user, 顾客 …) "
                "nor the agent (agent, staff, 客服 …)",
            ) from None
        text = as_str(cell.get("text")).strip()
        if not text:
            raise RowRejected(c["text"], "empty text: nothing was said in this turn")
        if len(text) > MAX_TURN_CHARS:
            raise RowRejected(c["text"], f"text is {len(text):,} characters; the limit is {MAX_TURN_CHARS:,}")
        moment, seconds = self._time(cell.get("timestamp"), c.get("timestamp"))
        channel = as_str(cell.get("channel")).strip()
        if channel and normalise_channel(channel) is None:
            raise RowRejected(c["channel"], f"{channel[:40]!r} is not a channel (call_centre, chat, social, email …)")
        details = {
            "agent": as_str(cell.get("agent")).strip()[:200] or None,
            "team": as_str(cell.get("team")).strip()[:200] or None,
            "channel": normalise_channel(channel) if channel else None,
            "store": as_str(cell.get("store")).strip()[:200] or None,
            "customer_id": self.privacy.customer(as_str(cell.get("customer_id")).strip()[:200]),
            "brand": as_str(cell.get("brand")).strip()[:200] or None,
            "appearance": redact(as_str(cell.get("appearance")).strip())[:200] or None,
        }
        return Utterance(number, conversation[:200], role, redact(text), moment, seconds, details)

    def _time(self, value: Any, column: str | None) -> tuple[datetime | None, float | None]:
        """A timestamp as a moment (a date and time) or seconds from the start (a number)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None, float(value)
        text = str(value).strip()
        try:
            return None, float(text)
        except ValueError:
            pass
        moment = value if isinstance(value, datetime) else parse_datetime(text)
        if moment is None:
            raise RowRejected(
                column or "timestamp", f"{text[:40]!r} is not a time (e.g. 2026-11-23 14:05:09, or seconds)"
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(UTC), None

    def assemble(
        self, rows: list[tuple[int, dict[str, Any], Any]]
    ) -> tuple[list[tuple[Conversation, dict[str, Any]]], list[dict[str, Any]]]:
        """Conversations in the order their first row appears, and the quarantine entries: bad rows
        with their reason, and the good rows of their conversations held beside them."""
        grouped: dict[str, list[tuple[int, dict[str, Any], Any]]] = {}
        loose: list[tuple[int, dict[str, Any], RowRejected]] = []
        for number, values, checked in rows:
            key = checked.conversation if isinstance(checked, Utterance) else self._conversation_of(values)
            if key is None:
                loose.append((number, values, checked))
            else:
                grouped.setdefault(key, []).append((number, values, checked))
        conversations, rejected = [], [self._rejection(n, v, e, None) for n, v, e in loose]
        for key, members in grouped.items():
            bad = [(n, e) for n, _, e in members if isinstance(e, RowRejected)]
            if not bad:
                utterances = [u for _, _, u in members]
                conversations.append(_conversation(key, utterances))
                continue
            first_row, first = bad[0]
            seen: set[int] = set()
            for number, values, _checked in members:
                if number in seen:  # a JSON conversation: one entry for its line
                    continue
                seen.add(number)
                problems = [e for n, e in bad if n == number]
                problem = problems[0] if problems else None
                if len(problems) > 1:  # a JSON line with several bad turns: all of them, the first's field
                    also = "; ".join(f"{e.field}: {e.reason}" for e in problems[1:])
                    problem = RowRejected(problem.field, f"{problem.reason}; also {also}")  # type: ignore[union-attr]
                if problem is None:
                    problem = RowRejected(
                        HELD, f"held with row {first_row} of the same conversation ({first.field}: {first.reason})"
                    )
                rejected.append(self._rejection(number, values, problem, key))
        return conversations, rejected

    def _conversation_of(self, values: dict[str, Any]) -> str | None:
        column = (self.columns or {}).get("conversation_id")
        value = as_str(values.get(column)).strip() if column else ""
        return value[:200] or None

    def _rejection(
        self, number: int, values: dict[str, Any], problem: RowRejected, conversation: str | None
    ) -> dict[str, Any]:
        """A quarantine entry: the failing field and the conversation id as they were, the rest redacted
        (a JSON conversation's turns too); ``_conversation`` ties it to the import that settles it."""
        keep = [problem.field, (self.columns or {}).get("conversation_id", "")]
        flat = {str(k): _redacted_turns(v) if k == "turns" else v for k, v in values.items()}
        flat = {k: v for k, v in flat.items() if isinstance(v, str | int | float | bool | list) or v is None}
        raw = self.privacy.quarantined(flat, keep=keep, customer_column=(self.columns or {}).get("customer_id"))
        if conversation is not None:
            raw["_conversation"] = conversation
        return {
            "source": self.source,
            "row_number": number,
            "field": problem.field[:64],
            "reason": problem.reason,
            "raw": raw,
            "conversation": conversation,
        }


def _json_list(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # not JSON after all: checked as the text it is


def _redacted_turns(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [
        {k: redact(v) if isinstance(v, str) and k != "role" else v for k, v in t.items()} if isinstance(t, dict) else t
        for t in value
    ]


def _conversation(key: str, utterances: list[Utterance]) -> tuple[Conversation, dict[str, Any]]:
    """The conversation of checked rows (times made seconds from its first timed turn) and its
    details (agent, team, store … as _details reads them)."""
    moments = [u.moment for u in utterances if u.moment is not None]
    origin = min(moments) if moments else None
    turns = []
    for u in utterances:
        at = (
            u.seconds if u.seconds is not None else (u.moment - origin).total_seconds() if u.moment and origin else None
        )
        turns.append(Turn(u.role, u.text, at))
    details = _details(utterances)
    conversation = Conversation(
        id=key, turns=tuple(turns), agent=details["agent"], team=details["team"], channel=details["channel"]
    )
    return conversation, details


def _details(utterances: list[Utterance]) -> dict[str, Any]:
    """Each detail from the first row that names it (a customer's row names no agent)."""
    out: dict[str, Any] = dict.fromkeys(("agent", "team", "channel", "store", "customer_id", "brand", "appearance"))
    for u in utterances:
        for key, value in u.details.items():
            out[key] = out[key] or value
    moments = [u.moment for u in utterances if u.moment is not None]
    out["started_at"] = min(moments) if moments else None
    return out


def _stored_rows(
    source: str,
    conversation: Conversation,
    details: dict[str, Any],
    score: ConversationScore,
    mapping: ConversationMapping,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The conversation's two rows: its customer's words as a feedback record (the QA reading in
    meta.qa, where the rules read it) and its turns with their reading."""
    channel = details["channel"] or mapping.channel or DEFAULT_CHANNEL
    shared = {"source": source, "external_id": conversation.id, "channel": channel, "location": details["store"]}
    record = {
        **shared,
        "brand": details["brand"] or mapping.brand or "own",
        "customer_id": details["customer_id"],
        "created_at": details["started_at"],
        "text": "\n".join(t.text for t in conversation.turns if t.role == "customer"),
        "meta": {
            "qa": {
                "score": score.score,
                "steps": score.steps,
                "missing": score.missing,
                "solved": score.customer_solved,
                "agent": details["agent"],
                "team": details["team"],
            }
        },
    }
    row = {
        **shared,
        "agent": details["agent"],
        "team": details["team"],
        "started_at": details["started_at"],
        "turns": [{"role": t.role, "text": t.text, "at": t.at} for t in conversation.turns],
        "score": score.score,
        "steps": score.steps,
        "missing": score.missing,
        "behaviours": score.behaviours,
        "reasons": score.reasons,
        "solved": score.customer_solved,
        "communication": score.communication,
        "appearance": details["appearance"],
    }
    return record, row
