{#-
    The first day that may still be partial, per entity of every KPI level: kpi_metrics
    marks a period complete (`is_complete`) when it ends before this day.

    A client's partial day is the latest local day (report date) of any of its calls,
    tickets or customer surveys (sent or responded): that day's files may still be coming.
    A client without any of them takes the earliest partial day among the clients that have
    one, as does level all. An agent, team, site or queue takes the earliest partial day
    among the clients it worked for: the clients of the calls, tickets and surveys credited
    to it (a site: also of the calls of the queues it staffs), and a team's own client
    (dim_team; a site: the clients of its teams); a sourcing value or location type: the
    clients of its sites. One row per (level,
    entity_id); partial_day is NULL only when no client has any call, ticket or survey.
-#}
-- a table: the KPI marts read it twice each (rebuild_floor and is_complete), and its tests
{{ config(materialized='table') }}
{#- each daily fact and the local day it last shows for its client -#}
{%- set daily_facts = [
    (ref('fct_calls'), 'report_date', 'queue', 'queue_site_id'),
    (ref('fct_tickets'), 'report_date', 'null', 'null'),
    (ref('fct_survey_responses'),
     'greatest(sent_report_date, coalesce(response_report_date, sent_report_date))',
     'null', 'null'),
] %}

with

fact_days as (
    {%- for relation, day, queue, queue_site_id in daily_facts %}
        select
            client_id,
            site_id,
            team_id,
            agent_id,
            cast({{ queue }} as {{ dbt.type_string() }}) as queue,
            cast({{ queue_site_id }} as {{ dbt.type_string() }}) as queue_site_id,
            max({{ day }}) as last_day
        from {{ relation }}
        group by all
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

delivered_days as (
    select
        client_id,
        max(last_day) as partial_day
    from fact_days
    where client_id is not null and last_day is not null
    group by client_id
),

earliest_day as (
    select min(partial_day) as partial_day
    from delivered_days
),

client_days as (
    select
        clients.client_id,
        coalesce(delivered_days.partial_day, earliest_day.partial_day) as partial_day
    from {{ ref('dim_client') }} as clients
    cross join earliest_day
    left join delivered_days
        on clients.client_id = delivered_days.client_id
),

entity_clients as (
    select distinct
        'agent' as level,
        agent_id as entity_id,
        client_id
    from fact_days
    where agent_id is not null
    union
    select
        'team' as level,
        team_id as entity_id,
        client_id
    from fact_days
    where team_id is not null
    union
    select
        'site' as level,
        site_id as entity_id,
        client_id
    from fact_days
    where site_id is not null
    union
    select
        'site' as level,
        queue_site_id as entity_id,
        client_id
    from fact_days
    where queue_site_id is not null
    union
    select
        'queue' as level,
        queue as entity_id,
        client_id
    from fact_days
    where queue is not null
    union
    select
        'team' as level,
        team_id as entity_id,
        client_id
    from {{ ref('dim_team') }}
    union
    select
        'site' as level,
        site_id as entity_id,
        client_id
    from {{ ref('dim_team') }}
    where site_id is not null
    union
    select
        'client' as level,
        client_id as entity_id,
        client_id
    from client_days
),

site_clients as (
    select
        entity_id,
        client_id
    from entity_clients
    where level = 'site'
),

site_staffing as (
    select
        'sourcing' as level,
        sourcing as entity_id,
        site_id
    from {{ ref('dim_site') }}
    union all
    select
        'location_type' as level,
        location_type as entity_id,
        site_id
    from {{ ref('dim_site') }}
),

-- a sourcing value or location type works for the clients of its sites
staffing_clients as (
    select
        site_staffing.level,
        site_staffing.entity_id,
        site_clients.client_id
    from site_clients
    inner join site_staffing
        on site_clients.entity_id = site_staffing.site_id
),

every_entity_client as (
    select
        level,
        entity_id,
        client_id
    from entity_clients
    union all
    select
        level,
        entity_id,
        client_id
    from staffing_clients
)

select
    cast(entity_clients.level as {{ dbt.type_string() }}) as level,
    cast(entity_clients.entity_id as {{ dbt.type_string() }}) as entity_id,
    min(client_days.partial_day) as partial_day
from every_entity_client as entity_clients
inner join client_days
    on entity_clients.client_id = client_days.client_id
group by entity_clients.level, entity_clients.entity_id
union all
select
    cast('all' as {{ dbt.type_string() }}) as level,
    cast('all' as {{ dbt.type_string() }}) as entity_id,
    partial_day
from earliest_day
