{#-
    Rebuilding the KPI marts from a floor (kpi_metrics, kpi_intervals, kpi_scorecard and
    the largest wide mart, kpi_agent_daily).

    A night, or a run during the day, changes few periods: those holding the dates of the
    facts it wrote, and those whose is_complete flips because an entity's partial day
    moved. These incremental models recompute only the periods from a floor on (per
    grain, the period holding the floor and every later one) and replace the table's
    rows from there (strategy replace_from_first_period); the rows before stay as the
    previous builds wrote them. A row carries _built_at, the start of the dbt build that
    wrote it. kpi_metrics' and kpi_intervals' floor is the earliest of
      - the dates of the facts written since the table's last build (facts' _built_at
        after the table's greatest _built_at), and
      - the start of every previous row whose is_complete this build's partial days
        would flip;
    kpi_scorecard and kpi_agent_daily recompute the kpi_metrics rows written since their
    own last build.

    kpi_rebuild_plan() says when the previous rows cannot stand and the table is rebuilt
    whole (should_full_refresh below): a full refresh, Spark (every model is rebuilt
    there), a previous table without _built_at or empty, or a change since its last build
    that can move facts between dates, entities or levels outside the facts' own new rows:
    rows loaded into any raw source other than the event sources (clients and their time
    zones, sites, teams, rosters, customers, employee surveys, mappings), or a new version
    of an event loaded before that build (a correction may move its date). The scorecard
    is rebuilt whole when every kpi_metrics row was written since its last build.
-#}

{#- The config of a model rebuilt from a floor; `rebuilt_from`: 'facts' (its floor is the
    facts' dates) or 'kpi_metrics' (the kpi_metrics rows written since). The publish step
    copies the rows written since the last publish by `published_delta_key` (the columns
    that name a period: a wide mart has no period_grain), and their months' Parquet. -#}
{% macro kpi_rebuilt_from_floor(rebuilt_from, published_delta_key=['period_grain', 'period_start']) %}
    {{ config(
        materialized='incremental',
        incremental_strategy=(
            'insert_overwrite' if target.type == 'spark' else 'replace_from_first_period'
        ),
        on_schema_change='fail',
        meta={
            'rebuilt_from': rebuilt_from,
            'published_month_column': 'period_start',
            'published_delta_key': published_delta_key,
        },
    ) }}
{% endmacro %}


{#- The raw sources of events, with their keys: a new key of these only adds facts on
    their own dates. -#}
{% macro kpi_event_sources() %}
    {{ return({
        'calls': ['call_id'],
        'tickets': ['ticket_id'],
        'surveys': ['survey_id'],
        'amazon_connect_contacts': ['contact_id'],
        'genesys_conversations': ['conversation_id'],
        'zendesk_tickets': ['ticket_id'],
        'zendesk_ticket_metrics': ['ticket_id'],
        'zendesk_satisfaction_ratings': ['rating_id'],
        'qualtrics_responses': ['survey_ref', 'response_id'],
    }) }}
{% endmacro %}


{#- {'whole': bool, 'reason': str, 'watermark': SQL timestamp literal or none} of the
    model being built, at run time (its meta rebuilt_from: 'facts' or 'kpi_metrics'). The
    model's SQL asks it, and should_full_refresh() asks it again: the same tables give
    the same answer. -#}
{% macro kpi_rebuild_plan() %}
    {%- if not execute -%}
        {{ return({'whole': true, 'reason': 'parsing', 'watermark': none}) }}
    {%- endif -%}
    {%- if target.type == 'spark' -%}
        {{ return({'whole': true, 'reason': 'Spark rebuilds every model', 'watermark': none}) }}
    {%- endif -%}
    {%- if this is none -%}
        {{ return({'whole': true, 'reason': 'a unit test', 'watermark': none}) }}
    {%- endif -%}
    {%- set rebuilt_from = (config.get('meta') or {}).get('rebuilt_from') -%}
    {%- if rebuilt_from is none -%}
        {{ return({'whole': true, 'reason': 'a table model (not rebuilt from a floor)', 'watermark': none}) }}
    {%- endif -%}
    {%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if previous is none or flags.FULL_REFRESH -%}
        {{ return({'whole': true, 'reason': 'no previous table, or a full refresh', 'watermark': none}) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(previous) | map(attribute='name') | list -%}
    {%- if '_built_at' not in columns -%}
        {{ return({'whole': true, 'reason': 'the previous table has no _built_at', 'watermark': none}) }}
    {%- endif -%}
    {%- set last_built = run_query('select max(_built_at) from ' ~ this).columns[0].values()[0] -%}
    {%- if last_built is none -%}
        {{ return({'whole': true, 'reason': 'the previous table is empty', 'watermark': none}) }}
    {%- endif -%}
    {%- set watermark = "cast('" ~ last_built ~ "' as timestamp)" -%}
    {%- if rebuilt_from == 'kpi_metrics' -%}
        {%- set kept = run_query(
            'select count(*) from ' ~ ref('kpi_metrics') ~ ' where _built_at <= ' ~ watermark
        ).columns[0].values()[0] -%}
        {{ return({
            'whole': kept == 0,
            'reason': 'every kpi_metrics row was written again' if kept == 0 else 'kpi_metrics rows written since',
            'watermark': watermark,
        }) }}
    {%- endif -%}
    {%- set events = kpi_event_sources() -%}
    {%- set checks = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
        {%- set relation = source('raw', node.name) -%}
        {%- if node.name in events -%}
            {%- set keys = events[node.name] -%}
            {#- the earlier rows probed for the new keys (a hash of the few new ones) -#}
            {%- do checks.append(
                "select '" ~ node.name ~ "' as source, count(*) as changes from " ~ relation
                ~ " where _loaded_at <= " ~ watermark ~ " and (" ~ keys | join(', ')
                ~ ") in (select " ~ keys | join(', ') ~ " from " ~ relation
                ~ " where _loaded_at > " ~ watermark ~ ")"
            ) -%}
        {%- else -%}
            {%- do checks.append(
                "select '" ~ node.name ~ "' as source, count(*) as changes from " ~ relation
                ~ " where _loaded_at > " ~ watermark
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set changed = run_query(
        'select source from (' ~ checks | join(' union all ') ~ ') where changes > 0 order by source'
    ).columns[0].values() -%}
    {%- if changed | length > 0 -%}
        {{ return({
            'whole': true,
            'reason': 'raw.' ~ changed[0] ~ ' has rows that may move facts',
            'watermark': watermark,
        }) }}
    {%- endif -%}
    {{ return({'whole': false, 'reason': 'new events only', 'watermark': watermark}) }}
{% endmacro %}


{#- The floor (a 'YYYY-MM-DD' string), or none when no day changed: the least `day` of
    the selects in `day_queries` (each a select of one date column named day). -#}
{% macro kpi_rebuild_floor(day_queries) %}
    {%- set first = run_query(
        'select min(day) from (' ~ day_queries | join(' union all ') ~ ')'
    ).columns[0].values()[0] -%}
    {{ return(none if first is none else first | string) }}
{% endmacro %}


{#- A select of the `day` of every previous row (`this` as previous) whose is_complete
    would flip with this build's partial days: `is_complete` is the model's own condition
    over partial_days.partial_day (false when the entity has none). -#}
{% macro kpi_flipped_rows(day, is_complete) %}
    {{ return(
        'select ' ~ day ~ ' from ' ~ this ~ ' as previous left join '
        ~ ref('int_kpi_partial_days') ~ ' as partial_days'
        ~ ' on previous.level = partial_days.level and previous.entity_id = partial_days.entity_id'
        ~ ' where coalesce(' ~ is_complete ~ ', false) <> previous.is_complete'
    ) }}
{% endmacro %}


{#- A SQL date literal of a 'YYYY-MM-DD' string. -#}
{% macro kpi_date_literal(day) -%}
    cast('{{ day }}' as date)
{%- endmacro %}


{#- The first report date whose atoms a rebuild from `floor` reads: the start of the
    floor's ISO week or month, whichever is earlier (a literal, pushed into the scans). -#}
{% macro kpi_rebuild_atoms_from(floor) -%}
    {%- set day = modules.datetime.date.fromisoformat(floor) -%}
    {%- set week_start = day - modules.datetime.timedelta(days=day.weekday()) -%}
    {%- set month_start = day.replace(day=1) -%}
    {{ kpi_date_literal([week_start, month_start] | min) }}
{%- endmacro %}


{#- dbt's should_full_refresh(), and for the models rebuilt from a floor (config
    rebuilt_from) also when their rebuild plan is whole. -#}
{% macro should_full_refresh() %}
    {%- set full_refresh = dbt.should_full_refresh() -%}
    {%- if not full_refresh and (config.get('meta') or {}).get('rebuilt_from') is not none -%}
        {%- set full_refresh = kpi_rebuild_plan().whole -%}
    {%- endif -%}
    {{ return(full_refresh) }}
{% endmacro %}


{#- The incremental strategy of the models rebuilt from a floor: delete the table's rows
    of each grain (a table without period_grain: of its one grain) from the first period
    the new rows hold, then insert the new rows. (Their periods from the floor on are
    recomputed whole, so no row of the table from there can be left over; rows before it
    are kept.) -#}
{% macro get_incremental_replace_from_first_period_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set names = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set columns = get_quoted_csv(names) -%}
    {%- set by_grain = 'period_grain' in names -%}
    delete from {{ target }} as existing
    using (
        select {{ 'period_grain, ' if by_grain }}min(period_start) as first_start
        from {{ source }}
        {{ 'group by period_grain' if by_grain }}
    ) as rebuilt
    where {{ 'existing.period_grain = rebuilt.period_grain and ' if by_grain -}}
        existing.period_start >= rebuilt.first_start;

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{% endmacro %}


{#- The relation of an upstream model the floor queries read, by name. Not ref(): ref()
    would make it a declared input of the model (dbt's unit tests would have to give its
    rows); the model reads the facts through its family models anyway, so dbt builds
    them first. -#}
{% macro kpi_upstream_relation(name) %}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
        {{ return(api.Relation.create(
            database=node.database, schema=node.schema, identifier=node.alias or node.name
        )) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('no model named ' ~ name) }}
{% endmacro %}
