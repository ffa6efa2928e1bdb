"""One self-contained HTML report of the scorecards, for a marketing lead.

The orchestrator (``run``) writes it after each run (``warehouse/report.html``). It
needs no network and no JavaScript: the charts are inline SVG drawn by
matplotlib (``report_charts``). Each chart is a ``<section class="chart">`` of
a fixed height, in this order (``CHARTS``):

1. score distribution per scorecard (today's total scores, 10-point bins);
2. calibration: conversion by score decile on the decision date, every
   backtest lead, with the rate a fitted scorecard's scores stand for;
3. fitted against the champion: the same on the holdout (the leads decided
   after the fits' training windows), champion and fitted scorecards side by
   side;
4. the funnel: leads at or past each stage;
5. the threshold curve: precision and recall against the MQL threshold;
6. champion against challengers: AUC and top-decile lift, each on its axes.

Tables follow: the scorecards, the recommended thresholds, the fitted
scorecards' calibration, and the rule diagnostics (which rules earn their
points). ``build_report(data)`` turns the rows of the models it reads into
HTML; ``report_data`` reads them from the build, by model name
(``REPORT_MODELS``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from scripts.lead_scoring import report_charts as charts

CHART_HEIGHT = 420  # px per section, so that a test can find each chart on a screenshot
CHARTS = ("distribution", "calibration", "fitted", "funnel", "thresholds", "comparison")
COLORS = charts.COLORS

# what the report reads: model, filter, order
REPORT_MODELS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "distribution": ("rpt_score_distribution", {}, ("scorecard_id", "score_bin")),
    "calibration": ("rpt_scorecard_calibration", {},
                    ("scorecard_id", "lead_sample", "decile")),
    "funnel": ("rpt_funnel_stages", {}, ("funnel_stage_rank",)),
    "thresholds": ("agg_scorecard_thresholds", {"market": "all"},
                   ("scorecard_id", "threshold")),
    "recommendations": ("agg_scorecard_threshold_recommendations", {"market": "all"},
                        ("scorecard_id", "recommendation")),
    "comparison": ("rpt_scorecard_backtest", {}, ("is_champion desc", "scorecard_id")),
    "diagnostics": ("agg_scorecard_rule_diagnostics", {},
                    ("scorecard_id", "information_value desc", "rule_id")),
}
STAGE_LABELS = {"lead": "Leads", "mql": "MQL", "sql": "SQL", "customer": "Customer"}
NOTES = {"diagnostics": (
    "Over the backtest leads, on their decision date: the rule's points, the points a fit "
    "of this rule alone would give it, the leads it applied to, their conversion and the "
    "others' conversion, the lift of its leads over the scorecard's average, and the "
    "information value (IV) of the split. A rule whose points have the other sign than "
    "its fitted points, or an IV near 0, does not earn its points.")}
FIT_HINT = ("No fitted scorecard yet: `pipeline.py fit --scorecard-id fitted --train-until "
            "YYYY-MM-DD` writes one (docs/fitting.md), and the next run compares it here.")


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _pct(value: Any) -> str:
    return "" if value is None else f"{float(value) * 100:.1f} %"


def _fixed(value: Any, digits: int) -> str:
    if value is None:
        return ""
    text = f"{float(value):,.{digits}f}"
    # -0.2 rounded to 0 digits reads 0, not -0
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def _section(title: str, subtitle: str, chart: str, kind: str) -> str:
    return (f'<section class="chart" data-chart="{kind}"><h2>{html.escape(title)}</h2>'
            f'<p>{html.escape(subtitle)}</p>{chart}</section>')


def _table(title: str, headers: Iterable[str], rows: Iterable[Iterable[Any]],
           kind: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row)
                   + "</tr>" for row in rows)
    note = f"<p>{html.escape(NOTES[kind])}</p>" if kind in NOTES else ""
    return (f'<h2>{html.escape(title)}</h2>{note}<table data-table="{kind}">'
            f"<tr>{head}</tr>{body}</table>")


def roles(data: dict[str, list[dict[str, Any]]]) -> tuple[str | None, list[str]]:
    """The champion and the fitted scorecards (those with a fit's scale)."""
    champion = next((r["scorecard_id"] for r in data["comparison"] if r["is_champion"]), None)
    fitted = sorted({r["scorecard_id"] for r in data["calibration"] if r["is_fitted"]})
    return champion, fitted


def _rates(rows: list[dict[str, Any]], sample: str, cards: Iterable[str] | None,
           column: str) -> dict[str, dict[int, float]]:
    wanted = None if cards is None else list(cards)
    by_card: dict[str, dict[int, float]] = {card: {} for card in wanted or []}
    for row in rows:
        if row["lead_sample"] != sample or row[column] is None:
            continue
        if wanted is not None and row["scorecard_id"] not in wanted:
            continue
        by_card.setdefault(row["scorecard_id"], {})[int(row["decile"])] = _num(row[column])
    return {card: rates for card, rates in by_card.items() if rates}


def _calibration_sections(data: dict[str, list[dict[str, Any]]]) -> list[str]:
    rows = data["calibration"]
    champion, fitted = roles(data)
    sections = [_section(
        "Calibration",
        "Conversion rate by score decile on the decision date, every backtest lead (bars); "
        "for a fitted scorecard, the rate its scores stand for (dashed).",
        charts.calibration("calibration", _rates(rows, "backtest", None, "observed_rate"),
                           _rates(rows, "backtest", fitted, "predicted_rate")),
        "calibration")]
    cards = [card for card in [champion, *fitted] if card]
    if fitted:
        subtitle = ("Predicted against observed conversion by score decile, on the holdout: "
                    "leads decided after the fits' training windows, which no fit has seen.")
        sample = "holdout" if any(r["lead_sample"] == "holdout" for r in rows) else "backtest"
        chart = charts.calibration("fitted", _rates(rows, sample, cards, "observed_rate"),
                                   _rates(rows, sample, fitted, "predicted_rate"))
    else:
        subtitle, chart = FIT_HINT, ""
    sections.append(_section(
        f"Fitted against the champion ({champion or 'no champion'})", subtitle, chart, "fitted"))
    return sections


def build_report(data: dict[str, list[dict[str, Any]]], as_of: date, title: str) -> str:
    """The report's HTML from the rows of REPORT_MODELS."""
    champion, fitted = roles(data)
    by_card: dict[str, dict[float, float]] = {}
    for row in data["distribution"]:
        by_card.setdefault(row["scorecard_id"], {})[_num(row["score_bin"])] = _num(
            row["lead_count"])
    sections = [_section(
        "Score distribution", "Leads per 10-point bin of today's total score, per scorecard.",
        charts.histogram("distribution", by_card, 10, "leads", "total score"),
        "distribution")]
    sections += _calibration_sections(data)

    stages = sorted(data["funnel"], key=lambda row: int(row["funnel_stage_rank"]))
    sections.append(_section(
        "Funnel", "Leads at or past each stage (MQL by the champion scorecard).",
        charts.grouped_bars("funnel", [STAGE_LABELS.get(row["funnel_stage"],
                                                        row["funnel_stage"])
                                       for row in stages],
                            {"leads": [_num(row["at_or_past_count"]) for row in stages]},
                            "leads at or past the stage"),
        "funnel"))

    curves: dict[str, list[tuple[float, float]]] = {}
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
        charts.rate_lines("thresholds", curves, "MQL threshold (total score)", markers),
        "thresholds"))

    comparison = data["comparison"]
    sections.append(_section(
        "Champion against challengers",
        "Backtest AUC (0.5 = chance, 1 = perfect ranking) and the top decile's conversion "
        "over the average, each on its own axis.",
        charts.comparison("comparison",
                          [r["scorecard_id"] + (" (champion)" if r["is_champion"] else "")
                           for r in comparison],
                          [r["auc"] for r in comparison],
                          [r["top_decile_lift"] for r in comparison]),
        "comparison"))

    tables = [
        _table("Scorecards", ("scorecard", "role", "AUC", "top-decile lift", "MQL conversion",
                              "backtest leads", "MQLs today"),
               ((r["scorecard_id"],
                 "champion" if r["is_champion"] else
                 "fitted challenger" if r["scorecard_id"] in fitted else "challenger",
                 _fixed(r["auc"], 3), _fixed(r["top_decile_lift"], 2),
                 _pct(r["mql_conversion_rate"]), f"{int(_num(r['backtest_lead_count'])):,}",
                 f"{int(_num(r['current_mql_count'])):,}") for r in comparison), "scorecards"),
        _table("Recommended MQL thresholds (all markets)",
               ("scorecard", "recommendation", "threshold", "expected conversion",
                "MQLs per month"),
               ((r["scorecard_id"], r["recommendation"].replace("_", " "),
                 f"{_num(r['threshold']):.0f}", _pct(r["expected_conversion_rate"]),
                 _fixed(r["mqls_per_month"], 1)) for r in data["recommendations"]),
               "recommendations"),
        _fitted_table(data, champion, fitted),
        _diagnostics_table(data, champion),
    ]
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
        + "".join(sections) + "".join(tables) + "</body></html>"
    )


def _fitted_table(data: dict[str, list[dict[str, Any]]], champion: str | None,
                  fitted: list[str]) -> str:
    """One row per score decile of the holdout (else every backtest lead): the
    champion's observed conversion, and each fitted scorecard's predicted and
    observed conversion."""
    if not fitted:
        return f"<h2>Fitted scorecards</h2><p>{html.escape(FIT_HINT)}</p>"
    rows = data["calibration"]
    sample = "holdout" if any(r["lead_sample"] == "holdout" for r in rows) else "backtest"
    cards = [card for card in [champion, *fitted] if card]
    cells = {(r["scorecard_id"], int(r["decile"])): r for r in rows
             if r["lead_sample"] == sample and r["scorecard_id"] in cards}
    headers = ["decile"]
    for card in cards:
        headers += [f"{card}: leads", f"{card}: scores"]
        headers += [f"{card}: predicted"] if card in fitted else []
        headers += [f"{card}: observed"]
    table = []
    for decile in sorted({d for _, d in cells}):
        line: list[Any] = [decile]
        for card in cards:
            row = cells.get((card, decile))
            line += ([f"{int(row['lead_count']):,}",
                      f"{_num(row['min_score']):g} to {_num(row['max_score']):g}"]
                     if row else ["", ""])
            if card in fitted:
                line.append(_pct(row["predicted_rate"]) if row else "")
            line.append(_pct(row["observed_rate"]) if row else "")
        table.append(line)
    where = ("the holdout: leads decided after the fits' training windows" if sample == "holdout"
             else "every backtest lead (no lead was decided after the training windows yet)")
    return _table(f"Fitted scorecards against the champion by score decile, on {where}",
                  headers, table, "fitted")


def _diagnostics_table(data: dict[str, list[dict[str, Any]]], champion: str | None) -> str:
    """Per scorecard (champion first) and rule, by information value."""
    rows = sorted(data["diagnostics"],
                  key=lambda r: (r["scorecard_id"] != champion, r["scorecard_id"]))
    return _table(
        "Rule diagnostics: which rules earn their points",
        ("scorecard", "rule", "description", "points", "fitted", "leads", "converted",
         "others", "lift", "IV"),
        ((r["scorecard_id"], r["rule_id"], r["description"] or "", _fixed(r["rule_points"], 2),
          _fixed(r["fitted_points"], 0), f"{int(_num(r['applied_lead_count'])):,}",
          _pct(r["applied_conversion_rate"]), _pct(r["other_conversion_rate"]),
          _fixed(r["lift"], 2), _fixed(r["information_value"], 3)) for r in rows),
        "diagnostics")


def report_data(reader: Any) -> dict[str, list[dict[str, Any]]]:
    """What the report shows, read from the build (a ``dbt_client.BuildReader``)."""
    return {name: reader.rows(model, where, order_by)
            for name, (model, where, order_by) in REPORT_MODELS.items()}


def write_report(data: dict[str, list[dict[str, Any]]], path: Path, as_of: date) -> Path:
    """Write the self-contained HTML report and return its path."""
    path = path if path.is_absolute() else Path.cwd() / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(data, as_of, "Lead scoring report"), encoding="utf-8")
    return path
