{#-
    Custom schema names are used verbatim: a model configured with
    `+schema: staging` lands in schema `staging`, not `<target_schema>_staging`.
    The build database has exactly the schemas raw (ingestion), staging,
    intermediate and marts. A model without a custom schema stays in the target
    schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
