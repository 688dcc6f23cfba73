"""Reports: the self-contained HTML report with Plotly charts."""

from carlzon._lazy import lazy_exports

_FACE = {
    "ReportData": "carlzon.reports.html",
    "build_report_data": "carlzon.reports.html",
    "render_report": "carlzon.reports.html",
    "write_report": "carlzon.reports.html",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
