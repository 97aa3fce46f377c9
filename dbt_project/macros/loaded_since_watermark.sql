{#-
    loaded_since_watermark(column): in the is_incremental() branch of a model, the condition
    `<column> > <the watermark of this model>` (incremental_watermark()); `true` otherwise.
    For a filter among others, e.g. the vendor rows a canonical staging model unions: one row
    per key there, whose `_key_loaded_at` is the last load of any version of the key.
-#}
{% macro loaded_since_watermark(column) -%}
    {%- if is_incremental() -%}
        {{ column }} > {{ incremental_watermark() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
