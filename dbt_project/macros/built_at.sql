{#-
    built_at(): the UTC start of this dbt invocation as a timestamp literal. Incremental
    facts stamp every row they write with it (_built_at), so the publish step copies to
    the published warehouse only the rows written since the last publish.
-#}
{% macro built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
