{% macro scorecard_fields() %}
    {#-
        What a rule may test (SCORING_SPEC sections 1 and 2), defined once
        for the validator and the models: `lead_columns`, the lead columns
        of the contract (a lead rule's other fields are custom attributes),
        and `activity_fields`, the activity properties an activity rule's
        field may name.
    -#}
    {{ return({
        'lead_columns': [
            'lead_id', 'email', 'first_name', 'last_name', 'job_title',
            'seniority', 'department', 'company_name', 'company_domain',
            'industry', 'employee_count', 'annual_revenue', 'country', 'city',
            'lead_source', 'created_at', 'updated_at', 'is_deleted'
        ],
        'activity_fields': [
            'page_path', 'content_type', 'campaign_id', 'email_id', 'event_type',
            'event_id', 'occurred_at', 'activity_source', 'touch_type', 'outcome',
            'owner_id', 'opportunity_id', 'stage'
        ]
    }) }}
{% endmacro %}
