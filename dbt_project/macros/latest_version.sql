{#-
    The raw layer is an append log: a key may have several versions. The current
    version of a key is the row with the greatest (_file_path, _file_row): the later
    file in lexical path order wins, within a file the later row wins
    (shared/spec/raw_exports.md).

    current_versions(versions, key_columns): the body of a CTE over the CTE `versions`
    (the raw rows, with _file_path, _file_row and _loaded_at), one row per key, its
    current version, with the same columns; there _loaded_at is the last time ANY
    version of the key was loaded. Incremental facts rebuild a key whose _loaded_at is
    newer than their watermark, so a late file that sorts earlier (and loses) still
    triggers a recomputation that gives the same row.

    Nearly every key has one version: those rows are kept as they are, and only the
    keys delivered more than once are ranked (a window over 8 million calls costs
    twice the time). Keys are never null: the loader rejects a row with an empty key.
-#}
{% macro current_versions(versions, key_columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    with repeated_keys as (
        select {{ keys }}
        from {{ versions }}
        group by {{ keys }}
        having count(*) > 1
    )

    select {{ versions }}.*
    from {{ versions }}
    where not exists (
        select 1 from repeated_keys
        where {% for key in key_columns -%}
            repeated_keys.{{ key }} = {{ versions }}.{{ key }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )

    union all

    select * replace (max(_loaded_at) over (partition by {{ keys }}) as _loaded_at)
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
