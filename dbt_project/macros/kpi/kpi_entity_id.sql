{#- The column of the facts that names the entity of each level (none: every row is in
    the one entity 'all'). -#}
{% macro kpi_level_columns() %}
    {{ return({
        'agent': 'agent_id',
        'team': 'team_id',
        'site': 'site_id',
        'client': 'client_id',
        'all': none,
    }) }}
{% endmacro %}

{#- The entity a credited row belongs to at `level_expression`:
    agent_id, team_id, site_id, client_id, or 'all'. NULL (not credited) when
    the fact has no agent / team / site. -#}
{% macro kpi_entity_id(level_expression, relation_alias) -%}
    case {{ level_expression }}
    {%- for level, column in kpi_level_columns().items() %}
        when '{{ level }}' then {{ relation_alias ~ '.' ~ column if column else "'all'" }}
    {%- endfor %}
    end
{%- endmacro %}
