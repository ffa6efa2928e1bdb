{% macro activity_days_plan(tests=none) %}
    {#-
        What this run of int_lead_activity_days counts (docs/incremental.md),
        read when the model compiles and again in its pre-hook (the same
        two small queries, so both agree):

        - the marker rows of the table (lead_id null): one per activity
          test and run, saying up to which `staged_at` of stg_crm__events
          the test's activities are counted (`staged_through`);
        - the oldest and newest `staged_at` of stg_crm__events.

        Returns a dict:
        `rebuild`: count every staged event for every test (a first build,
        a full refresh, an empty table, or an event staging rebuilt since
        the last run: its oldest row is newer than the newest marker);
        `stale`: the keys of tests whose marker missed a later run that
        counted (no rule used them then): the pre-hook deletes their rows;
        `since`: {test key: SQL timestamp} for the tests `tests` holds that
        are counted already: only their activities staged after it are
        counted; `recount`: the tests of `tests` counted from every staged
        event (new, edited, or stale and deleted); `scan_from`: the SQL
        timestamp after which staged events are read (none: all of them);
        `staged_through`: the SQL timestamp of the newest staged event (the
        run's markers), or a null timestamp when nothing is staged;
        `up_to_date`: the keys of the tests counted up to it already (no
        event staged since their marker: they get no new marker);
        `counted_through`: the oldest marker of `since`, as text (the log);
        `reason`: why the run rebuilds, for the log.
    -#}
    {%- set plan = {
        'rebuild': true, 'stale': [], 'since': {}, 'recount': tests or [],
        'scan_from': none, 'staged_through': 'cast(null as timestamp)', 'reason': '',
        'up_to_date': [], 'counted_through': none,
    } -%}
    {%- if not execute -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set staged = run_query(
        "select '~' || cast(min(staged_at) as " ~ dbt.type_string() ~ "),"
        ~ " '~' || cast(max(staged_at) as " ~ dbt.type_string() ~ ")"
        ~ ' from ' ~ ref('stg_crm__events')
    ).rows[0] -%}
    {%- set oldest_staged = staged[0][1:] if staged[0] is not none else none -%}
    {%- if staged[1] is not none -%}
        {%- do plan.update({'staged_through': "cast('" ~ staged[1][1:] ~ "' as timestamp)"}) -%}
    {%- endif -%}
    {%- if not is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set markers = run_query(
        "select '~' || rule_test, '~' || cast(max(staged_through) as " ~ dbt.type_string() ~ ")"
        ~ ' from ' ~ this ~ ' where lead_id is null group by rule_test'
    ).rows -%}
    {%- set marks = {} -%}
    {%- for row in markers -%}
        {%- do marks.update({row[0][1:]: (row[1][1:] if row[1] is not none else none)}) -%}
    {%- endfor -%}
    {%- set newest = marks.values() | reject('none') | max if marks.values() | reject('none') | list else none -%}
    {%- if marks | length == 0 -%}
        {%- do plan.update({'reason': 'no counts kept yet'}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- if newest is not none and (oldest_staged is none or oldest_staged > newest) -%}
        {%- do plan.update({'reason': 'stg_crm__events was rebuilt since the last run (its oldest staged row, '
            ~ (oldest_staged or 'none') ~ ', is newer than the counts kept, ' ~ newest ~ ')'}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stale = [] -%}
    {%- for key, mark in marks.items() if newest is not none and (mark is none or mark < newest) -%}
        {%- do stale.append(key) -%}
    {%- endfor -%}
    {%- set newest_staged = staged[1][1:] if staged[1] is not none else none -%}
    {%- set since = {} -%}
    {%- set recount = [] -%}
    {%- set up_to_date = [] -%}
    {%- set counted = [] -%}
    {%- for test in tests or [] -%}
        {%- if test['key'] in marks and test['key'] not in stale and marks[test['key']] is not none -%}
            {%- do since.update({test['key']: "cast('" ~ marks[test['key']] ~ "' as timestamp)"}) -%}
            {%- do counted.append(marks[test['key']]) -%}
            {%- if marks[test['key']] == newest_staged -%}
                {%- do up_to_date.append(test['key']) -%}
            {%- endif -%}
        {%- else -%}
            {%- do recount.append(test) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set scan_from = none -%}
    {%- if recount | length == 0 and since | length > 0 -%}
        {%- set scan_from = since.values() | min -%}
    {%- endif -%}
    {%- do plan.update({
        'rebuild': false, 'stale': stale, 'since': since, 'recount': recount,
        'scan_from': scan_from, 'up_to_date': up_to_date,
        'counted_through': counted | min if counted else none,
    }) -%}
    {{ return(plan) }}
{% endmacro %}

{% macro activity_days_cleanup() %}
    {#-
        Pre-hook of int_lead_activity_days: deletes every row when the run
        rebuilds (activity_days_plan: the event staging was rebuilt), else
        the rows of stale tests (tests no rule used in a later run). The
        erased leads' rows go in the other pre-hook, purge_erased_leads.
    -#}
    {%- if not execute or not is_incremental() -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set plan = lead_scoring.activity_days_plan() -%}
    {%- if plan['rebuild'] -%}
        {{ return(lead_scoring.delete_rows('true')) }}
    {%- elif plan['stale'] | length > 0 -%}
        {%- set keys = [] -%}
        {%- for key in plan['stale'] -%}
            {%- do keys.append(lead_scoring.string_literal(key)) -%}
        {%- endfor -%}
        {{ return(lead_scoring.delete_rows('rule_test in (' ~ keys | join(', ') ~ ')')) }}
    {%- endif -%}
    {{ return('select 1') }}
{% endmacro %}
