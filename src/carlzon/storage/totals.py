"""The running totals of each journey's analysis (analysis_totals), kept chunk by chunk.

A chunk's commit reads the totals of the records it is about to replace, writes the new results,
reads theirs, and adds the difference — in the chunk's own transaction, so the totals always
equal a GROUP BY over the mentions (tests check it) at the cost of two small indexed queries per
chunk. Sentiment sums are integers of 1/10,000 (mentions are stored rounded to four decimals), so
additions and subtractions are exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from carlzon.storage.tables import AnalysisRow, AnalysisTotalRow, FeedbackRow, MentionRow

# The sentiment bands the totals count, the same as analysis.sentiment.cues.NEUTRAL_BAND (a test
# keeps them equal; storage may not import analysis).
NEGATIVE_BELOW = -0.2
POSITIVE_ABOVE = 0.2
EMOTIONS = ("poor", "neutral", "happy", "surprised")
SUMS = (
    "records",
    "mentions",
    "total_e4",
    "squares_e8",
    "negative",
    "positive",
    *EMOTIONS,
    "nps_n",
    "promoters",
    "detractors",
)
# The columns of a mention-stats frame (per touchpoint and brand), as Store.mention_stats and
# metrics.journey_map.mention_stats both give it.
STAT_COLUMNS = [
    "touchpoint_id",
    "brand",
    "mentions",
    "total",
    "squares",
    "negative",
    "positive",
    *EMOTIONS,
    "nps_n",
    "promoters",
    "detractors",
]
Totals = dict[tuple[str, str], list[int]]  # (touchpoint key, brand) -> SUMS; key '' holds the records


def chunk_totals(session: Session, journey_id: str, ids: Sequence[int]) -> Totals:
    """The totals of the given records' current analysis under ``journey_id``.

    The mentions are read row by row and summed here: a GROUP BY would lead SQLite to scan the
    journey's whole (journey, touchpoint) index instead of looking the chunk's records up (0.8 s
    against 0.01 s a chunk at a million records)."""
    m, f = MentionRow, FeedbackRow
    chosen = bindparam("ids", expanding=True)
    out: Totals = {}
    records = (
        select(f.brand, func.count())
        .join(AnalysisRow, AnalysisRow.feedback_id == f.id)
        .where(AnalysisRow.journey_id == journey_id, AnalysisRow.feedback_id.in_(chosen))
        .group_by(f.brand)
    )
    for brand, count in session.execute(records, {"ids": list(ids)}):
        out[("", brand)] = [int(count), *([0] * (len(SUMS) - 1))]
    if not out:  # records analysed for the first time: nothing to read (most chunks)
        return out
    mentions = (
        select(m.touchpoint_key, f.brand, m.sentiment, m.emotion, f.nps)
        .join(f, f.id == m.feedback_id)
        .where(m.journey_id == journey_id, m.feedback_id.in_(chosen))
    )
    for key, brand, sentiment, emotion, nps in session.execute(mentions, {"ids": list(ids)}):
        sums = out.setdefault((key, brand), [0] * len(SUMS))
        e4 = round(sentiment * 10000)
        sums[1] += 1
        sums[2] += e4
        sums[3] += e4 * e4
        sums[4] += sentiment < NEGATIVE_BELOW
        sums[5] += sentiment > POSITIVE_ABOVE
        if emotion in EMOTIONS:
            sums[6 + EMOTIONS.index(emotion)] += 1
        if nps is not None:
            sums[10] += 1
            sums[11] += nps >= 9
            sums[12] += nps <= 6
    return out


def add_to_totals(session: Session, journey_id: str, new: Totals, old: Totals) -> None:
    """Add ``new`` minus ``old`` to the journey's running totals."""
    rows = []
    for key in set(new) | set(old):
        after, before = new.get(key, [0] * len(SUMS)), old.get(key, [0] * len(SUMS))
        delta = [a - b for a, b in zip(after, before, strict=True)]
        if any(delta):
            rows.append(
                {
                    "journey_id": journey_id,
                    "touchpoint_key": key[0],
                    "brand": key[1],
                    **dict(zip(SUMS, delta, strict=True)),
                }
            )
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(AnalysisTotalRow)
    statement = insert.on_conflict_do_update(
        index_elements=["journey_id", "touchpoint_key", "brand"],
        set_={name: getattr(AnalysisTotalRow, name) + insert.excluded[name] for name in SUMS},
    )
    session.execute(statement, rows)


def read_totals(engine: Engine, journey_id: str) -> pd.DataFrame:
    """The journey's running totals: touchpoint_key ('' for the records), brand and SUMS."""
    query = select(AnalysisTotalRow).where(AnalysisTotalRow.journey_id == journey_id)
    with Session(engine) as session:
        rows = [
            {"touchpoint_key": r.touchpoint_key, "brand": r.brand, **{name: getattr(r, name) for name in SUMS}}
            for r in session.scalars(query)
        ]
    return pd.DataFrame(rows, columns=["touchpoint_key", "brand", *SUMS])
