"""Step 5 of a run: the summary printed after a publication, read from the build."""

from __future__ import annotations

from typing import Any

BANDS_SQL = """
select scorecard_id, band, band_rank, lead_count, lead_share, average_total_score
from {{ ref('agg_lead_score_bands') }}
order by scorecard_id, band_rank desc
"""

TOP_LEADS_SQL = """
with
ranked as (
    select
        scores.*,
        row_number() over (
            partition by scores.scorecard_id
            order by scores.total_score desc, scores.lead_id
        ) as lead_rank
    from {{ ref('fct_lead_scores') }} as scores
),
reasons as (
    select
        lead_id, scorecard_id, description, contribution,
        row_number() over (
            partition by lead_id, scorecard_id
            order by abs(contribution) desc, rule_id
        ) as reason_rank
    from {{ ref('fct_lead_score_contributions') }}
    where entry_type = 'rule' and contribution <> 0
)
select
    ranked.scorecard_id, ranked.lead_rank, ranked.lead_id, ranked.total_score,
    ranked.fit_score, ranked.engagement_score, ranked.band, ranked.grade,
    leads.job_title, leads.company_name, leads.market,
    reasons.reason_rank, reasons.description, reasons.contribution
from ranked
inner join {{ ref('dim_leads') }} as leads on ranked.lead_id = leads.lead_id
left join reasons
    on ranked.lead_id = reasons.lead_id
    and ranked.scorecard_id = reasons.scorecard_id
    and reasons.reason_rank <= 3
where ranked.lead_rank <= {top}
order by ranked.scorecard_id, ranked.lead_rank, reasons.reason_rank
"""

TRIGGERS_SQL = """
select trigger_name, scorecard_id, count(*) as lead_count
from {{ ref('fct_lead_score_triggers') }}
group by trigger_name, scorecard_id
order by trigger_name, scorecard_id
"""

FUNNEL_SQL = """
select funnel_stage, funnel_stage_rank, count(*) as lead_count,
    sum(case when has_out_of_order_stages then 1 else 0 end) as out_of_order_count
from {{ ref('fct_lead_funnel') }}
group by funnel_stage, funnel_stage_rank
order by funnel_stage_rank
"""

BACKTEST_SQL = """
select
    comparison.scorecard_id, comparison.is_champion, comparison.auc,
    comparison.top_decile_lift, comparison.mql_conversion_rate,
    comparison.backtest_lead_count, comparison.backtest_converted_count,
    comparison.current_mql_count,
    best.threshold as best_f1_threshold, best.f1 as best_f1,
    best.expected_conversion_rate as best_f1_conversion,
    best.mqls_per_month as best_f1_mqls_per_month,
    capacity.threshold as capacity_threshold,
    capacity.expected_conversion_rate as capacity_conversion,
    capacity.mqls_per_month as capacity_mqls_per_month,
    capacity.sales_capacity_per_month
from {{ ref('agg_scorecard_comparison') }} as comparison
left join {{ ref('agg_scorecard_threshold_recommendations') }} as best
    on comparison.scorecard_id = best.scorecard_id
    and best.market = 'all' and best.recommendation = 'best_f1'
left join {{ ref('agg_scorecard_threshold_recommendations') }} as capacity
    on comparison.scorecard_id = capacity.scorecard_id
    and capacity.market = 'all' and capacity.recommendation = 'sales_capacity'
order by comparison.is_champion desc, comparison.scorecard_id
"""

OUTREACH_SQL = """
select
    (select count(*) from {{ ref('fct_crm_lead_sync') }}) as synced_count,
    (select count(*) from {{ ref('dim_lead_contact_profiles') }}
        where is_contactable) as contactable_count,
    (select count(*) from {{ ref('dim_lead_contact_profiles') }}
        where not is_contactable) as not_contactable_count
"""

QUARANTINE_SQL = """
select source_table, quarantine_reason, count(*) as row_count
from {{ ref('fct_quarantined_rows') }}
group by source_table, quarantine_reason
order by source_table, row_count desc, quarantine_reason
"""


def _points(value: Any) -> str:
    return f"{float(value):+.2f}"


def summarise(dbt: Any, top: int) -> str:
    lines: list[str] = []
    bands = dbt.query(BANDS_SQL)
    by_scorecard: dict[str, list[dict[str, Any]]] = {}
    for row in bands:
        by_scorecard.setdefault(row["scorecard_id"], []).append(row)
    lines.append("Leads per band")
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
    leads = dbt.query(TOP_LEADS_SQL.replace("{top}", str(int(top))))
    current: tuple[str, int] | None = None
    for row in leads:
        key = (row["scorecard_id"], int(row["lead_rank"]))
        if key[1] == 1 and (current is None or current[0] != key[0]):
            lines.append("")
            lines.append(f"Top {top} leads, scorecard {key[0]} (top three reasons)")
        if key != current:
            current = key
            who = " · ".join(
                str(part) for part in (row["job_title"], row["company_name"], row["market"])
                if part
            )
            grade = f" grade {row['grade']}" if row["grade"] else ""
            lines.append(
                f"  {key[1]:>2}. {row['lead_id']:<10} {float(row['total_score']):7.2f}  "
                f"{row['band']}{grade}  (fit {float(row['fit_score']):.2f}, engagement "
                f"{float(row['engagement_score']):.2f})  {who}"
            )
        if row["description"]:
            lines.append(f"        {_points(row['contribution']):>8}  {row['description']}")
    fired = dbt.query(TRIGGERS_SQL)
    lines.append("")
    lines.append("Triggers fired by this run (marts.fct_lead_score_triggers)")
    if not fired:
        lines.append("  none")
    for row in fired:
        lines.append(f"  {row['trigger_name']:<18} {row['scorecard_id']:<16} "
                     f"{int(row['lead_count']):>6,} leads")
    funnel = dbt.query(FUNNEL_SQL)
    lines.append("")
    lines.append("Funnel (marts.fct_lead_funnel: furthest stage reached; MQL by the champion "
                 "scorecard)")
    counts = {row["funnel_stage"]: row for row in funnel}
    total_leads = sum(int(row["lead_count"]) for row in funnel)
    reached = total_leads
    for stage in ("lead", "mql", "sql", "customer"):
        row = counts.get(stage)
        share = (reached / total_leads * 100) if total_leads else 0.0
        lines.append(
            f"  {stage:<9} {int(row['lead_count']) if row else 0:>8,} now   "
            f"{reached:>8,} at or past ({share:5.1f} %)"
        )
        reached -= int(row["lead_count"]) if row else 0
    odd = sum(int(row["out_of_order_count"]) for row in funnel)
    if odd:
        lines.append(f"  {odd:,} leads have stage dates out of funnel order (kept, flagged "
                     "has_out_of_order_stages)")
    lines.append("")
    lines.append("Scorecards against outcomes (backtest: each lead's score on its decision "
                 "date; marts.agg_scorecard_comparison)")
    for row in dbt.query(BACKTEST_SQL):
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
            f"{int(row['backtest_converted_count']):,} converted)"
        )
        if row["best_f1_threshold"] is not None:
            lines.append(
                f"  {'':<27} best-F1 threshold {int(row['best_f1_threshold'])}: "
                f"F1 {float(row['best_f1']):.2f}, converts "
                f"{float(row['best_f1_conversion']) * 100:.1f} %, "
                f"{float(row['best_f1_mqls_per_month']):.1f} MQLs/month"
            )
        if row["capacity_threshold"] is not None:
            lines.append(
                f"  {'':<27} within {int(row['sales_capacity_per_month'])} MQLs/month: "
                f"threshold {int(row['capacity_threshold'])}, converts "
                f"{float(row['capacity_conversion']) * 100:.1f} %, "
                f"{float(row['capacity_mqls_per_month']):.1f} MQLs/month"
            )
    outreach = dbt.query(OUTREACH_SQL)[0]
    lines.append("")
    lines.append(
        f"Outreach: {int(outreach['contactable_count']):,} leads contactable, "
        f"{int(outreach['not_contactable_count']):,} not (consent; reasons in "
        "marts.dim_lead_contact_profiles); CRM sync rows this run: "
        f"{int(outreach['synced_count']):,} (marts.fct_crm_lead_sync)"
    )
    quarantine = dbt.query(QUARANTINE_SQL)
    lines.append("")
    lines.append("Quarantined raw rows (kept with their reason in marts.fct_quarantined_rows)")
    if not quarantine:
        lines.append("  none")
    for row in quarantine:
        lines.append(
            f"  {row['source_table']:<16} {row['quarantine_reason']:<26} "
            f"{int(row['row_count']):>8,}"
        )
    return "\n".join(lines)
