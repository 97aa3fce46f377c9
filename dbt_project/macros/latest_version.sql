{#-
    The raw layer is an append log: a key may have several versions. The current
    version of a key is the row with the greatest (_file_path, _file_row): the later
    file in lexical path order wins, within a file the later row wins
    (shared/spec/raw_exports.md). Use inside the select list of a raw source and keep
    `where version_rank = 1`:

      - version_rank: 1 for the current version of the key;
      - _loaded_at:   the last time ANY version of the key was loaded. Incremental
                      facts rebuild a key whose _loaded_at is newer than their
                      watermark, so a late file that sorts earlier (and loses) still
                      triggers a recomputation that gives the same row.
-#}
{% macro latest_version_columns(key_columns) -%}
    {%- set partition_by = key_columns | join(', ') -%}
    row_number() over (
        partition by {{ partition_by }}
        order by _file_path desc, _file_row desc
    ) as version_rank,
    max(_loaded_at) over (partition by {{ partition_by }}) as _loaded_at
{%- endmacro %}
