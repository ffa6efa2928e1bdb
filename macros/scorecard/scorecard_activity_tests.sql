{% macro scorecard_activity_tests(scorecard) %}
    {#-
        The distinct activity tests of the scorecards' activity rules: what
        makes an activity match a rule without its window (SCORING_SPEC 3.3:
        the activity_type and the field test). Rules with the same test,
        in any scorecard, share it. Window, decay, counts and points are not
        part of a test: the kept day counts (int_lead_activity_days) answer
        every window and decay on any date, so editing them recounts nothing.
        Returns, in rule order, one dict per test:
        `key` the test's key (scorecard_activity_test_key), `index` its
        number (1, 2, ...), `activity_type`, `condition` (SQL of the field
        test on the activity's columns, `true` without a field) and `label`
        (the test in words, for logs).
    -#}
    {%- set tests = [] -%}
    {%- set keys = [] -%}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' -%}
        {%- set key = lead_scoring.scorecard_activity_test_key(rule) -%}
        {%- if key not in keys -%}
            {%- do keys.append(key) -%}
            {%- do tests.append({
                'key': key,
                'index': keys | length,
                'activity_type': rule['activity_type'],
                'condition': (
                    '(' ~ lead_scoring.scorecard_condition(rule, rule['field']) ~ ')'
                    if rule['field'] else 'true'
                ),
                'label': rule['activity_type'] ~ (
                    ' where ' ~ rule['field'] ~ ' ' ~ rule['operator']
                    ~ ((' ' ~ rule['value']) if rule['value'] else '')
                    if rule['field'] else ''
                ),
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tests) }}
{% endmacro %}

{% macro scorecard_activity_test_key(rule) %}
    {#-
        The key of an activity rule's test: `<activity_type>:` and 16 hex
        digits of an md5 of the test's definition (activity_type, field,
        operator, values) and of the version of the test's meaning. The
        same definition gives the same key on every run and in every
        scorecard; an edit of the test gives a new key, so its activities
        are counted again from every staged event. Bump the version when
        the SQL of a test (scorecard_condition) changes meaning: every
        kept count is then recounted.
    -#}
    {%- set version = 1 -%}
    {%- set definition = tojson([
        version, rule['activity_type'], rule['field'] or none,
        rule['operator'] if rule['field'] else none,
        rule['values'] if rule['field'] else none
    ]) -%}
    {{ return(rule['activity_type'] ~ ':' ~ local_md5(definition)[:16]) }}
{% endmacro %}
