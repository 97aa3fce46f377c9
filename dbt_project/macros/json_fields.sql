{#-
    json_text(json, path): the value at the JSONPath `path` ('$.a.b', a SQL string
    expression) of the JSON text `json`, as text: a string unquoted, a number or boolean as
    written, an object or array as JSON text; NULL when absent or JSON null.
-#}
{% macro json_text(json, path) -%}
    {{ return(adapter.dispatch('json_text', 'cx_warehouse')(json, path)) }}
{%- endmacro %}

{% macro default__json_text(json, path) -%}
    json_extract_string({{ json }}, {{ path }})
{%- endmacro %}

{% macro spark__json_text(json, path) -%}
    get_json_object({{ json }}, {{ path }})
{%- endmacro %}

{#-
    json_struct(json, spec): the JSON text `json` read into a struct, only the fields the
    spec names. `spec` is DuckDB's json_transform structure as a JSON string: an object of
    field name -> spec, `[spec]` for a list, "VARCHAR" / "DOUBLE" / "BIGINT" / "BOOLEAN" for a
    value (a VARCHAR field holds any value as text). Field names match case-sensitively; an
    absent field is NULL. Spark reads it with from_json and the equivalent DDL schema.
-#}
{% macro json_struct(json, spec) -%}
    {{ return(adapter.dispatch('json_struct', 'cx_warehouse')(json, spec)) }}
{%- endmacro %}

{% macro default__json_struct(json, spec) -%}
    json_transform({{ json }}, '{{ spec }}')
{%- endmacro %}

{% macro spark__json_struct(json, spec) -%}
    from_json({{ json }}, '{{ json_spec_as_ddl(fromjson(spec)) }}')
{%- endmacro %}

{#- The Spark DDL type of a parsed json_transform spec (see json_struct). -#}
{% macro json_spec_as_ddl(spec) -%}
    {%- set value_types = {
        'VARCHAR': 'string', 'DOUBLE': 'double', 'BIGINT': 'bigint', 'BOOLEAN': 'boolean'
    } -%}
    {%- if spec is mapping -%}
        struct<
        {%- for field, field_spec in spec.items() -%}
            `{{ field }}`: {{ json_spec_as_ddl(field_spec) }}{{ ', ' if not loop.last }}
        {%- endfor -%}
        >
    {%- elif spec is string -%}
        {%- if spec | upper not in value_types -%}
            {{ exceptions.raise_compiler_error("json_struct: no Spark type for " ~ spec) }}
        {%- endif -%}
        {{ value_types[spec | upper] }}
    {%- else -%}
        array<{{ json_spec_as_ddl(spec[0]) }}>
    {%- endif -%}
{%- endmacro %}
