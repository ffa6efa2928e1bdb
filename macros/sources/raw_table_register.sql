{% macro raw_table_register(required_only=false) %}
    {#-
        The raw tables, as the sources YAML declares them
        (models/staging/crm/_crm__sources.yml, source `crm`): one dict per
        table, in name order, with
        - name: the raw table;
        - validated_model: the model whose rows are the table's rows, each
          with is_usable and quarantine_reason;
        - record_key: the column that names a row in fct_quarantined_rows
          (none: the table has no key of its own);
        - has_lead_id: whether its rows carry a lead_id;
        - required: part of the scoring contract (else an optional CRM table);
        - columns: the columns the YAML documents (the raw contract).
        The quarantine mart, the reconciliation, the raw-contract check and
        the loader (scripts/load_raw.py) all read this one list. Empty while
        dbt parses (the graph is known only when it executes): a model that
        refs a validated_model lists it in a `-- depends_on:` comment, and
        dbt stops if one is missing.

        Arguments:
            required_only: only the tables of the scoring contract.

        Example:
            {% for table in lead_scoring.raw_table_register() %} ... {% endfor %}
    -#}
    {%- set tables = [] -%}
    {%- if execute -%}
        {%- for source in graph.sources.values()
            if source.package_name == project_name and source.source_name == 'crm' -%}
            {%- set meta = source.config.meta or source.meta or {} -%}
            {%- if meta.get('validated_model') is none -%}
                {{ exceptions.raise_compiler_error(
                    'models/staging/crm/_crm__sources.yml: raw table ' ~ source.name
                    ~ ' has no config.meta.validated_model (the model whose rows are its rows)'
                ) }}
            {%- endif -%}
            {%- if meta.get('required', false) or not required_only -%}
                {%- do tables.append({
                    'name': source.name,
                    'validated_model': meta['validated_model'],
                    'record_key': meta.get('record_key'),
                    'has_lead_id': meta.get('has_lead_id', true),
                    'required': meta.get('required', false),
                    'columns': source.columns.keys() | list,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(tables | sort(attribute='name')) }}
{% endmacro %}
