{#-
    incremental_watermark(): the greatest _loaded_at already in `this`, as a SQL timestamp
    literal, in the is_incremental() branch of a model (else the 1900-01-01 floor).

    A literal rather than a subquery: DuckDB pushes `_loaded_at > <literal>` into the
    table scan (row groups older than the watermark are skipped), through the views and
    left joins above it, so a night reads only what it loaded. A subquery or a cross join
    with a one-row CTE is a join condition instead, and the whole table is read.
-#}
{% macro incremental_watermark() -%}
    {%- set watermark = none -%}
    {%- if execute and is_incremental() -%}
        {%- set result = run_query('select max(_loaded_at) from ' ~ this) -%}
        {%- set watermark = result.columns[0].values()[0] -%}
    {%- endif -%}
    cast('{{ watermark if watermark is not none else "1900-01-01" }}' as timestamp)
{%- endmacro %}

{#-
    only_keys_loaded_since_watermark(key_column, source_relation): in the is_incremental()
    branch of an incremental staging model, a WHERE clause keeping every raw version of the
    keys that have a version loaded after the watermark (so the latest version is picked
    from all of them, exactly as a full refresh would); nothing otherwise.
-#}
{% macro only_keys_loaded_since_watermark(key_column, source_relation) -%}
    {%- if is_incremental() %}
    where {{ key_column }} in (
        select changed_rows.{{ key_column }}
        from {{ source_relation }} as changed_rows
        where changed_rows._loaded_at > {{ incremental_watermark() }}
    )
    {%- endif %}
{%- endmacro %}
