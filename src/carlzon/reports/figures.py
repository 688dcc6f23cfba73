"""Plotly figure builders shared by the HTML report and (later) the web dashboard."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from carlzon.i18n import _
from carlzon.metrics.journey_map import JourneyMap
from carlzon.metrics.tree import TreeResult
from carlzon.mot.drivers import DriverAnalysis
from carlzon.mot.prioritise import CRITERIA, MotRanking, RankedMoment
from carlzon.mot.review import ReviewResult

_MARKS = {
    "peak": ("#1a9850", "triangle-up"),
    "trough": ("#d73027", "triangle-down"),
    "end": ("#4575b4", "star"),
}


def emotion_curve(journey_map: JourneyMap) -> go.Figure:
    """Average sentiment per touchpoint in journey order, 95 % band, peak/trough/end marked."""
    table = journey_map.table[journey_map.table["mentions"] > 0]
    labels = [f"{r.name_en}<br>{r.name_zh}" for r in table.itertuples()]
    figure = go.Figure()
    figure.add_trace(_band(labels, list(table["sentiment_high"].clip(-1, 1)), list(table["sentiment_low"].clip(-1, 1))))
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=table["sentiment"],
            mode="lines+markers",
            line={"color": "#4575b4", "width": 3},
            marker={"size": 8},
            name=_("average sentiment"),
            customdata=table[["mentions", "negative_share", "stage_en"]].to_numpy(),
            hovertemplate="%{x}<br>sentiment %{y:+.2f}<br>%{customdata[0]} mentions, "
            "%{customdata[1]:.0%} negative<br>stage: %{customdata[2]}<extra></extra>",
        )
    )
    for label, tp_id in (
        ("peak", journey_map.peak),
        ("trough", journey_map.trough),
        ("end", journey_map.end),
    ):
        if tp_id is None:
            continue
        row = table[table["touchpoint_id"] == tp_id].iloc[0]
        color, symbol = _MARKS[label]
        x = f"{row['name_en']}<br>{row['name_zh']}"
        figure.add_trace(
            go.Scatter(
                x=[x],
                y=[row["sentiment"]],
                mode="markers+text",
                text=[_(label.upper())],
                textposition="top center" if label != "trough" else "bottom center",
                marker={"size": 18, "color": color, "symbol": symbol},
                name=f"{_(label)}: {row['name_en']}",
            )
        )
    figure.add_hline(y=0, line={"color": "#999", "dash": "dot"})
    figure.update_layout(
        title=_("Emotion curve along the journey (peak, trough and end moment marked)"),
        yaxis={"title": _("average sentiment (−1 … +1)"), "range": [-1, 1]},
        height=480,
        margin={"l": 60, "r": 20, "t": 60, "b": 120},
        legend={"orientation": "h", "y": -0.35},
    )
    return figure


def share_of_voice(journey_map: JourneyMap) -> go.Figure:
    """How often each touchpoint is mentioned, coloured by average sentiment."""
    table = journey_map.table
    figure = go.Figure(
        go.Bar(
            x=table["name_en"],
            y=table["mentions"],
            marker={
                "color": table["sentiment"].fillna(0),
                "colorscale": "RdYlGn",
                "cmin": -1,
                "cmax": 1,
                "colorbar": {"title": _("sentiment")},
            },
            hovertemplate="%{x}: %{y} mentions<extra></extra>",
        )
    )
    figure.update_layout(title=_("Share of voice by touchpoint"), height=380, margin={"t": 60, "b": 100})
    return figure


def mot_priorities(ranking: list[RankedMoment], top: int = 10) -> go.Figure:
    """Priority of the top moments, stacked by the criterion that puts them there."""
    shown = ranking[:top][::-1]
    figure = go.Figure()
    for criterion in CRITERIA:
        figure.add_trace(
            go.Bar(
                y=[f"{m.rank}. {m.name_en}" for m in shown],
                x=[m.criteria[criterion] for m in shown],
                orientation="h",
                name=criterion,
            )
        )
    figure.update_layout(
        barmode="stack",
        title=_("Moments of truth: what puts each one on the list"),
        xaxis={"title": _("criterion scores (0–1 each)")},
        height=420,
        margin={"l": 220, "t": 60},
    )
    return figure


def mot_funnel(ranking: MotRanking) -> go.Figure:
    """The screening funnel: all candidates → focused list → moments of truth."""
    figure = go.Figure(
        go.Funnel(
            y=["candidate touchpoints", "focused list", "moments of truth"],
            x=[ranking.candidates, ranking.focused, len(ranking.moments)],
            textinfo="value",
            marker={"color": ["#9ecae1", "#4292c6", "#08519c"]},
        )
    )
    figure.update_layout(title=_("Screening funnel"), height=300, margin={"l": 160, "t": 50, "b": 20})
    return figure


def importance_performance(drivers: DriverAnalysis, names: dict[str, str]) -> go.Figure:
    """Importance (key-driver share) against performance (average sentiment), four quadrants."""
    colours = {"fix first": "#d73027", "keep up": "#1a9850", "possible overkill": "#fdae61", "low priority": "#999"}
    figure = go.Figure()
    for quadrant, colour in colours.items():
        points = [d for d in drivers.drivers if d.quadrant == quadrant]
        if not points:
            continue
        figure.add_trace(
            go.Scatter(
                x=[d.performance for d in points],
                y=[d.share for d in points],
                mode="markers+text",
                text=[names.get(d.name, d.name).split(" · ")[0] for d in points],
                textposition="top center",
                marker={"size": 12, "color": colour},
                name=quadrant,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, (d.high - d.weight) / drivers.r2) if drivers.r2 else 0 for d in points],
                    "arrayminus": [max(0.0, (d.weight - d.low) / drivers.r2) if drivers.r2 else 0 for d in points],
                },
            )
        )
    mean_share = 1 / max(1, len(drivers.drivers))
    median_perf = sorted(d.performance for d in drivers.drivers)[len(drivers.drivers) // 2]
    figure.add_hline(y=mean_share, line={"dash": "dot", "color": "#666"})
    figure.add_vline(x=median_perf, line={"dash": "dot", "color": "#666"})
    figure.update_layout(
        title=_("Importance–performance grid (key drivers of NPS, R² = %(r2)s, n = %(n)s)")
        % {"r2": f"{drivers.r2:.2f}", "n": drivers.n},
        xaxis={"title": _("performance: average sentiment")},
        yaxis={"title": _("importance: share of explained NPS"), "tickformat": ".0%"},
        height=460,
    )
    return figure


def before_after(review: ReviewResult) -> go.Figure:
    """The touchpoint's negative share and sentiment before and after the improvement."""
    figure = go.Figure()
    for comparison in review.comparisons[:2]:
        figure.add_trace(
            go.Bar(
                x=["before", "after"],
                y=[comparison.before, comparison.after],
                name=comparison.measure,
                text=[f"{comparison.before:.2f}", f"{comparison.after:.2f}"],
                textposition="outside",
            )
        )
    figure.update_layout(
        title=_("Before / after: %(change)s") % {"change": review.improvement.description},
        barmode="group",
        height=360,
        yaxis={"title": _("share / sentiment")},
    )
    return figure


def metric_tree(tree: TreeResult) -> go.Figure:
    """Each link of the goal's chain against its target; the weakest link in red."""
    links = [link for link in tree.links if link.ratio is not None]
    colours = ["#d73027" if tree.weakest and link.name == tree.weakest.name else "#4575b4" for link in links]
    figure = go.Figure(
        go.Bar(
            x=[link.name for link in links],
            y=[100 * (link.ratio - 1) for link in links],
            marker={"color": colours},
            text=[f"{link.actual:.2f} vs {link.target:.2f}" for link in links],
            textposition="outside",
            hovertemplate="%{x}: %{y:+.0f}% against target<extra></extra>",
        )
    )
    figure.add_hline(y=0, line={"color": "#333"})
    figure.update_layout(
        title=f"{tree.goal}: each link of the chain against its target (the weakest in red)",
        yaxis={"title": _("% above / below target")},
        height=380,
    )
    return figure


def emotion_mix(journey_map: JourneyMap) -> go.Figure:
    """How customers felt at each touchpoint: poor / neutral / happy / surprised shares."""
    table = journey_map.table[journey_map.table["mentions"] > 0]
    colours = {"poor": "#d73027", "neutral": "#bbbbbb", "happy": "#91cf60", "surprised": "#1a9850"}
    figure = go.Figure()
    for emotion, colour in colours.items():
        figure.add_trace(go.Bar(x=table["name_en"], y=table[emotion], name=emotion, marker={"color": colour}))
    figure.update_layout(
        barmode="stack",
        title=_("Emotion mix per touchpoint"),
        yaxis={"tickformat": ".0%"},
        height=380,
        margin={"b": 100},
    )
    return figure


def trend(trend_frame, names: dict[str, str], touchpoints: list[str]) -> go.Figure:  # type: ignore[no-untyped-def]
    """Weekly average sentiment of the given touchpoints."""
    figure = go.Figure()
    for tp in touchpoints:
        rows = trend_frame[trend_frame["touchpoint_id"] == tp]
        figure.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["sentiment"],
                mode="lines+markers",
                name=names.get(tp, tp).split(" · ")[0],
                customdata=rows["mentions"],
                hovertemplate="%{x|%Y-%m-%d}: %{y:+.2f} (%{customdata} mentions)",
            )
        )
    figure.update_layout(
        title=_("Trend: weekly average sentiment of the moments of truth"), yaxis={"range": [-1, 1]}, height=380
    )
    return figure


def score_trend(weeks: list[dict[str, Any]]) -> go.Figure:
    """NPS per week with its interval, and CSAT (top-2-box %) on the same −100…100 scale."""
    figure = go.Figure()
    nps_weeks = [w for w in weeks if w["nps"] is not None]
    if nps_weeks:
        x = [w["week"] for w in nps_weeks]
        figure.add_trace(_band(x, [w["nps_high"] for w in nps_weeks], [w["nps_low"] for w in nps_weeks]))
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[w["nps"] for w in nps_weeks],
                mode="lines+markers",
                name="NPS",
                customdata=[w["nps_n"] for w in nps_weeks],
                hovertemplate="%{x}<br>NPS %{y:+.0f} (n = %{customdata})<extra></extra>",
            )
        )
    csat_weeks = [w for w in weeks if w["csat"] is not None]
    if csat_weeks:
        figure.add_trace(
            go.Scatter(
                x=[w["week"] for w in csat_weeks],
                y=[w["csat"] for w in csat_weeks],
                mode="lines+markers",
                name="CSAT %",
                line={"dash": "dot"},
            )
        )
    figure.update_layout(title=_("NPS and CSAT per week"), yaxis={"range": [-100, 100]}, height=340, margin={"t": 50})
    return figure


def _band(x: list[Any], high: list[Any], low: list[Any]) -> go.Scatter:
    """A shaded 95 % interval around a line: up along the highs, back along the lows."""
    return go.Scatter(
        x=x + x[::-1],
        y=high + low[::-1],
        fill="toself",
        fillcolor="rgba(69,117,180,0.15)",
        line={"width": 0},
        hoverinfo="skip",
        name=_("95% interval"),
    )


def eoac_steps(teams: list[Any], whole: Any) -> go.Figure:
    """Share of conversations in which each team's agents took each EOAC step, beside everyone's
    (StepRates of serviceqa.coaching): a step a team misses stands out as a short bar."""
    steps = [("explore", _("Explore")), ("offer", _("Offer")), ("act", _("Act")), ("confirm", _("Confirm"))]
    figure = go.Figure()
    for group in [*teams, whole]:
        figure.add_trace(
            go.Bar(
                x=[label for _step, label in steps],
                y=[100 * group.rates[step] for step, _label in steps],
                name=f"{group.name} (n = {group.n})",
                marker={"color": "#999999"} if group is whole else None,
                hovertemplate="%{x}: %{y:.0f}%<extra>" + group.name + "</extra>",
            )
        )
    figure.update_layout(
        title=_("EOAC steps taken, share of conversations"),
        barmode="group",
        yaxis={"range": [0, 100], "ticksuffix": "%"},
        height=340,
        margin={"t": 50},
    )
    return figure


def survey_by_store(results: Any) -> go.Figure:
    """A survey's first NPS per store with its 95 % interval (surveys.results.SurveyResults): which
    store's customers would not recommend it, and how sure that is at its n."""
    question = next((s.question for s in results.scores if s.type == "nps"), None)
    rows = [r for r in results.by_store if question and r.get(question) and r[question]["value"] is not None]
    figure = go.Figure(
        go.Bar(
            x=[r["store"] or "–" for r in rows],
            y=[r[question]["value"] for r in rows],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [(r[question]["high"] or r[question]["value"]) - r[question]["value"] for r in rows],
                "arrayminus": [r[question]["value"] - (r[question]["low"] or r[question]["value"]) for r in rows],
            },
            text=[f"n = {r['responses']}" for r in rows],
            hovertemplate="%{x}: NPS %{y:.0f} (%{text})<extra></extra>",
            marker={"color": ["#c0392b" if r[question]["value"] < 0 else "#2e86c1" for r in rows]},
        )
    )
    figure.update_layout(
        title=_("Survey NPS per store, with 95% intervals"),
        yaxis={"range": [-100, 100], "zeroline": True},
        height=340,
        margin={"t": 50},
    )
    return figure
