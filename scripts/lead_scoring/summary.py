"""Step 5 of a run: the summary printed after a publication.

Every figure comes from a model written for it (``models/marts/reporting``,
``agg_lead_score_bands``), read by name: a BI tool shows the same numbers.
"""

from __future__ import annotations

from typing import Any


def _points(value: Any) -> str:
    return f"{float(value):+.2f}"


def bands(reader: Any) -> list[str]:
    lines = ["Leads per band"]
    by_scorecard: dict[str, list[dict[str, Any]]] = {}
    for row in reader.rows("agg_lead_score_bands", order_by=("scorecard_id", "band_rank desc")):
        by_scorecard.setdefault(row["scorecard_id"], []).append(row)
    for scorecard, rows in by_scorecard.items():
        total = sum(int(row["lead_count"]) for row in rows)
        lines.append(f"  {scorecard} ({total:,} leads)")
        for row in rows:
            share = float(row["lead_share"]) * 100
            bar = "#" * max(1, round(share / 2.5)) if row["lead_count"] else ""
            lines.append(
                f"    {row['band']:<14} {int(row['lead_count']):>8,}  {share:5.1f} %  "
                f"avg {float(row['average_total_score']):7.2f}  {bar}"
            )
    return lines


def top_leads(reader: Any, top: int) -> list[str]:
    lines: list[str] = []
    current = None
    for row in reader.rows("rpt_top_leads", order_by=("scorecard_id", "lead_rank")):
        if int(row["lead_rank"]) > top:
            continue
        if row["scorecard_id"] != current:
            current = row["scorecard_id"]
            lines += ["", f"Top {top} leads, scorecard {current} (top three reasons)"]
        who = " · ".join(str(part) for part in (row["job_title"], row["company_name"],
                                                row["market"]) if part)
        grade = f" grade {row['grade']}" if row["grade"] else ""
        lines.append(
            f"  {int(row['lead_rank']):>2}. {row['lead_id']:<10} "
            f"{float(row['total_score']):7.2f}  {row['band']}{grade}  "
            f"(fit {float(row['fit_score']):.2f}, engagement "
            f"{float(row['engagement_score']):.2f})  {who}"
        )
        for rank in (1, 2, 3):
            if row[f"reason_{rank}_description"]:
                lines.append(f"        {_points(row[f'reason_{rank}_points']):>8}  "
                             f"{row[f'reason_{rank}_description']}")
    return lines


def triggers(reader: Any, first_run: bool = False, enrolled: bool = False) -> list[str]:
    """The triggers this run fired, then the leads at or over a threshold that
    no trigger fired for: on a first run, every lead already over one (the
    first run records where leads stand and sends nothing)."""
    lines = ["", "Triggers fired by this run (marts.fct_lead_score_triggers"
                 + (", existing leads enrolled" if enrolled else "") + ")"]
    fired = reader.rows("rpt_triggers_fired", order_by=("trigger_name", "scorecard_id"))
    if not fired:
        lines.append("  none")
    for row in fired:
        lines.append(f"  {row['trigger_name']:<18} {row['scorecard_id']:<16} "
                     f"{int(row['lead_count']):>6,} leads")
    standing = [row for row in reader.rows("rpt_trigger_standing",
                                           order_by=("trigger_name", "scorecard_id"))
                if int(row["not_fired_count"])]
    if not standing:
        return lines
    if first_run and not enrolled:
        lines += ["  First run: triggers are now switched on and fire for crossings from here on;",
                  "  the leads already at or over a threshold were recorded, not sent "
                  "(marts.rpt_trigger_standing):"]
    else:
        lines += ["  Not fired: leads at or over a threshold since before triggers were switched "
                  "on,", "  or since a back-filled day (marts.rpt_trigger_standing):"]
    for row in standing:
        lines.append(f"    {row['trigger_name']:<18} {row['scorecard_id']:<16} "
                     f"{int(row['not_fired_count']):>6,} of {int(row['at_or_over_count']):,} "
                     "leads at or over it")
    lines.append("  To send one trigger for each: `pipeline.py run --enroll-existing` "
                 "(make run ARGS=--enroll-existing).")
    return lines


def funnel(reader: Any) -> list[str]:
    lines = ["", "Funnel (marts.fct_lead_funnel: furthest stage reached; MQL by the champion "
                 "scorecard)"]
    stages = reader.rows("rpt_funnel_stages", order_by=("funnel_stage_rank",))
    for row in stages:
        lines.append(
            f"  {row['funnel_stage']:<9} {int(row['lead_count']):>8,} now   "
            f"{int(row['at_or_past_count']):>8,} at or past "
            f"({float(row['at_or_past_share']) * 100:5.1f} %)")
    odd = sum(int(row["out_of_order_count"]) for row in stages)
    if odd:
        lines.append(f"  {odd:,} leads have stage dates out of funnel order (kept, flagged "
                     "has_out_of_order_stages)")
    return lines


def backtests(reader: Any) -> list[str]:
    lines = ["", "Scorecards against outcomes (backtest: each lead's score on its decision "
                 "date; marts.agg_scorecard_comparison)"]
    for row in reader.rows("rpt_scorecard_backtest", order_by=("is_champion desc",
                                                               "scorecard_id")):
        role = "champion" if row["is_champion"] else "challenger"
        if row["auc"] is None:
            lines.append(f"  {row['scorecard_id']:<16} {role:<10} no backtest yet "
                         f"({int(row['backtest_lead_count'])} leads with a decision-date "
                         "score and a closed outcome window; back-fill the history)")
            continue
        lines.append(
            f"  {row['scorecard_id']:<16} {role:<10} AUC {float(row['auc']):.3f}  "
            f"top-decile lift {float(row['top_decile_lift'] or 0):.2f}  "
            f"MQL conversion {float(row['mql_conversion_rate'] or 0) * 100:.1f} %  "
            f"({int(row['backtest_lead_count']):,} leads, "
            f"{int(row['backtest_converted_count']):,} converted)")
        if row["best_f1_threshold"] is not None:
            lines.append(
                f"  {'':<27} best-F1 threshold {int(row['best_f1_threshold'])}: "
                f"F1 {float(row['best_f1']):.2f}, converts "
                f"{float(row['best_f1_conversion_rate']) * 100:.1f} %, "
                f"{float(row['best_f1_mqls_per_month']):.1f} MQLs/month")
        if row["capacity_threshold"] is not None:
            lines.append(
                f"  {'':<27} within {int(row['sales_capacity_per_month'])} MQLs/month: "
                f"threshold {int(row['capacity_threshold'])}, converts "
                f"{float(row['capacity_conversion_rate']) * 100:.1f} %, "
                f"{float(row['capacity_mqls_per_month']):.1f} MQLs/month")
    return lines


def outreach(reader: Any) -> list[str]:
    rows = reader.rows("rpt_lead_outreach")
    if not rows:
        return []
    row = rows[0]
    return ["", f"Outreach: {int(row['contactable_count']):,} leads contactable, "
                f"{int(row['not_contactable_count']):,} not (consent; reasons in "
                "marts.dim_lead_contact_profiles); CRM sync rows this run: "
                f"{int(row['synced_count']):,} (marts.fct_crm_lead_sync)"]


def quarantine(reader: Any) -> list[str]:
    """Per raw table one count: rows = usable + quarantined, the quarantined split
    into erased leads' rows (on purpose) and rows that could not be used."""
    lines = ["", "Raw rows and quarantine (marts.rpt_raw_table_reconciliation; each row "
                 "with its reason in marts.fct_quarantined_rows)",
             "  quarantined = unusable + rows of erased leads (set aside on purpose); the "
             "quarantine-share audit counts the unusable only"]
    for row in reader.rows("rpt_raw_table_reconciliation", order_by=("source_table",)):
        erased = int(row["erased_rows"])
        lines.append(
            f"  {row['source_table']:<16} {int(row['row_count']):>8,} rows = "
            f"{int(row['usable_rows']):>8,} usable + {int(row['quarantined_rows']):>6,} "
            f"quarantined: {int(row['unusable_rows']):,} unusable "
            f"({float(row['unusable_share']) * 100:.1f} %)"
            + (f", {erased:,} of erased leads" if erased else ""))
    reasons = reader.rows("rpt_quarantined_rows_by_reason",
                          order_by=("source_table", "row_count desc", "quarantine_reason"))
    for row in reasons:
        lines.append(f"    {row['source_table']:<16} {row['quarantine_reason']:<26} "
                     f"{int(row['row_count']):>8,}")
    return lines


def summarise(reader: Any, top: int, first_trigger_run: bool = False,
              enrolled: bool = False) -> str:
    """The summary's text, from a ``dbt_client.BuildReader`` of the build;
    ``first_trigger_run``: this run switched the triggers on."""
    return "\n".join([*bands(reader), *top_leads(reader, top),
                      *triggers(reader, first_trigger_run, enrolled),
                      *funnel(reader), *backtests(reader), *outreach(reader),
                      *quarantine(reader)])
