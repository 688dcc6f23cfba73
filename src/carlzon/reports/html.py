"""The HTML report: one self-contained file (plotly.js inlined from the installed package)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from carlzon.actions.service import DepartmentRecovery, DepartmentTasks, recovery_by_department, tasks_by_department
from carlzon.analysis.points import Point, stored_points
from carlzon.analysis.topics import Topic
from carlzon.files import output_file
from carlzon.i18n import _, speaking, translations
from carlzon.metrics.journey_map import JourneyMap, trend_from_daily
from carlzon.metrics.tree import TreeResult, evaluate_tree, load_tree
from carlzon.mot.drivers import DriverAnalysis
from carlzon.mot.improvements import reviews_so_far
from carlzon.mot.prioritise import MotRanking
from carlzon.mot.review import ReviewResult
from carlzon.mot.service import analyse_moments
from carlzon.privacy.redact import redact
from carlzon.reports import figures
from carlzon.serviceqa.coaching import Coaching, coaching
from carlzon.storage.store import Store
from carlzon.surveys.results import SurveyResults, survey_results
from carlzon.text import to_traditional


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
    trend: pd.DataFrame | None = None
    topics: list[Topic] = field(default_factory=list)
    tree: TreeResult | None = None
    pending_reviews: list[str] = field(default_factory=list)  # improvements with too little feedback yet
    tasks: list[DepartmentTasks] = field(default_factory=list)  # open tasks per department
    recovery: list[DepartmentRecovery] = field(default_factory=list)  # complaint recovery per department
    coaching: Coaching | None = None  # service conversations' EOAC steps (carlzon qa import), when there are any
    surveys: list[tuple[str, SurveyResults]] = field(default_factory=list)  # (name, results) of answered surveys


def build_report_data(
    *, store: Store, journey_id: str, brand: str | None = None, funnel: tuple[Path, Path] | None = None
) -> ReportData:
    """Read a journey's analysis from the store and compute the map, drivers, ranking, reviews and points."""
    moments = analyse_moments(store=store, journey_id=journey_id, brand=brand)
    reviews, pending = reviews_so_far(store=store, journey_id=journey_id, brand=moments.brand)
    return ReportData(
        journey_map=moments.journey_map,
        ranking=moments.ranking,
        drivers=moments.drivers,
        reviews=reviews,
        pending_reviews=pending,
        pains=stored_points(store=store, journey_id=journey_id, brand=moments.brand, kind="pain"),
        delights=stored_points(store=store, journey_id=journey_id, brand=moments.brand, kind="delight"),
        brand=moments.brand,
        records=moments.records,
        brands=moments.brands,
        trend=trend_from_daily(store.daily_mentions(journey_id, moments.brand)),
        topics=moments.topics,
        tree=evaluate_tree(load_tree(funnel[0]), pd.read_csv(funnel[1])) if funnel else None,
        tasks=tasks_by_department(store=store, journey_id=journey_id),
        recovery=recovery_by_department(store=store, journey_id=journey_id),
        coaching=coaching(store=store) if store.count_conversations() else None,
        surveys=answered_surveys(store, journey_id),
    )


def answered_surveys(store: Store, journey_id: str) -> list[tuple[str, SurveyResults]]:
    """The results of the journey's surveys that have answers, each with its name."""
    out = []
    for published in store.list_surveys():
        if published.survey.journey != journey_id:
            continue
        found = survey_results(store, published.survey.id)
        if found.completed:
            out.append((published.survey.name.in_(published.survey.default_language), found))
    return out


def _figure_html(figure: go.Figure, div_id: str) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def render_report(data: ReportData, *, language: str = "en") -> str:
    """The report as one HTML string, in ``language`` (en, zh-Hans or zh-Hant: carlzon.i18n)."""
    with speaking(language) as spoken:
        return _render(data, spoken)


def _render(data: ReportData, language: str) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("carlzon.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    chinese = (lambda text: to_traditional(str(text))) if language == "zh-Hant" else str
    journey = data.journey_map.journey

    def both(english: str, zh: str) -> str:
        """A name as the reader reads it first: English · 中文, or 中文 · English."""
        return f"{english} · {zh}" if language == "en" else f"{chinese(zh)} · {english}"

    names = {r.touchpoint_id: both(r.name_en, r.name_zh) for r in data.journey_map.table.itertuples()}
    stage_names = {stage.id: both(stage.name.en, stage.name.zh) for stage in journey.stages}
    template = environment.get_template("report.html.j2")
    return template.render(
        lang=language,
        journey_name=both(journey.name.en, journey.name.zh),
        stage_names=stage_names,
        moment_titles={"peak": _("Peak moment"), "trough": _("Trough moment"), "end": _("End moment")},
        data=data,
        journey=data.journey_map.journey,
        table=data.journey_map.table.to_dict("records"),
        table_by_id={r["touchpoint_id"]: r for r in data.journey_map.table.to_dict("records")},
        names=names,
        redact=redact,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=get_plotlyjs(),
        emotion_curve=_figure_html(figures.emotion_curve(data.journey_map), "emotion-curve"),
        share_chart=_figure_html(figures.share_of_voice(data.journey_map), "share-of-voice"),
        emotion_chart=_figure_html(figures.emotion_mix(data.journey_map), "emotion-mix"),
        trend_chart=_figure_html(
            figures.trend(data.trend, names, [m.touchpoint_id for m in data.ranking.moments[:5]]), "trend"
        ),
        mot_chart=_figure_html(figures.mot_priorities(data.ranking.moments), "mot-priorities")
        if data.ranking.moments
        else "",
        funnel_chart=_figure_html(figures.mot_funnel(data.ranking), "mot-funnel"),
        grid_chart=_figure_html(figures.importance_performance(data.drivers, names), "importance-performance")
        if data.drivers
        else "",
        tree_chart=_figure_html(figures.metric_tree(data.tree), "metric-tree-chart") if data.tree else "",
        coaching_chart=_figure_html(figures.eoac_steps(data.coaching.teams, data.coaching.whole), "eoac-steps")
        if data.coaching
        else "",
        survey_charts=[
            _figure_html(figures.survey_by_store(results), f"survey-{index}")
            for index, (_name, results) in enumerate(data.surveys)
        ],
        step_names={"explore": _("Explore"), "offer": _("Offer"), "act": _("Act"), "confirm": _("Confirm")},
        review_charts=[
            _figure_html(figures.before_after(review), f"review-{index}") for index, review in enumerate(data.reviews)
        ],
    )


def write_report(
    *,
    store: Store,
    journey_id: str,
    out: Path | str,
    brand: str | None = None,
    funnel: tuple[Path, Path] | None = None,
    language: str = "en",
) -> Path:
    """Build and write the report for ``journey_id`` to ``out``; ``funnel`` is (tree YAML, daily CSV);
    ``language``: en, zh-Hans or zh-Hant."""
    out = Path(out)
    data = build_report_data(store=store, journey_id=journey_id, brand=brand, funnel=funnel)
    html = render_report(data, language=language)
    with output_file(out, "report"):
        out.write_text(html, encoding="utf-8")
    return out
