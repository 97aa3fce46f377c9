-- One row per (source, file, outcome, reason) of vendor records: how many records of each
-- landing file of a vendor folder were mapped onto canonical rows, skipped on purpose (a
-- chat contact, a voice ticket, a survey preview) or rejected (an unmapped queue), and how
-- many of them name an agent login that agent_identities does not know. Counts only:
-- vendor records carry personal data and never leave raw.
{%- set vendor_record_models = [
    ('amazon_connect_contacts', 'stg_amazon_connect__contacts'),
    ('genesys_conversations', 'stg_genesys__conversations'),
    ('zendesk_tickets', 'stg_zendesk__tickets'),
    ('zendesk_ticket_metrics', 'stg_zendesk__ticket_metrics'),
    ('zendesk_satisfaction_ratings', 'stg_zendesk__satisfaction_ratings'),
    ('qualtrics_responses', 'stg_qualtrics__responses'),
] %}
with

vendor_records as (
    {% for source_name, model in vendor_record_models %}
        select
            '{{ source_name }}' as source,
            _file_path as file_path,
            mapping_outcome as outcome,
            mapping_reason as reason,
            is_unknown_agent
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    source,
    file_path,
    outcome,
    reason,
    count(*) as records,
    count(*) filter (where is_unknown_agent) as unknown_agent_records
from vendor_records
group by source, file_path, outcome, reason
