{#- The first-response target (minutes, DOUBLE) of a ticket channel, from var('frt_target_minutes'); NULL for a channel without target. -#}
{% macro frt_target_minutes(channel) -%}
    case {{ channel }}
        {%- for channel_name, minutes in var('frt_target_minutes').items() %}
        when '{{ channel_name }}' then cast({{ minutes }} as {{ kpi_type_double() }})
        {%- endfor %}
    end
{%- endmacro %}
