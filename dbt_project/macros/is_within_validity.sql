{#- True when `date_expr` falls in the validity range [valid_from, valid_to) of `range_alias`
    (valid_to NULL = open). The point-in-time rule of the agent team history. -#}
{% macro is_within_validity(date_expr, range_alias) -%}
    ({{ date_expr }} >= {{ range_alias }}.valid_from
        and ({{ range_alias }}.valid_to is null or {{ date_expr }} < {{ range_alias }}.valid_to))
{%- endmacro %}
