"""Metric trees and funnels: a goal metric broken into a closed chain, and its weakest link.

A goal is a number, never "satisfaction" in the abstract: revenue = visits × conversion ×
average ticket; or a funnel entered → seated → ordered → came back → recommended, whose goal
is the first step times every step rate. With daily values and a target (or benchmark) for each
link, the gap of the goal splits exactly into the links' log-ratios, so the weakest link is the
one that costs the most — and each link names the touchpoints that drive it.

YAML, either form::

    goal: revenue                        goal: recommenders
    metrics:                             funnel: [entered, seated, ordered, returned, recommended]
      revenue: {children: [visits, conversion, ticket]}
      visits: {target: 1200, touchpoints: [word_of_mouth]}
      conversion: {target: 0.8, touchpoints: [queue]}
      ticket: {target: 95, touchpoints: [price_value]}
                                         targets: {seated: 0.9, returned: 0.35}
                                         touchpoints: {returned: [serving_time, taste]}
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from carlzon.errors import InputError
from carlzon.metrics.serialise import json_ready
from carlzon.yamlfile import load_yaml, read_yaml


@dataclass(frozen=True)
class Link:
    """One leaf of the tree (or step rate of the funnel) over the period."""

    name: str
    actual: float
    target: float | None
    ratio: float | None  # actual / target, inverted when lower is better
    contribution: float | None  # log(ratio): the links' contributions add up to the goal's
    first_half: float
    second_half: float
    touchpoints: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TreeResult:
    """The goal's value against target, every link, and the weakest one."""

    goal: str
    kind: str  # tree | funnel
    goal_actual: float
    goal_target: float | None
    links: list[Link]
    weakest: Link | None
    days: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the web API's funnel (NaN as null)."""
        return json_ready(asdict(self))


def load_tree(path: Path) -> dict[str, Any]:
    """Read and check a tree/funnel YAML; errors name the file and the key."""
    return check_tree(read_yaml(path, "metric tree file"), str(path))


def parse_tree(text: str, where: str = "the tree") -> dict[str, Any]:
    """A tree/funnel YAML given as text (the web API's body), checked like a file."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{where} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    return check_tree(data, where)


def check_tree(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict) or "goal" not in data or not ({"metrics", "funnel"} & set(data)):
        raise InputError(f"{where}: needs 'goal' and either 'metrics' (a tree) or 'funnel' (a list of steps)")
    if "metrics" in data:
        metrics = data["metrics"]
        if not isinstance(metrics, dict) or data["goal"] not in metrics or "children" not in metrics[data["goal"]]:
            raise InputError(f"{where}: metrics.{data['goal']} must list its children")
    return data


def evaluate_tree(definition: dict[str, Any], daily: pd.DataFrame) -> TreeResult:
    """Evaluate a tree or funnel on daily values (a 'date' column plus one column per leaf/step)."""
    if "date" not in daily.columns:
        raise InputError("the daily metrics need a 'date' column")
    daily = daily.sort_values("date").reset_index(drop=True)
    half = len(daily) // 2
    if "funnel" in definition:
        return _evaluate_funnel(definition, daily, half)
    return _evaluate_product(definition, daily, half)


def _leaves(metrics: dict[str, Any], name: str) -> list[str]:
    node = metrics.get(name, {})
    if "children" not in node:
        return [name]
    return [leaf for child in node["children"] for leaf in _leaves(metrics, child)]


def _evaluate_product(definition: dict[str, Any], daily: pd.DataFrame, half: int) -> TreeResult:
    metrics = definition["metrics"]
    links = []
    for leaf in _leaves(metrics, definition["goal"]):
        if leaf not in daily.columns:
            raise InputError(f"the daily metrics have no column '{leaf}' (a leaf of the tree)")
        spec = metrics.get(leaf, {})
        values = daily[leaf].astype(float)
        links.append(_link(leaf, values.mean(), spec, values[:half].mean(), values[half:].mean()))
    goal_actual = math.prod(link.actual for link in links)
    targets = [link.target for link in links]
    goal_target = math.prod(targets) if all(t is not None for t in targets) else None  # type: ignore[arg-type]
    return _result(definition["goal"], "tree", goal_actual, goal_target, links, len(daily))


def _evaluate_funnel(definition: dict[str, Any], daily: pd.DataFrame, half: int) -> TreeResult:
    steps = definition["funnel"]
    missing = [s for s in steps if s not in daily.columns]
    if missing:
        raise InputError(f"the daily metrics have no column(s) {missing} (funnel steps)")
    targets = definition.get("targets", {})
    touchpoints = definition.get("touchpoints", {})
    links = []
    for previous, step in itertools.pairwise(steps):

        def rate(frame: pd.DataFrame, s: str = step, p: str = previous) -> float:
            total = frame[p].astype(float).sum()
            return float(frame[s].astype(float).sum() / total) if total else float("nan")

        spec = {"target": targets.get(step), "touchpoints": touchpoints.get(step, [])}
        links.append(_link(step, rate(daily), spec, rate(daily.iloc[:half]), rate(daily.iloc[half:])))
    first = float(daily[steps[0]].astype(float).mean())
    goal_actual = first * math.prod(link.actual for link in links)
    link_targets = [link.target for link in links]
    goal_target = None
    if all(t is not None for t in link_targets) and targets.get(steps[0]) is not None:
        goal_target = float(targets[steps[0]]) * math.prod(link_targets)  # type: ignore[arg-type]
    return _result(definition["goal"], "funnel", goal_actual, goal_target, links, len(daily))


def _link(name: str, actual: float, spec: dict[str, Any], first: float, second: float) -> Link:
    target = spec.get("target")
    lower_better = bool(spec.get("lower_is_better", False))
    ratio = None
    if target:
        ratio = float(target / actual if lower_better else actual / target) if actual else 0.0
    contribution = math.log(ratio) if ratio else None
    return Link(
        name,
        float(actual),
        None if target is None else float(target),
        ratio,
        contribution,
        float(first),
        float(second),
        list(spec.get("touchpoints", [])),
    )


def _result(goal: str, kind: str, actual: float, target: float | None, links: list[Link], days: int) -> TreeResult:
    judged = [link for link in links if link.contribution is not None]
    weakest = min(judged, key=lambda link: link.contribution) if judged else None  # type: ignore[arg-type,return-value]
    return TreeResult(goal, kind, actual, target, links, weakest, days)
