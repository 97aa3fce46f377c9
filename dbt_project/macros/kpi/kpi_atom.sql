{#- One "metric atom" select list of the family models int_kpi_<family>_measured: the
    additive measures of one metric for one report date and credited agent / team / site /
    client. Arguments are SQL expressions over the measures CTE it selects from.
    `median_measure`: for a median metric, the fact's value (one atom per fact); kpi_metrics
    takes the median of it, as a median is not additive. -#}
{% macro kpi_atom(
    metric,
    sample_size,
    numerator='null',
    denominator='null',
    promoters='null',
    detractors='null',
    median_measure='null'
) -%}
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        '{{ metric }}' as metric,
        cast({{ numerator }} as {{ kpi_type_exact() }}) as numerator,
        cast({{ denominator }} as {{ kpi_type_exact() }}) as denominator,
        cast({{ sample_size }} as bigint) as sample_size,
        cast({{ promoters }} as bigint) as promoters,
        cast({{ detractors }} as bigint) as detractors,
        cast({{ median_measure }} as {{ kpi_type_double() }}) as median_measure
{%- endmacro %}
