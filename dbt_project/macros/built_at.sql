{#-
    built_at(): the UTC start of this dbt invocation as a timestamp literal. The
    incremental tables (the large staging tables and their facts) stamp every row they
    write with it (_built_at): the publish step copies to the published warehouse only the
    fact rows written since the last publish, and the unique tests of these tables check
    only those rows (a full refresh stamps every row anew).
-#}
{% macro built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
