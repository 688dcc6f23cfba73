"""Seeded, stratified samples: the same records whether the store or a frame is sampled.

Each record's place in the sample order is a multiplicative hash of its id (Knuth's multiplier,
made odd and different for each seed), an integer expression that SQLite, PostgreSQL and numpy
compute alike; each stratum
(channel) gets its proportional share of the sample (largest remainders), filled in that order.
Why a hash and not a random draw: the store can pick a stratum's share with one ORDER BY ... LIMIT,
without reading every id, and a frame of the same records picks the same ones.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

HASH_MULTIPLIER = 2654435761
HASH_MODULUS = 4294967296


def multiplier(seed: int) -> int:
    """The hash's multiplier for ``seed``: Knuth's times an odd number (so still odd, and every id
    below 2^32 keeps a place of its own), far enough apart for seeds to order the ids differently."""
    return HASH_MULTIPLIER * (2 * seed + 1) % HASH_MODULUS


def sample_key(ids: np.ndarray, seed: int) -> np.ndarray:
    """Each id's place in the sample order (the same integers the store's SQL computes)."""
    return (ids.astype(np.int64) * multiplier(seed)) % HASH_MODULUS


def allocate(counts: Mapping[Hashable, int], size: int) -> dict[Hashable, int]:
    """``size`` places shared out in proportion to ``counts`` (largest remainders; ties by key)."""
    total = sum(counts.values())
    exact = {key: size * count / total for key, count in counts.items()}
    quotas = {key: int(share) for key, share in exact.items()}
    left = size - sum(quotas.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - quotas[k]), str(k)))[:left]:
        quotas[key] += 1
    return quotas


def sample_ids(ids: pd.Series, strata: pd.Series | None, size: int, seed: int) -> list[int]:
    """The ids of a frame's sample (sorted): every id when there are ``size`` or fewer."""
    if len(ids) <= size:
        return sorted(int(i) for i in ids)
    frame = pd.DataFrame({"id": ids.to_numpy(), "stratum": strata.astype(str).to_numpy() if strata is not None else ""})
    frame["key"] = sample_key(frame["id"].to_numpy(), seed)
    quotas = allocate(frame["stratum"].value_counts().to_dict(), size)
    picked: list[int] = []
    for stratum, group in frame.groupby("stratum", sort=True):
        picked += group.sort_values(["key", "id"]).head(quotas[stratum])["id"].astype(int).tolist()
    return sorted(picked)
