{#- The sums of the atoms of a group (an aggregating select list): exact sums, then one
    cast, so the same atoms in any order give the same bits. -#}
{% macro kpi_atom_sums() -%}
    cast(sum(numerator) as {{ kpi_type_double() }}) as numerator,
    cast(sum(denominator) as {{ kpi_type_double() }}) as denominator,
    sum(sample_size) as sample_size,
    sum(promoters) as promoters,
    sum(detractors) as detractors,
    cast(null as {{ kpi_type_double() }}) as median_value
{%- endmacro %}


{#- How a KPI's value and its 95% interval are formed from its summed atoms (columns
    metric, numerator, denominator, sample_size, promoters, detractors, median_value), by
    the catalogue's value_kind and interval: once, for kpi_metrics and kpi_intervals. -#}
{% macro kpi_value() -%}
    case
        when metric in {{ kpi_sql_list(kpi_metrics_where('value_kind', 'count')) }}
            then cast(sample_size as {{ kpi_type_double() }})
        when metric in {{ kpi_sql_list(kpi_metrics_where('value_kind', 'percentage')) }}
            then 100.0 * numerator / nullif(denominator, 0)
        when metric in {{ kpi_sql_list(kpi_metrics_where('value_kind', 'mean')) }}
            then numerator / nullif(denominator, 0)
        when metric in {{ kpi_sql_list(kpi_metrics_where('value_kind', 'median')) }}
            then median_value
    end
{%- endmacro %}


{#- The `bound` ('low' | 'high') of the metric's 95% interval; NULL without one. -#}
{% macro kpi_interval_bound(bound) -%}
    case
        when metric in {{ kpi_sql_list(kpi_metrics_where('interval', 'wilson')) }}
            then {{ kpi_wilson_interval('numerator', 'denominator', bound) }}
        when metric in {{ kpi_sql_list(kpi_metrics_where('interval', 'net_score')) }}
            then {{ kpi_net_score_interval('promoters', 'detractors', 'denominator', bound) }}
    end
{%- endmacro %}
