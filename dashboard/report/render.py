"""The weekly report rendered as HTML, PDF, Markdown or CSV from one :class:`WeeklyReport`.

- HTML: one self-contained file. Every number is in a plain table (readable in a mail client
  that runs no JavaScript); the charts are plotly figures from :mod:`dashboard.charts` with
  plotly's JavaScript embedded once. No external script, style sheet or font is referenced.
- PDF: the same HTML in a print variant (fixed-width, non-interactive charts) printed by
  Debian's chromium, headless, offline, after plotly has drawn.
- Markdown: the key numbers and tables, for a chat or a wiki.
- CSV: one file per table.

The report's numbers are gathered in :mod:`dashboard.report.data`; nothing is computed here.
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.present import definitions, metrics
from dashboard.present.formatting import money, seconds_text
from dashboard.report.data import CHARTED_FEATURES, CHARTED_SPIRALS, QUOTED_EXAMPLES, Headline, WeeklyReport

FORMATS = ("html", "pdf", "md", "csv")
CHROMIUM = "/usr/bin/chromium"
PRINT_WIDTH = 700  # px: an A4 page's text width at 96 dpi
CHROMIUM_TIMEOUT_S = 120
NUMERIC = re.compile(r"^(?:[-+±<]?\$?[\d,.]+(?:\s?(?:%|ms|s|min|h))?(?: \+ \d+ unpriced)?|—|new)$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
DIMENSION_TITLES = {"user": "User", "project": "Project", "agent": "Agent", "model": "Model"}


NO_CHROMIUM = (
    "--format pdf needs chromium (Debian: apt-get install chromium); "
    "use --format html and print it from a browser instead"
)


class PdfUnavailable(RuntimeError):
    """No chromium to print with, or it failed."""


# ---------------------------------------------------------------------------- wording


def headline_value(headline: Headline, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if headline.kind == "money":
        return money(value)
    if headline.kind == "minutes":
        return seconds_text(value * 60) if value else "0"
    if headline.kind == "rate":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def change_text(headline: Headline) -> str:
    change = headline.change
    if change is None:
        if headline.current and not headline.previous:
            return "new"
        return "—"
    if abs(change) < 0.005:
        return "±0%"
    return f"{change:+.0%}"


def change_is_bad(headline: Headline) -> bool | None:
    change = headline.change
    if change is None or abs(change) < 0.005:
        return None
    return (change > 0) == headline.lower_is_better


def previous_label(report: WeeklyReport) -> str:
    return "Previous week" if report.scope.period.is_iso_week else "Previous period"


def period_word(report: WeeklyReport) -> str:
    return report.scope.period_word


def staircase_text(steps: pd.DataFrame) -> str:
    return " → ".join(seconds_text(value) for value in steps.sort_values("step")["value_s"])


def outcome_text(outcome: str | None) -> str:
    return (outcome or "").replace("_", " ")


def project_name(project: str | None) -> str:
    """The last folder of a working directory: enough to tell projects apart in a narrow column."""
    return (project or "").rstrip("/").rsplit("/", 1)[-1]


def short_session(session_id: str) -> str:
    """The first block of a UUID-like id (as git shows commits), other ids up to 24 characters."""
    if re.match(r"^[0-9a-f]{8}-[0-9a-f-]{20,}$", session_id):
        return session_id[:8]
    return session_id if len(session_id) <= 24 else session_id[:23] + "…"


def basis_text(report: WeeklyReport) -> str:
    scope = report.scope
    return (
        f"{scope.filters_text.capitalize()} · cost by local day in {scope.timezone}, audits by UTC day · "
        f"generated {report.generated_at:%Y-%m-%d %H:%M} UTC by {report.tool_version}"
    )


def reproduce_text(report: WeeklyReport) -> str:
    """The commands that print the same numbers."""
    scope = report.scope
    since, until = scope.period.since.isoformat(), scope.period.until.isoformat()
    filters = (f" --user {scope.user_name}" if scope.user_name else "") + (
        f" --project {scope.project}" if scope.project else ""
    )
    return (
        f"dashcam costs weekly --since {since} --until {until} --timezone {scope.timezone}{filters} --json; "
        f"dashcam audit --since {since} --until {until} --json"
    )


# ---------------------------------------------------------------------------- tables (shared by every format)


def headline_rows(report: WeeklyReport) -> list[list[str]]:
    return [
        [h.label, headline_value(h, h.current), headline_value(h, h.previous), change_text(h)] for h in report.headlines
    ]


def cost_text(cost: float | None, unpriced: int) -> str:
    """``$1.20 + 3 unpriced``: responses without a price are counted, never shown as $0."""
    return money(cost) + (f" + {unpriced} unpriced" if unpriced else "")


def cost_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(row.name),
            cost_text(row.cost_usd, row.unpriced_responses),
            f"{row.share:.0%}",
            f"{int(row.total_tokens):,}",
        ]
        for row in frame.itertuples(index=False)
    ]


def spiral_rows(report: WeeklyReport) -> list[list[str]]:
    rows = []
    for spiral in report.spirals.itertuples(index=False):
        steps = report.spiral_steps[report.spiral_steps["spiral_id"] == spiral.spiral_id]
        rows.append(
            [
                f"{spiral.start_ts:%Y-%m-%d %H:%M}",
                spiral.user_name or "",
                project_name(spiral.project),
                f"{spiral.kind or 'wait'} in {spiral.file_path or spiral.construct or 'a command'}",
                staircase_text(steps),
                str(spiral.escalations),
                seconds_text(spiral.wasted_s),
                outcome_text(spiral.outcome),
            ]
        )
    return rows


def explanation_rows(report: WeeklyReport) -> list[list[str]]:
    exotic = report.explanations[report.explanations["verdict"] == "exotic"]
    return [
        [row.category or "other", str(row.explanations), str(row.sessions), str(row.refuted)]
        for row in exotic.itertuples(index=False)
    ]


def verdict_summary(report: WeeklyReport) -> str:
    counts = report.explanations.groupby("verdict")["explanations"].sum()
    parts = [f"{int(counts.get(verdict, 0))} {verdict}" for verdict in ("exotic", "legit", "mundane")]
    return f"Explanations written after failures this {period_word(report)}: " + ", ".join(parts) + "."


def example_rows(report: WeeklyReport) -> list[list[str]]:
    rows = []
    for row in report.exotic_examples.head(QUOTED_EXAMPLES).itertuples(index=False):
        quote = getattr(row, "text", None)
        rows.append(
            [
                f"{row.ts:%Y-%m-%d %H:%M}",
                row.user_name or "",
                row.category or "other",
                "yes" if row.refuted else "",
                f"“{quote}”" if quote else "(text not included)",
            ]
        )
    return rows


def feature_rows(report: WeeklyReport) -> list[list[str]]:
    return [
        [
            row.feature,
            str(row.patches_this_period),
            str(row.patches_after_80),
            f"{row.hours_before_80:,.1f}",
            f"{row.hours_after_80:,.1f}",
            "cliff" if row.cliff else "",
        ]
        for row in report.features.itertuples(index=False)
    ]


def top_cost_rows(report: WeeklyReport) -> list[list[str]]:
    return [
        [
            short_session(row.session_id),
            row.agent,
            row.user_name or "",
            row.project or "",
            cost_text(row.cost_usd, row.unpriced_responses),
            row.models or "",
        ]
        for row in report.top_cost.itertuples(index=False)
    ]


def top_wasted_rows(report: WeeklyReport) -> list[list[str]]:
    return [
        [
            short_session(row.session_id),
            row.agent,
            row.user_name or "",
            row.project or "",
            str(row.spirals),
            seconds_text(row.wasted_s),
        ]
        for row in report.top_wasted.itertuples(index=False)
    ]


HEADERS = {
    "headline": ["", "This {period}", "{previous}", "Change"],
    "cost": ["{dimension}", "Cost", "Share", "Tokens"],
    "spirals": ["Started (UTC)", "User", "Project", "Where", "Values", "Raises", "Time", "Outcome"],
    "explanations": ["Category", "Explanations", "Sessions", "Refuted by the next fix"],
    "examples": ["When (UTC)", "User", "Category", "Refuted", "What the agent said"],
    "features": ["Feature", "Fixes this {period}", "Fixes past 80% in all", "Hours to 80%", "Hours after", "Cliff"],
    "top_cost": ["Session", "Agent", "User", "Project", "Cost", "Models"],
    "top_wasted": ["Session", "Agent", "User", "Project", "Spirals", "Time in spirals"],
}


def header(report: WeeklyReport, name: str, **extra) -> list[str]:
    words = {"period": period_word(report), "previous": previous_label(report)} | extra
    return [cell.format(**words) for cell in HEADERS[name]]


# ---------------------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "_None._\n"
    lines = [
        "| " + " | ".join(_md_cell(h) for h in headers) + " |",
        "|"
        + "|".join("---" if i == 0 else "---:" if _is_numeric_column(rows, i) else "---" for i in range(len(headers)))
        + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _is_numeric_column(rows: list[list[str]], index: int) -> bool:
    return all(NUMERIC.match(str(row[index])) for row in rows)


def guard_section(report: WeeklyReport) -> list[str]:
    """The live guard's decisions of the period; left out when it decided nothing."""
    if report.guard.empty:
        return []
    rows = [
        [row.rule, row.decision, str(row.decisions), str(row.sessions), seconds_text(row.budget_saved_s)]
        for row in report.guard.itertuples()
    ]
    return ["## Live guard\n", md_table(["Rule", "Decision", "Decisions", "Sessions", "Wait never spent"], rows)]


def guard_html(report: WeeklyReport) -> str:
    section = guard_section(report)
    if not section:
        return ""
    rows = [
        [row.rule, row.decision, str(row.decisions), str(row.sessions), seconds_text(row.budget_saved_s)]
        for row in report.guard.itertuples()
    ]
    return "<h2>Live guard</h2>" + html_table(["Rule", "Decision", "Decisions", "Sessions", "Wait never spent"], rows)


def render_markdown(report: WeeklyReport) -> str:
    period = report.scope.period
    parts = [
        f"# dashcam report: {period.title}\n",
        f"{basis_text(report)}\n",
        "## Headline\n",
        md_table(header(report, "headline"), headline_rows(report)),
        "## What to look at\n",
        "".join(f"- {note}\n" for note in report.look_at) or "Nothing stands out.\n",
        "## Cost\n",
    ]
    for by, frame in report.cost_by.items():
        parts += [f"### By {by}\n", md_table(header(report, "cost", dimension=DIMENSION_TITLES[by]), cost_rows(frame))]
    parts += [
        "## Timeout spirals\n",
        md_table(header(report, "spirals"), spiral_rows(report)),
        "## Exotic explanations\n",
        verdict_summary(report) + "\n\n",
        md_table(header(report, "explanations"), explanation_rows(report)),
    ]
    if not report.exotic_examples.empty:
        parts += [
            "Examples" + ("" if report.scope.include_text else " (quotes left out: run with --include-text)") + ":\n\n",
            md_table(header(report, "examples"), example_rows(report)),
        ]
    parts += [
        "## Features patched past their 80% mark\n",
        md_table(header(report, "features"), feature_rows(report)),
        "## Top sessions by cost\n",
        md_table(header(report, "top_cost"), top_cost_rows(report)),
        "## Top sessions by time in spirals\n",
        md_table(header(report, "top_wasted"), top_wasted_rows(report)),
    ]
    parts += guard_section(report)
    parts += [f"\n_Same numbers: `{reproduce_text(report)}`._\n"]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


# ---------------------------------------------------------------------------- CSV


def _csv_text(headers: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def _frame_csv(frame: pd.DataFrame, columns: list[str]) -> str:
    chosen = frame[[c for c in columns if c in frame.columns]].copy()
    for column in chosen.columns:
        chosen[column] = chosen[column].map(_csv_value)
    return chosen.to_csv(index=False, lineterminator="\n")


def _csv_value(value):
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return ";".join(str(item) for item in items) if isinstance(items, list) else items
    return value


def render_csv(report: WeeklyReport) -> dict[str, str]:
    """File name -> CSV text, one per table; raw values (no currency signs), UTC timestamps."""
    files = {
        "headline.csv": _csv_text(
            ["measure", "label", "current", "previous", "change"],
            [[h.key, h.label, h.current, h.previous, h.change] for h in report.headlines],
        ),
        "look_at.csv": _csv_text(["note"], [[note] for note in report.look_at]),
        "cost_per_day.csv": _frame_csv(report.cost_per_day, ["day", "user", "cost_usd"]),
    }
    for by, frame in report.cost_by.items():
        files[f"cost_by_{by}.csv"] = _frame_csv(
            frame.rename(columns={"name": by}), [by, "cost_usd", "share", "total_tokens", "unpriced_responses"]
        )
    files["spirals.csv"] = _frame_csv(
        report.spirals,
        [
            "start_ts",
            "end_ts",
            "user_name",
            "project",
            "agent",
            "session_id",
            "site",
            "kind",
            "file_path",
            "escalations",
            "initial_s",
            "final_s",
            "ratio",
            "wait_added_s",
            "wasted_s",
            "outcome",
        ],
    )
    files["explanations_by_category.csv"] = _frame_csv(
        report.explanations, ["verdict", "category", "explanations", "sessions", "refuted", "mean_score"]
    )
    files["exotic_explanations.csv"] = _frame_csv(
        report.exotic_examples,
        ["ts", "user_name", "project", "agent", "session_id", "category", "score", "refuted", "text"],
    )
    files["features_past_80.csv"] = _frame_csv(
        report.features,
        [
            "feature",
            "repository",
            "git_branch",
            "patches_this_period",
            "patches_after_80",
            "patches_total",
            "hours_before_80",
            "hours_after_80",
            "t80",
            "cliff",
        ],
    )
    files["top_sessions_by_cost.csv"] = _frame_csv(
        report.top_cost,
        ["session_id", "agent", "user_name", "project", "cost_usd", "unpriced_responses", "total_tokens", "models"],
    )
    files["top_sessions_by_spiral_time.csv"] = _frame_csv(
        report.top_wasted, ["session_id", "agent", "user_name", "project", "spirals", "wasted_s"]
    )
    return files


# ---------------------------------------------------------------------------- figures


def report_figures(report: WeeklyReport) -> dict[str, list[tuple[str, go.Figure]]]:
    """Section -> (caption, figure), built by the dashboard's own chart functions."""
    cost = [
        (
            "Cost per day, by person",
            charts.stacked_bars(report.cost_per_day, "day", "cost_usd", "user", y_title="cost (USD)", money=True),
        ),
        (
            "Cost per week, the weeks up to this one",
            charts.stacked_bars(report.cost_per_week, "week", "cost_usd", y_title="cost (USD)", money=True),
        ),
        ("Cost by project", charts.ranked_bars(report.cost_by["project"], "name", "cost_usd", money=True, top=8)),
    ]
    spirals = []
    for spiral in report.spirals.head(CHARTED_SPIRALS).itertuples(index=False):
        steps = report.spiral_steps[report.spiral_steps["spiral_id"] == spiral.spiral_id]
        runs = report.spiral_runs[report.spiral_runs["spiral_id"] == spiral.spiral_id]
        caption = (
            f"{spiral.user_name} · {spiral.project or ''} · {staircase_text(steps)} · "
            f"{outcome_text(spiral.outcome)} · {seconds_text(spiral.wasted_s)}"
        )
        spirals.append((caption, charts.staircase(steps, metrics.attempts_on_staircase(steps, runs))))
    explanations = []
    exotic = report.explanations[report.explanations["verdict"] == "exotic"]
    if exotic["category"].nunique(dropna=False) > 1:
        explanations.append(
            (
                "Exotic explanations by category",
                charts.ranked_bars(
                    exotic.assign(category=exotic["category"].fillna("other")), "category", "explanations"
                ),
            )
        )
    features = []
    for feature in report.features.head(CHARTED_FEATURES).itertuples(index=False):
        progress = report.feature_progress[report.feature_progress["feature"] == feature.feature]
        patches = report.feature_patches[report.feature_patches["feature"] == feature.feature]
        features.append(
            (
                f"{feature.feature}: completion and fix attempts",
                charts.completion_curve(progress, patches, t80=feature.t80),
            )
        )
    return {"cost": cost, "spirals": spirals, "explanations": explanations, "features": features}


class FigureWriter:
    """Turns figures into HTML: plotly's JavaScript with the first, plain divs after it."""

    def __init__(self, for_print: bool):
        self.for_print = for_print
        self.javascript_written = False

    def __call__(self, figure: go.Figure) -> str:
        if self.for_print:
            figure.update_layout(width=PRINT_WIDTH, autosize=False)
        include = not self.javascript_written
        self.javascript_written = True
        return figure.to_html(
            full_html=False,
            include_plotlyjs=include,
            include_mathjax=False,
            config={"displayModeBar": False, "staticPlot": self.for_print, "responsive": not self.for_print},
        )


# ---------------------------------------------------------------------------- HTML

STYLE = """
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d1f;
       max-width: 1040px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 16px 0 6px; } .basis { color: #666; font-size: 12px; margin-bottom: 16px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f6f6f8; font-weight: 600; } th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.when { white-space: nowrap; }
td.steps { min-width: 15em; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 4px; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 8px 12px; min-width: 130px; flex: 1 1 130px; }
.card .label { color: #555; font-size: 12px; } .card .value { font-size: 22px; font-weight: 600; }
.card .change { font-size: 12px; color: #666; } .bad { color: #b42318; } .good { color: #067647; }
.grid { display: flex; flex-wrap: wrap; gap: 0 28px; } .grid > div { flex: 1 1 300px; }
.figure { break-inside: avoid; page-break-inside: avoid; margin: 4px 0 14px; }
.caption { font-size: 12px; color: #555; } .note { color: #666; font-size: 12px; }
ul.look { padding-left: 20px; } ul.look li { margin: 3px 0; }
footer { margin-top: 28px; color: #777; font-size: 11px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; }
               tr { break-inside: avoid; } }
@page { size: A4; margin: 14mm 12mm; }
"""


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def html_table(headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return '<p class="note">None.</p>'
    numeric = [_is_numeric_column(rows, index) for index in range(len(headers))]
    head = "".join(f"<th{' class=num' if numeric[i] else ''}>{_esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{_cell_class(numeric[i], c)}>{_esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell_class(numeric: bool, text: str) -> str:
    if numeric:
        return ' class="num"'
    if " → " in str(text):
        return ' class="steps"'
    return ' class="when"' if TIMESTAMP.match(str(text)) else ""


def html_cards(report: WeeklyReport) -> str:
    cards = []
    for headline in report.headlines:
        bad = change_is_bad(headline)
        tone = "" if bad is None else (" bad" if bad else " good")
        cards.append(
            f'<div class="card"><div class="label">{_esc(headline.label)}</div>'
            f'<div class="value">{_esc(headline_value(headline, headline.current))}</div>'
            f'<div class="change{tone}">{_esc(change_text(headline))} vs '
            f"{_esc(headline_value(headline, headline.previous))} {_esc(previous_label(report).lower())}"
            f"</div></div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def html_figures(items: list[tuple[str, go.Figure]], draw: Callable[[go.Figure], str]) -> str:
    return "".join(
        f'<div class="figure"><div class="caption">{_esc(caption)}</div>{draw(figure)}</div>'
        for caption, figure in items
    )


def render_html(report: WeeklyReport, for_print: bool = False) -> str:
    draw = FigureWriter(for_print)
    figures = report_figures(report)
    period = report.scope.period
    cost_tables = "".join(
        f"<div><h3>By {by}</h3>"
        f"{html_table(header(report, 'cost', dimension=title), cost_rows(report.cost_by[by]))}</div>"
        for by, title in DIMENSION_TITLES.items()
    )
    examples = ""
    if not report.exotic_examples.empty:
        note = "" if report.scope.include_text else " (quotes left out: run with --include-text)"
        examples = f"<h3>Examples{_esc(note)}</h3>" + html_table(header(report, "examples"), example_rows(report))
    looks = "".join(f"<li>{_esc(note)}</li>" for note in report.look_at) or "<li>Nothing stands out.</li>"
    body = f"""
<h1>dashcam report: {_esc(period.title)}</h1>
<div class="basis">{_esc(basis_text(report))}</div>
{html_cards(report)}
<h2>What to look at</h2>
<ul class="look">{looks}</ul>
<h2>Cost</h2>
{html_figures(figures["cost"][:1], draw)}
<div class="grid">{cost_tables}</div>
{html_figures(figures["cost"][1:], draw)}
<h2>Timeout spirals</h2>
{html_table(header(report, "spirals"), spiral_rows(report))}
{html_figures(figures["spirals"], draw)}
{guard_html(report)}
<h2>Exotic explanations</h2>
<p>{_esc(verdict_summary(report))}</p>
{html_table(header(report, "explanations"), explanation_rows(report))}
{examples}
{html_figures(figures["explanations"], draw)}
<h2>Features patched past their 80% mark</h2>
{html_table(header(report, "features"), feature_rows(report))}
{html_figures(figures["features"], draw)}
<h2>Top sessions by cost</h2>
{html_table(header(report, "top_cost"), top_cost_rows(report))}
<h2>Top sessions by time in spirals</h2>
{html_table(header(report, "top_wasted"), top_wasted_rows(report))}
<footer>Same numbers: <code>{_esc(reproduce_text(report))}</code>. {_esc(definitions.SPIRAL)}
An exotic explanation: a failure blamed on the kernel, network, hardware, platform or an upstream bug
without evidence. {_esc(definitions.PAST_MARK)}</footer>
"""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>dashcam report {_esc(period.label)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


# ---------------------------------------------------------------------------- PDF


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def print_to_pdf(
    html_path: Path, pdf_path: Path, chromium: str | None = None, extra_args: tuple[str, ...] = ()
) -> None:
    """Print ``html_path`` with headless chromium, offline: every host name resolves to nothing.
    ``extra_args`` go to chromium as they are (a test asks for its network log)."""
    browser = chromium or chromium_path()
    if browser is None:
        raise PdfUnavailable(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="dashcam-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=15000",
            "--run-all-compositor-stages-before-draw",
            "--no-pdf-header-footer",
            *extra_args,
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(f"chromium did not finish printing within {CHROMIUM_TIMEOUT_S} s") from error
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise PdfUnavailable(
            f"chromium could not print the report (exit {done.returncode}): "
            f"{(done.stderr or '').strip().splitlines()[-1:] or ''}"
        )


def render_pdf(
    report: WeeklyReport, pdf_path: Path, chromium: str | None = None, extra_args: tuple[str, ...] = ()
) -> None:
    with tempfile.TemporaryDirectory(prefix="dashcam-report-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(render_html(report, for_print=True), encoding="utf-8")
        print_to_pdf(page, pdf_path, chromium, extra_args)
