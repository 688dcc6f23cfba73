"""Moments of truth: find and rank the few moments that decide loyalty."""

from carlzon.mot.prioritise import MotWeights, RankedMoment, rank_moments

__all__ = ["MotWeights", "RankedMoment", "rank_moments"]
