{#-
    catalog_columns(): a relation of (table_schema, table_name, column_name), one row per
    column of every table and view the build holds. DuckDB has information_schema; Spark's
    session catalogue has none, so there the rows are the columns dbt reads of each model
    of the project when the query is compiled.
-#}
{% macro catalog_columns() -%}
    {{ return(adapter.dispatch('catalog_columns', 'cx_warehouse')()) }}
{%- endmacro %}

{% macro default__catalog_columns() -%}
    information_schema.columns
{%- endmacro %}

{% macro spark__catalog_columns() -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
            {%- set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.alias
            ) -%}
            {%- if relation is not none -%}
                {%- for column in adapter.get_columns_in_relation(relation) -%}
                    {%- do rows.append(
                        "('" ~ node.schema ~ "', '" ~ node.alias ~ "', '" ~ column.name ~ "')"
                    ) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if rows -%}
        (select * from values {{ rows | join(', ') }} as catalog(table_schema, table_name, column_name))
    {%- else -%}
        (select '' as table_schema, '' as table_name, '' as column_name where false)
    {%- endif -%}
{%- endmacro %}
