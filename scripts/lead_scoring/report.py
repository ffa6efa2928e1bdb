"""One self-contained HTML report of the scorecards, for a marketing lead.

The orchestrator (``run``) writes it after each run (``warehouse/report.html``). It
needs no network and no JavaScript: the charts are inline SVG drawn here.
Each chart is a ``<section class="chart">`` of a fixed height, in this order:

1. score distribution per scorecard (today's total scores, 10-point bins);
2. calibration: conversion rate by score decile on the decision date;
3. the funnel: leads at or past each stage;
4. the threshold curve: precision and recall against the MQL threshold;
5. champion against challengers: AUC and top-decile lift side by side.

``build_report(data)`` turns the rows of the models it reads into HTML;
``report_data`` reads them from the build, by model name (``REPORT_MODELS``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

CHART_HEIGHT = 420  # px per section, so that a test can find each chart on a screenshot
WIDTH = 900
COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"]

# what each chart reads: model, filter, order
REPORT_MODELS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "distribution": ("rpt_score_distribution", {}, ("scorecard_id", "score_bin")),
    "calibration": ("agg_scorecard_calibration", {"bucket_kind": "decile"},
                    ("scorecard_id", "bucket_order")),
    "funnel": ("rpt_funnel_stages", {}, ("funnel_stage_rank",)),
    "thresholds": ("agg_scorecard_thresholds", {"market": "all"},
                   ("scorecard_id", "threshold")),
    "recommendations": ("agg_scorecard_threshold_recommendations", {"market": "all"},
                        ("scorecard_id", "recommendation")),
    "comparison": ("rpt_scorecard_backtest", {}, ("is_champion desc", "scorecard_id")),
}
STAGE_LABELS = {"lead": "Leads", "mql": "MQL", "sql": "SQL", "customer": "Customer"}


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _svg(body: str, height: int = 340) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img">{body}</svg>')


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "middle",
          color: str = "#334155") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{color}">{html.escape(text)}</text>')


def _axes(left: int, top: int, width: int, height: int, y_max: float, y_label: str,
          percent: bool = False) -> str:
    parts = [f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" '
             'stroke="#94a3b8"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}" stroke="#94a3b8"/>']
    for step in range(5):
        value = y_max * step / 4
        y = top + height - height * step / 4
        if percent:
            label = f"{value * 100:.0f} %"
        else:
            label = f"{value:,.2f}" if y_max < 10 else f"{value:,.0f}"
        parts.append(_text(left - 6, y + 4, label, 10, "end"))
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" '
                     'stroke="#e2e8f0"/>')
    parts.append(f'<text x="16" y="{top + height / 2:.1f}" font-size="11" '
                 f'text-anchor="middle" fill="#334155" '
                 f'transform="rotate(-90 16 {top + height / 2:.1f})">{html.escape(y_label)}</text>')
    return "".join(parts)


def grouped_bars(groups: Sequence[str], series: dict[str, Sequence[float]], y_label: str,
                 percent: bool = False) -> str:
    """Bars per group (x) for each series (a colour each), with a legend."""
    left, top, width, height = 70, 30, WIDTH - 100, 250
    y_max = max([v for values in series.values() for v in values] + [1e-9]) * 1.1
    parts = [_axes(left, top, width, height, y_max, y_label, percent)]
    slot = width / max(len(groups), 1)
    bar = slot * 0.8 / max(len(series), 1)
    for s_index, (name, values) in enumerate(series.items()):
        color = COLORS[s_index % len(COLORS)]
        for g_index, value in enumerate(values):
            bar_height = height * value / y_max
            x = left + g_index * slot + slot * 0.1 + s_index * bar
            parts.append(f'<rect x="{x:.1f}" y="{top + height - bar_height:.1f}" '
                         f'width="{bar:.1f}" height="{bar_height:.1f}" fill="{color}"/>')
        parts.append(f'<rect x="{left + 10 + s_index * 170}" y="{top + height + 40}" '
                     f'width="12" height="12" fill="{color}"/>')
        parts.append(_text(left + 28 + s_index * 170, top + height + 50, name, 11, "start"))
    for g_index, group in enumerate(groups):
        parts.append(_text(left + (g_index + 0.5) * slot, top + height + 16, group, 10))
    return _svg("".join(parts))


def lines(series: dict[str, Sequence[tuple[float, float]]], x_label: str,
          markers: Sequence[tuple[float, str]] = ()) -> str:
    """Lines of (x, y in 0..1) points, one colour per series, with vertical markers."""
    left, top, width, height = 70, 30, WIDTH - 100, 250
    xs = [x for points in series.values() for x, _ in points] or [0.0, 1.0]
    x_min, x_max = min(xs), max(xs)
    span = (x_max - x_min) or 1.0
    parts = [_axes(left, top, width, height, 1.0, "rate", percent=True)]

    def px(x: float) -> float:
        return left + width * (x - x_min) / span

    for s_index, (name, points) in enumerate(series.items()):
        color = COLORS[s_index % len(COLORS)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{top + height - height * y:.1f}"
                        for i, (x, y) in enumerate(points))
        if path:
            parts.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        parts.append(f'<rect x="{left + 10 + s_index * 200}" y="{top + height + 40}" '
                     f'width="12" height="12" fill="{color}"/>')
        parts.append(_text(left + 28 + s_index * 200, top + height + 50, name, 11, "start"))
    for x, label in markers:
        parts.append(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{top + height}" '
                     'stroke="#0f172a" stroke-dasharray="4 3"/>')
        parts.append(_text(px(x) + 4, top + 12, label, 10, "start", "#0f172a"))
    for step in range(5):
        x = x_min + span * step / 4
        parts.append(_text(px(x), top + height + 16, f"{x:.0f}", 10))
    parts.append(_text(left + width / 2, top + height + 30, x_label, 11))
    return _svg("".join(parts))


def _section(title: str, subtitle: str, chart: str, kind: str) -> str:
    return (f'<section class="chart" data-chart="{kind}"><h2>{html.escape(title)}</h2>'
            f'<p>{html.escape(subtitle)}</p>{chart}</section>')


def build_report(data: dict[str, list[dict[str, Any]]], as_of: date, title: str) -> str:
    """The report's HTML from the results of REPORT_QUERIES."""
    sections = []

    by_card: dict[str, dict[float, float]] = {}
    for row in data["distribution"]:
        by_card.setdefault(row["scorecard_id"], {})[_num(row["score_bin"])] = _num(
            row["lead_count"])
    bins = sorted({b for counts in by_card.values() for b in counts})
    sections.append(_section(
        "Score distribution", "Leads per 10-point bin of today's total score, per scorecard.",
        grouped_bars([f"{b:.0f}" for b in bins],
                     {card: [counts.get(b, 0.0) for b in bins]
                      for card, counts in by_card.items()}, "leads"),
        "distribution"))

    deciles: dict[str, dict[int, float]] = {}
    for row in data["calibration"]:
        deciles.setdefault(row["scorecard_id"], {})[int(row["decile"])] = _num(
            row["conversion_rate"])
    decile_keys = sorted({d for values in deciles.values() for d in values})
    sections.append(_section(
        "Calibration", "Conversion rate by score decile on the decision date (1 = top tenth).",
        grouped_bars([str(d) for d in decile_keys],
                     {card: [values.get(d, 0.0) for d in decile_keys]
                      for card, values in deciles.items()}, "converted", percent=True),
        "calibration"))

    stages = sorted(data["funnel"], key=lambda row: int(row["funnel_stage_rank"]))
    sections.append(_section(
        "Funnel", "Leads at or past each stage (MQL by the champion scorecard).",
        grouped_bars([STAGE_LABELS.get(row["funnel_stage"], row["funnel_stage"])
                      for row in stages],
                     {"leads": [_num(row["at_or_past_count"]) for row in stages]}, "leads"),
        "funnel"))

    curves: dict[str, list[tuple[float, float]]] = {}
    champion = next((r["scorecard_id"] for r in data["comparison"] if r["is_champion"]), None)
    for row in data["thresholds"]:
        if row["scorecard_id"] == champion:
            curves.setdefault("precision", []).append((_num(row["threshold"]),
                                                      _num(row["precision"])))
            curves.setdefault("recall", []).append((_num(row["threshold"]),
                                                   _num(row["recall"])))
    markers = [(_num(r["threshold"]), r["recommendation"].replace("_", " "))
               for r in data["recommendations"] if r["scorecard_id"] == champion]
    sections.append(_section(
        f"Threshold curve ({champion or 'no champion'})",
        "Precision and recall if the leads at or above each threshold on their decision date "
        "had been MQLs; dashed: the recommended thresholds.",
        lines(curves, "MQL threshold (total score)", markers), "thresholds"))

    cards = [r["scorecard_id"] + (" (champion)" if r["is_champion"] else "")
             for r in data["comparison"]]
    sections.append(_section(
        "Champion against challengers",
        "Backtest AUC (0.5 = chance, 1 = perfect ranking) and lift of the top decile.",
        grouped_bars(cards, {
            "AUC": [_num(r["auc"]) for r in data["comparison"]],
            "top-decile lift / 10": [_num(r["top_decile_lift"]) / 10
                                     for r in data["comparison"]],
        }, "value"),
        "comparison"))

    rows = "".join(
        f"<tr><td>{html.escape(r['scorecard_id'])}</td>"
        f"<td>{'champion' if r['is_champion'] else 'challenger'}</td>"
        f"<td>{_num(r['auc']):.3f}</td><td>{_num(r['top_decile_lift']):.2f}</td>"
        f"<td>{_num(r['mql_conversion_rate']) * 100:.1f} %</td>"
        f"<td>{int(_num(r['backtest_lead_count'])):,}</td>"
        f"<td>{int(_num(r['current_mql_count'])):,}</td></tr>"
        for r in data["comparison"])
    recs = "".join(
        f"<tr><td>{html.escape(r['scorecard_id'])}</td>"
        f"<td>{html.escape(r['recommendation'].replace('_', ' '))}</td>"
        f"<td>{_num(r['threshold']):.0f}</td>"
        f"<td>{_num(r['expected_conversion_rate']) * 100:.1f} %</td>"
        f"<td>{_num(r['mqls_per_month']):.1f}</td></tr>"
        for r in data["recommendations"])
    style = (
        "body{font-family:system-ui,sans-serif;margin:0;padding:0 24px;color:#0f172a;"
        "background:#fff}"
        f"section.chart{{height:{CHART_HEIGHT}px;box-sizing:border-box;overflow:hidden;"
        "margin:0;padding-top:4px}"
        "h1{font-size:20px;margin:12px 0}h2{font-size:16px;margin:4px 0}"
        "p{margin:2px 0 6px;color:#475569;font-size:12px}"
        "table{border-collapse:collapse;font-size:12px;margin:8px 0}"
        "td,th{border-bottom:1px solid #e2e8f0;padding:3px 10px;text-align:left}"
    )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>"
        "<header style=\"height:60px;overflow:hidden\">"
        f"<h1>{html.escape(title)} · as of {as_of}</h1></header>"
        + "".join(sections)
        + "<h2>Scorecards</h2><table><tr><th>scorecard</th><th>role</th><th>AUC</th>"
        "<th>top-decile lift</th><th>MQL conversion</th><th>backtest leads</th>"
        "<th>MQLs today</th></tr>" + rows + "</table>"
        "<h2>Recommended MQL thresholds (all markets)</h2><table><tr><th>scorecard</th>"
        "<th>recommendation</th><th>threshold</th><th>expected conversion</th>"
        "<th>MQLs per month</th></tr>" + recs + "</table></body></html>"
    )


def report_data(reader: Any) -> dict[str, list[dict[str, Any]]]:
    """What the report shows, read from the build (a ``dbt_client.BuildReader``)."""
    data = {}
    for name, (model, where, order_by) in REPORT_MODELS.items():
        data[name] = reader.rows(model, where, order_by)
    for row in data["calibration"]:
        row["decile"] = row["bucket_order"]
    return data


def write_report(data: dict[str, list[dict[str, Any]]], path: Path, as_of: date) -> Path:
    """Write the self-contained HTML report and return its path."""
    path = path if path.is_absolute() else Path.cwd() / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(data, as_of, "Lead scoring report"), encoding="utf-8")
    return path
