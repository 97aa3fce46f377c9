{#-
    The raw layer is an append log: a key may have several versions. The current
    version of a key is the row with the greatest (_file_path, _file_row): the later
    file in lexical path order wins, within a file the later row wins (the export
    contract, docs/landing_zone.md).

    current_versions(versions, key_columns): the body of a CTE over the CTE `versions`
    (the raw rows, with _file_path, _file_row and _loaded_at; declared with
    raw_versions_as(), below), one row per key, its
    current version, with the same columns; there _loaded_at is the last time ANY
    version of the key was loaded. Incremental facts rebuild a key whose _loaded_at is
    newer than their watermark, so a late file that sorts earlier (and loses) still
    triggers a recomputation that gives the same row.

    Nearly every key has one version: those rows are kept as they are, and only the
    keys delivered more than once are ranked (a window over every row of a year of calls
    would sort them all). Keys are never null: the loader rejects a row with an empty key.
-#}
{% macro current_versions(versions, key_columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    with repeated_keys as (
        select {{ keys }}
        from {{ versions }}
        group by {{ keys }}
        having count(*) > 1
    )

    select {{ star_in_replaced_order(versions, '_loaded_at') }}
    from {{ versions }}
    where not exists (
        select 1 from repeated_keys
        where {% for key in key_columns -%}
            repeated_keys.{{ key }} = {{ versions }}.{{ key }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )

    union all

    select {{ star_replacing('_loaded_at', 'max(_loaded_at) over (partition by ' ~ keys ~ ')') }}
    from {{ versions }}
    where exists (
        select 1 from repeated_keys
        where {% for key in key_columns -%}
            repeated_keys.{{ key }} = {{ versions }}.{{ key }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )
    qualify row_number() over (
        partition by {{ keys }}
        order by _file_path desc, _file_row desc
    ) = 1
{%- endmacro %}

{#-
    raw_versions_as(): how a staging model declares the CTE of raw versions that
    current_versions() reads three times: `<versions> {{ raw_versions_as() }} (select ...)`.

    A full build inlines it: there it is the whole raw table, which DuckDB would
    otherwise write to a buffer (spilling to disk for a year of calls) and read back
    three times. A night materializes it: there it is the few keys loaded since the
    watermark, picked by a semi-join on the whole raw table that should run once, not
    three times.
-#}
{% macro raw_versions_as() -%}
    {#- a dbt unit test (materialized 'unit') has no `this` for is_incremental() to look up -#}
    {%- set night = config.get('materialized') == 'incremental' and is_incremental() -%}
    {{ return(adapter.dispatch('raw_versions_as', 'cx_warehouse')(night)) }}
{%- endmacro %}

{% macro default__raw_versions_as(night) -%}
    as
{%- endmacro %}

{#- DuckDB decides per CTE whether to buffer it: the hint (as [not] materialized). -#}
{% macro duckdb__raw_versions_as(night) -%}
    as {{ 'materialized' if night else 'not materialized' }}
{%- endmacro %}

{#-
    star_replacing(column, expression): every column of the FROM relation (`*`), with
    `column` computed by `expression`. Both engines put the columns in the same order
    within one query, so the two branches of a union line up: DuckDB keeps the column in
    its place (`* replace`), Spark puts it last (`* except` and the column).
-#}
{% macro star_replacing(column, expression) -%}
    {{ return(adapter.dispatch('star_replacing', 'cx_warehouse')(column, expression)) }}
{%- endmacro %}

{% macro default__star_replacing(column, expression) -%}
    * replace ({{ expression }} as {{ column }})
{%- endmacro %}

{% macro spark__star_replacing(column, expression) -%}
    * except ({{ column }}), {{ expression }} as {{ column }}
{%- endmacro %}

{#- star_in_replaced_order(relation, column): every column of `relation`, unchanged, in
    the order star_replacing(column, ...) gives them (a union's other branch). -#}
{% macro star_in_replaced_order(relation, column) -%}
    {{ return(adapter.dispatch('star_in_replaced_order', 'cx_warehouse')(relation, column)) }}
{%- endmacro %}

{% macro default__star_in_replaced_order(relation, column) -%}
    {{ relation }}.*
{%- endmacro %}

{% macro spark__star_in_replaced_order(relation, column) -%}
    {{ relation }}.* except ({{ column }}), {{ relation }}.{{ column }}
{%- endmacro %}
