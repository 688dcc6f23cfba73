"""The HTML report: one self-contained file (plotly.js inlined from the installed package)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from carlzon.analysis.points import Point, top_points
from carlzon.errors import AnalysisError
from carlzon.ingest.redact import redact
from carlzon.metrics.journey_map import JourneyMap, build_journey_map
from carlzon.mot.drivers import DriverAnalysis, analyse_drivers
from carlzon.mot.prioritise import MotRanking, rank_moments
from carlzon.mot.review import ReviewResult, review_improvement
from carlzon.reports import figures
from carlzon.storage.store import Store


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed once."""

    journey_map: JourneyMap
    ranking: MotRanking
    drivers: DriverAnalysis | None
    reviews: list[ReviewResult]
    pains: list[Point]
    delights: list[Point]
    brand: str
    records: int
    brands: list[str]


def build_report_data(*, store: Store, journey_id: str, brand: str | None = None) -> ReportData:
    """Read a journey's analysis from the store and compute the map, ranking and points."""
    journey = store.get_journey(journey_id)
    results = store.analysis_frame(journey_id)
    mentions = store.mentions_frame(journey_id)
    brands = results["brand"].value_counts().index.tolist()
    chosen = brand or (brands[0] if brands else "")
    own_records = int((results["brand"] == chosen).sum())
    journey_map = build_journey_map(journey, mentions, records=own_records, brand=chosen)
    own = mentions[mentions["brand"] == chosen]
    drivers = _drivers_or_none(own, journey_map)
    ranking = rank_moments(journey_map, mentions, brand=chosen, drivers=drivers)
    reviews = [
        review_improvement(mentions, improvement)
        for improvement in store.list_improvements(journey_id)
        if improvement.brand == chosen
    ]
    return ReportData(
        journey_map=journey_map,
        ranking=ranking,
        drivers=drivers,
        reviews=reviews,
        pains=top_points(own, kind="pain"),
        delights=top_points(own, kind="delight"),
        brand=chosen,
        records=own_records,
        brands=brands,
    )


def _drivers_or_none(own, journey_map: JourneyMap) -> DriverAnalysis | None:  # type: ignore[no-untyped-def]
    """Key drivers when there are enough NPS answers; the report says so when there are not."""
    table = journey_map.table[journey_map.table["mentions"] > 0]
    performance = dict(zip(table["touchpoint_id"], table["sentiment"], strict=True))
    try:
        return analyse_drivers(own, list(performance), performance)
    except AnalysisError:
        return None


def _figure_html(figure: go.Figure, div_id: str) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def render_report(data: ReportData) -> str:
    """The report as one HTML string."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("carlzon.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
    )
    names = {r.touchpoint_id: f"{r.name_en} · {r.name_zh}" for r in data.journey_map.table.itertuples()}
    template = environment.get_template("report.html.j2")
    return template.render(
        data=data,
        journey=data.journey_map.journey,
        table=data.journey_map.table.to_dict("records"),
        names=names,
        redact=redact,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=get_plotlyjs(),
        emotion_curve=_figure_html(figures.emotion_curve(data.journey_map), "emotion-curve"),
        share_chart=_figure_html(figures.share_of_voice(data.journey_map), "share-of-voice"),
        mot_chart=_figure_html(figures.mot_priorities(data.ranking.moments), "mot-priorities")
        if data.ranking.moments
        else "",
        funnel_chart=_figure_html(figures.mot_funnel(data.ranking), "mot-funnel"),
        grid_chart=_figure_html(figures.importance_performance(data.drivers, names), "importance-performance")
        if data.drivers
        else "",
        review_charts=[
            _figure_html(figures.before_after(review), f"review-{index}") for index, review in enumerate(data.reviews)
        ],
    )


def write_report(*, store: Store, journey_id: str, out: Path, brand: str | None = None) -> Path:
    """Build and write the report for ``journey_id`` to ``out``; returns the path."""
    data = build_report_data(store=store, journey_id=journey_id, brand=brand)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data), encoding="utf-8")
    return out
