{#- One "metric atom" select list of the family models int_kpi_<family>_measured: the
    additive measures of one metric for one report date and credited agent / team / site /
    client / queue. Arguments are SQL expressions over the measures CTE it selects from.
    `site_id`: the credited site (a call's queue metrics credit the site staffing the queue);
    `queue`: the call's queue (NULL for the other families); `carried`: further columns of
    the measures CTE kept as they are (kpi_intervals' interval_start).
    `median_measure`: for a median metric, the fact's value (one atom per fact); kpi_metrics
    takes the median of it, as a median is not additive. -#}
{% macro kpi_atom(
    metric,
    sample_size,
    numerator='null',
    denominator='null',
    promoters='null',
    detractors='null',
    median_measure='null',
    site_id='site_id',
    queue='null',
    carried=[]
) -%}
    select
        report_date,
        client_id,
        cast({{ site_id }} as {{ dbt.type_string() }}) as site_id,
        team_id,
        agent_id,
        cast({{ queue }} as {{ dbt.type_string() }}) as queue,
        '{{ metric }}' as metric,
        cast({{ numerator }} as {{ kpi_type_exact() }}) as numerator,
        cast({{ denominator }} as {{ kpi_type_exact() }}) as denominator,
        cast({{ sample_size }} as bigint) as sample_size,
        cast({{ promoters }} as bigint) as promoters,
        cast({{ detractors }} as bigint) as detractors,
        cast({{ median_measure }} as {{ kpi_type_double() }}) as median_measure
        {%- for column in carried %},
        {{ column }}
        {%- endfor %}
{%- endmacro %}


{#- The atoms of `atoms` (a relation or a parenthesized select with site_id) with their
    credited site's sourcing and location_type: the staffing levels of kpi_metrics. -#}
{% macro kpi_staffed_atoms(atoms, columns='atoms.*') -%}
    select
        {{ columns }},
        staffing_sites.sourcing,
        staffing_sites.location_type
    from {{ atoms }} as atoms
    left join {{ ref('dim_site') }} as staffing_sites
        on atoms.site_id = staffing_sites.site_id
{%- endmacro %}
