{#-
    union_all_by_name(): the set operator between the branches of a union that match their
    columns by name. DuckDB matches them by name; Spark SQL has no such operator and
    matches by position, so there every branch lists its columns in the same order (the
    models that use this write them so; macros/vendor_calls.sql follows the canonical
    order).
-#}
{% macro union_all_by_name() -%}
    {{ return(adapter.dispatch('union_all_by_name', 'cx_warehouse')()) }}
{%- endmacro %}

{% macro default__union_all_by_name() -%}
    union all
{%- endmacro %}

{% macro duckdb__union_all_by_name() -%}
    union all by name
{%- endmacro %}
