"""Metrics: scores with confidence intervals and the journey map."""

from carlzon.metrics.journey_map import JourneyMap, build_journey_map
from carlzon.metrics.scores import Estimate, mean_interval, nps

__all__ = ["Estimate", "JourneyMap", "build_journey_map", "mean_interval", "nps"]
