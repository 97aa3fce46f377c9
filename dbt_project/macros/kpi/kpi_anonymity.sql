{#-
    Employee anonymity against subtraction (docs/metrics.md, "Employees"). The splits of
    a parent level into a child level over which complementary suppression holds, and the
    parent-child edges the employee atoms give them. Used by int_kpi_employee_anonymity
    (which hides rows) and by the data test kpi_anonymity_not_recoverable (which proves it).
-#}

{#- Every way of splitting a parent into children: (parent_level, child_level). A child
    belongs to the parent its atoms name (a team to its site and its client, a site to its
    sourcing and location type). Adding a level adds its splits here, one line each. -#}
{% macro kpi_anonymity_splits() %}
    {{ return([
        ('site', 'team'),
        ('client', 'team'),
        ('sourcing', 'site'),
        ('location_type', 'site'),
        ('all', 'client'),
        ('all', 'site'),
        ('all', 'sourcing'),
        ('all', 'location_type'),
    ]) }}
{% endmacro %}


{#- The parent-child edges of every split, per metric and month, from an atoms relation
    (report_date, metric and the level columns; the site's sourcing and location type are
    joined here): one row per (metric, period_start, parent_level, parent_id, child_level,
    child_id) where both are named. -#}
{% macro kpi_anonymity_edges(atoms) -%}
    {%- set level_columns = kpi_level_columns() -%}
    {%- for parent_level, child_level in kpi_anonymity_splits() %}
    select distinct
        metric,
        {{ kpi_period_start('report_date', "'month'") }} as period_start,
        '{{ parent_level }}' as parent_level,
        {{ level_columns[parent_level] or "'all'" }} as parent_id,
        '{{ child_level }}' as child_level,
        {{ level_columns[child_level] or "'all'" }} as child_id
    from ({{ kpi_staffed_atoms(atoms) }}) as staffed_atoms
    where
        report_date is not null
        and {{ level_columns[parent_level] or "'all'" }} is not null
        and {{ level_columns[child_level] or "'all'" }} is not null
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
