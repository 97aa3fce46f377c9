{#-
    Metric atoms of the ticket KPIs: tickets_created, frt_avg_minutes,
    frt_within_target_pct (one row per metric, report date and credited client / site /
    team / agent) and frt_median_minutes (one row per ticket: a median is not additive,
    kpi_metrics takes it over these rows per period and entity). Every created ticket
    counts; the first-response metrics only over valid first responses (a reply before
    the ticket's creation is none).
-#}
with

tickets as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        case
            when has_first_response then first_response_minutes
        end as first_response_minutes,
        coalesce(
            has_first_response and is_first_response_within_target, false
        ) as is_first_response_within_target
    from {{ ref('fct_tickets') }}
),

ticket_measures as (
    select
        report_date,
        client_id,
        site_id,
        team_id,
        agent_id,
        count(*) as created_tickets,
        count(first_response_minutes) as first_responded_tickets,
        coalesce(
            sum(cast(first_response_minutes as {{ kpi_type_exact() }})), 0
        ) as first_response_minutes,
        sum(
            case when is_first_response_within_target then 1 else 0 end
        ) as tickets_within_target
    from tickets
    group by report_date, client_id, site_id, team_id, agent_id
)

{{ kpi_atom('tickets_created', sample_size='created_tickets') }}
from ticket_measures
union all
{{ kpi_atom(
    'frt_avg_minutes',
    numerator='first_response_minutes',
    denominator='first_responded_tickets',
    sample_size='first_responded_tickets',
) }}
from ticket_measures
union all
{{ kpi_atom(
    'frt_within_target_pct',
    numerator='tickets_within_target',
    denominator='first_responded_tickets',
    sample_size='first_responded_tickets',
) }}
from ticket_measures
union all
-- every ticket, also one without a valid first response: its period and entity have a
-- median row (sample_size 0, value NULL) as they have the other ticket metrics
{{ kpi_atom(
    'frt_median_minutes',
    sample_size='case when first_response_minutes is null then 0 else 1 end',
    median_measure='first_response_minutes',
) }}
from tickets
