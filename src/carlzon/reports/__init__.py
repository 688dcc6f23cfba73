"""Reports: the self-contained HTML report with Plotly charts."""

from carlzon.reports.html import ReportData, build_report_data, render_report, write_report

__all__ = ["ReportData", "build_report_data", "render_report", "write_report"]
