{#- The column of the metric atoms that names the entity of each level (none: every row
    is in the one entity 'all'). sourcing and location_type are the credited site's
    (kpi_staffed_atoms); queue is the call's queue. -#}
{% macro kpi_level_columns() %}
    {{ return({
        'agent': 'agent_id',
        'team': 'team_id',
        'site': 'site_id',
        'sourcing': 'sourcing',
        'location_type': 'location_type',
        'queue': 'queue',
        'client': 'client_id',
        'all': none,
    }) }}
{% endmacro %}

{#- The entity a credited row belongs to at `level_expression`:
    agent_id, team_id, site_id, the site's sourcing or location_type, the queue, client_id,
    or 'all'. NULL (not credited) when the fact has no agent / team / site / queue. -#}
{% macro kpi_entity_id(level_expression, relation_alias) -%}
    case {{ level_expression }}
    {%- for level, column in kpi_level_columns().items() %}
        when '{{ level }}' then {{ relation_alias ~ '.' ~ column if column else "'all'" }}
    {%- endfor %}
    end
{%- endmacro %}
