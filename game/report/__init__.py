"""The teacher's report of a lesson: the server's export data and the scenario -> HTML, CSV, JSON.

``build_report`` replays the export into a ``Report`` (plain data); ``render_html`` (one
self-contained page, A4 print), ``render_csv`` (every vote) and ``render_json`` only read it;
``write_report`` (in ``files``, the package's only I/O) writes all three to a folder.
See docs/report.md.
"""

from .files import guide_for, region_names, write_report
from .html import render_html
from .model import Report, ReportError, build_report
from .questions import Questions, guide_questions
from .tables import CSV_COLUMNS, render_csv, render_json

__all__ = [
    "CSV_COLUMNS", "Questions", "Report", "ReportError", "build_report", "guide_for", "guide_questions",
    "region_names", "render_csv", "render_html", "render_json", "write_report",
]
