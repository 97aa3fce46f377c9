{#-
    iso_utc_timestamp(text): an ISO 8601 timestamp as a vendor writes it
    ('2026-03-01T10:00:00Z', with or without milliseconds, or with an offset such as
    '+02:00') as the naive UTC timestamp canonical staging holds; NULL when empty or not
    a timestamp (the mapping then decides what a missing time means).
-#}
{% macro iso_utc_timestamp(text) -%}
    timezone('UTC', try_cast({{ text }} as timestamptz))
{%- endmacro %}
