{#-
    Fails on every column of `columns` that holds a NULL: one row per such column, with its
    count of NULL rows; the test's failure count is the sum of those NULLs. One test per model
    instead of dbt's not_null per column: the same checks, in a few nodes instead of two
    hundred (each dbt node costs a run about 20 ms of dbt's own time, see DECISIONLOG.md).
-#}
{% test not_null_columns(model, columns) %}

    {{ config(fail_calc='coalesce(sum(null_rows), 0)') }}

    {%- for column in columns %}
    select '{{ column }}' as column_name, count(*) as null_rows
    from {{ model }}
    where {{ column }} is null
    having count(*) > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

{% endtest %}
