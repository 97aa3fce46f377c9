{#-
    source(source_name, table_name): dbt's source(), read from the lake on an engine that
    keeps the raw layer as files. On Spark (CXW_ENGINE=spark) the ingestion writes every raw
    and meta table as a Parquet folder <CXW_LAKE_DIR>/<schema>/<table>, and a source is that
    folder, read directly (parquet.`<folder>`): no catalogue entry to register or refresh,
    and each query sees the folder's files as they are. On DuckDB the ingestion writes the
    tables into the build database: dbt's own source().
-#}
{% macro source(source_name, table_name) -%}
    {{ return(lake_relation(builtins.source(source_name, table_name))) }}
{%- endmacro %}

{#- lake_relation(relation): where the engine reads the source table `relation`. -#}
{% macro lake_relation(relation) -%}
    {{ return(adapter.dispatch('lake_relation', 'cx_warehouse')(relation)) }}
{%- endmacro %}

{% macro default__lake_relation(relation) -%}
    {{ return(relation) }}
{%- endmacro %}

{% macro spark__lake_relation(relation) -%}
    {%- set folder = env_var('CXW_LAKE_DIR', '../data/lake') ~ '/' ~ relation.schema ~ '/' ~ relation.identifier -%}
    {{ return(api.Relation.create(
        schema='parquet', identifier=folder,
        quote_policy={'database': false, 'schema': false, 'identifier': true}
    )) }}
{%- endmacro %}
