{% macro get_scorecard() %}
    {#-
        The validated scorecard: reads the seeds and checks them (a broken
        scorecard stops the build here, naming file, scorecard and rule).
        Returns none at parse time, so callers guard with `if execute`.

        Read and validated once per dbt invocation: the first model that
        asks keeps the result for the others (scorecard_cache), keyed by
        the seeds' rows, so a unit test that gives its own rows (an override
        of read_scorecard_seeds) gets its own scorecard.
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set seeds = lead_scoring.read_scorecard_seeds() -%}
    {%- set cache = lead_scoring.scorecard_cache() -%}
    {%- set key = 'validated ' ~ tojson(seeds) -%}
    {%- if key not in cache -%}
        {%- do cache.update({key: lead_scoring.validate_scorecard(seeds)}) -%}
    {%- endif -%}
    {{ return(cache[key]) }}
{% endmacro %}

{% macro scorecard_cache() %}
    {#-
        A dict that lives as long as this dbt invocation, for what every
        scorecard model would otherwise read and validate again (15 models:
        on Spark through a Thrift server, 8 statements each). dbt offers no
        per-invocation state to macros; the `graph` context variable is one
        dict shared by every node of an invocation (the manifest's flat
        graph, rebuilt at each parse and never written out), so the cache
        hangs from it, under this invocation's id: a process that runs
        several invocations on one parsed manifest starts each with an
        empty cache.
    -#}
    {%- set caches = graph.setdefault('lead_scoring_scorecard_cache', {}) -%}
    {%- if invocation_id not in caches -%}
        {%- do caches.clear() -%}
        {%- do caches.update({invocation_id: {}}) -%}
    {%- endif -%}
    {{ return(caches[invocation_id]) }}
{% endmacro %}
