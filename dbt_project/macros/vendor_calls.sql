{#-
    vendor_calls(mapping, key_column): the calls a vendor mapping model contributes to
    stg_telephony__calls, as a SELECT with the canonical raw columns and the site staffing
    the queue the mapping found (queue_site_id): its mapped current versions. In the incremental branch only the keys with a version loaded since the
    watermark, like the canonical rows (the mapping model itself re-read every version of
    those keys, so its current version is exact).
-#}
{% macro vendor_calls(mapping, key_column) -%}
    select
        call_id,
        client_id,
        direction,
        offered_at,
        answered_at,
        ended_at,
        queue,
        false as is_canonical_queue,
        queue_site_id,
        customer_id,
        agent_id,
        cast(talk_seconds as double) as talk_seconds,
        cast(hold_seconds as double) as hold_seconds,
        cast(acw_seconds as double) as acw_seconds,
        wrap_code,
        _file_path,
        _file_row,
        _loaded_at
    from {{ mapping }}
    where
        mapping_outcome = 'mapped'
        and is_current_version
        {%- if is_incremental() %}
        and {{ key_column }} in (
            select changed_rows.{{ key_column }}
            from {{ mapping }} as changed_rows
            where changed_rows._loaded_at > {{ incremental_watermark() }}
        )
        {%- endif %}
{%- endmacro %}
