{#-
    fact_rows_to_rebuild(key_column, attribution_date_column, watermark) emits CTEs for
    the is_incremental() branch of an incremental fact (`this`); `watermark` is
    incremental_watermark(), the last raw load the fact has seen:

      - rows_to_rebuild: keys of rows ALREADY in the fact whose attribution may have changed
                         since, although their own raw rows did not:
          1. the agent's roster changed: a roster snapshot of the agent was loaded after the
             watermark. A snapshot as of D changes the agent's team from D on (its validity
             range starts at D; for the agent's first snapshot at 1900-01-01), so only rows
             with attribution date >= that range's valid_from are rebuilt;
          2. the team's site changed (stored site_id differs from dim_team);
          3. the client's reporting_timezone changed (stored reporting_timezone differs from
             dim_client), which moves report dates.

    The model adds the keys whose own raw rows were (re)loaded after the watermark. It must
    declare `-- depends_on:` for dim_client, dim_team and int_agents_teams_historized (refs
    inside is_incremental() are not seen at parse time).
-#}
{% macro fact_rows_to_rebuild(key_column, attribution_date_column, watermark) -%}
    agents_with_changed_roster as (
        select
            agent_team_ranges.agent_id,
            min(agent_team_ranges.valid_from) as rebuild_from
        from {{ ref('int_agents_teams_historized') }} as agent_team_ranges
        where agent_team_ranges._loaded_at > {{ watermark }}
        group by agent_team_ranges.agent_id
    ),

    rows_to_rebuild as (
        select existing_rows.{{ key_column }}
        from {{ this }} as existing_rows
        inner join agents_with_changed_roster
            on
                existing_rows.agent_id = agents_with_changed_roster.agent_id
                and existing_rows.{{ attribution_date_column }} >= agents_with_changed_roster.rebuild_from
        union
        select existing_rows.{{ key_column }}
        from {{ this }} as existing_rows
        inner join {{ ref('dim_team') }} as current_teams
            on existing_rows.team_id = current_teams.team_id
        where coalesce(existing_rows.site_id, '') <> current_teams.site_id
        union
        select existing_rows.{{ key_column }}
        from {{ this }} as existing_rows
        inner join {{ ref('dim_client') }} as current_clients
            on existing_rows.client_id = current_clients.client_id
        where coalesce(existing_rows.reporting_timezone, '') <> current_clients.reporting_timezone
    )
{%- endmacro %}

{#-
    fact_rows_to_build(relation, key_column, loaded_at_columns, watermark, rebuilt_rows=none):
    the rows of `relation` an incremental fact writes. A full build: all of them.
    Incremental: the rows with any of `loaded_at_columns` after the watermark, plus the keys
    of rows_to_rebuild (fact_rows_to_rebuild). One branch per condition, united: each branch
    filters on one column against a literal, which DuckDB pushes into the table scans (an OR
    of them would read every row).

    The keys of rows_to_rebuild are picked from `relation` after its joins, unless
    `rebuilt_rows` gives a query of the same rows that picks them before (see
    attributed_survey_responses).
-#}
{% macro fact_rows_to_build(relation, key_column, loaded_at_columns, watermark, rebuilt_rows=none) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
        where {{ loaded_at_columns[0] }} > {{ watermark }}
        {%- for column in loaded_at_columns[1:] %}
    union
    select * from {{ relation }}
    where {{ column }} > {{ watermark }}
        {%- endfor %}
    union
        {%- if rebuilt_rows is none %}
    select * from {{ relation }}
    where {{ key_column }} in (select rows_to_rebuild.{{ key_column }} from rows_to_rebuild)
        {%- else %}
    select * from ({{ rebuilt_rows }}) as rebuilt_rows
        {%- endif %}
    {%- endif %}
{%- endmacro %}
