{#-
    Data tests of the large incremental models read only the rows written since the last
    publish: `config: where: written_since_last_publish` in their YAML. delete+insert on
    the key removes the old row of every key a night writes, so a duplicate can only arise
    among the rows written; the rows of a night whose checks failed are unpublished and
    tested again; a full refresh stamps (and tests) every row.

    dbt renders a test's `where` before project macros exist, so the condition is named
    there and expanded by get_where_subquery (get_where_subquery.sql) when the test runs,
    from the run ledger's source `meta.publish_history`.
-#}
{% macro written_since_last_publish() -%}
    {%- set publish_history = graph.sources.values()
        | selectattr('source_name', 'equalto', 'meta')
        | selectattr('name', 'equalto', 'publish_history')
        | first -%}
    _built_at > (
        select coalesce(max(published_at), cast('1900-01-01' as timestamp))
        from {{ lake_relation(api.Relation.create(
            database=publish_history.database,
            schema=publish_history.schema,
            identifier=publish_history.identifier
        )) }}
    )
{%- endmacro %}
