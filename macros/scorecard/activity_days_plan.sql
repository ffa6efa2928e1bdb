{% macro activity_days_plan(tests=none) %}
    {#-
        What this run of int_lead_activity_days counts (docs/incremental.md),
        read when the model compiles (and again in its pre-hook, which needs
        only `rebuild`) from two small queries:

        - the marker rows of the table (lead_id null): one per activity
          test and run, saying up to which `staged_at` of stg_crm__events
          the test's activities are counted (`staged_through`);
        - the oldest `staged_at` of stg_crm__events.

        Returns a dict:
        `rebuild`: count every staged event for every test (a first build,
        a full refresh, an empty table, or an event staging rebuilt since
        the last run: its oldest row is newer than the newest marker; the
        pre-hook then deletes every row); `reason`: why, for the log;
        `since`: {test key: SQL timestamp} for the tests of `tests` counted
        already: only their events staged after it are counted;
        `counted_through`: the oldest of those, as text (the log);
        `recount`: the tests of `tests` counted from every staged event
        (new, or edited: a new key); `dropped`: the keys of the tests
        counted so far that no rule uses any more (the post-hook deletes
        their rows); `scan_from`: the SQL timestamp after which staged
        events are read (none: all of them). A first build or a full
        refresh runs no query.
    -#}
    {%- set plan = {
        'rebuild': true, 'reason': '', 'since': {}, 'counted_through': none,
        'recount': tests or [], 'dropped': [], 'scan_from': none,
    } -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set staged = run_query(
        "select '~' || cast(min(staged_at) as " ~ dbt.type_string() ~ ")"
        ~ ' from ' ~ ref('stg_crm__events')
    ).rows[0] -%}
    {%- set oldest_staged = staged[0][1:] if staged[0] is not none else none -%}
    {%- set markers = run_query(
        "select '~' || rule_test, '~' || cast(max(staged_through) as " ~ dbt.type_string() ~ ")"
        ~ ' from ' ~ this ~ ' where lead_id is null group by rule_test'
    ).rows -%}
    {%- set marks = {} -%}
    {%- for row in markers -%}
        {%- do marks.update({row[0][1:]: (row[1][1:] if row[1] is not none else none)}) -%}
    {%- endfor -%}
    {%- set known_marks = marks.values() | reject('none') | list -%}
    {%- set newest = known_marks | max if known_marks else none -%}
    {%- if marks | length == 0 -%}
        {%- do plan.update({'reason': 'no counts kept yet'}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- if newest is not none and (oldest_staged is none or oldest_staged > newest) -%}
        {%- do plan.update({'reason': 'stg_crm__events was rebuilt since the last run (its oldest staged row, '
            ~ (oldest_staged or 'none') ~ ', is newer than the counts kept, ' ~ newest ~ ')'}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set since = {} -%}
    {%- set recount = [] -%}
    {%- set counted = [] -%}
    {%- for test in tests or [] -%}
        {%- if marks.get(test['key']) is not none -%}
            {%- do since.update({test['key']: "cast('" ~ marks[test['key']] ~ "' as timestamp)"}) -%}
            {%- do counted.append(marks[test['key']]) -%}
        {%- else -%}
            {%- do recount.append(test) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set current = (tests or []) | map(attribute='key') | list -%}
    {%- set dropped = [] -%}
    {%- for key in marks if key not in current -%}
        {%- do dropped.append(key) -%}
    {%- endfor -%}
    {%- do plan.update({
        'rebuild': false, 'since': since, 'recount': recount, 'dropped': dropped,
        'counted_through': counted | min if counted else none,
        'scan_from': (since.values() | min) if (recount | length == 0 and since) else none,
    }) -%}
    {{ return(plan) }}
{% endmacro %}

{% macro activity_days_rebuild() %}
    {#-
        Pre-hook of int_lead_activity_days: deletes every row when the run
        recounts everything (activity_days_plan: the event staging was
        rebuilt since the last run). The erased leads' rows go in the other
        pre-hook, purge_erased_leads.
    -#}
    {%- if execute and is_incremental() and lead_scoring.activity_days_plan()['rebuild'] -%}
        {{ return(lead_scoring.delete_rows('true')) }}
    {%- endif -%}
    {{ return('select 1') }}
{% endmacro %}

{% macro activity_days_drop_unused() %}
    {#-
        Post-hook of int_lead_activity_days: deletes the rows of the tests
        that got no marker in this run (no rule uses them any more), so the
        table holds the current tests only, as a full refresh would.
    -#}
    {%- if not is_incremental() -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(lead_scoring.delete_rows(
        'rule_test not in (select markers.rule_test from ' ~ this ~ ' as markers'
        ~ ' where markers.lead_id is null and markers.counted_at = '
        ~ lead_scoring.run_started_timestamp(microseconds=true) ~ ')'
    )) }}
{% endmacro %}
