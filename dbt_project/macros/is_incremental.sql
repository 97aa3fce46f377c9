{#-
    is_incremental(): dbt's, except on Spark, where every model is rebuilt in full.
    Parquet tables on Spark support no delete, so an incremental model cannot replace the
    changed keys' rows there; a full rebuild gives the same rows, and a distributed engine is
    chosen for exactly that (years of history rebuilt when a definition changes). A cluster
    with Delta or Iceberg tables could use merge instead.
-#}
{% macro is_incremental() -%}
    {%- if target.type == 'spark' -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(dbt.is_incremental()) }}
{%- endmacro %}
