{#- Fails on every row whose (columns) are all non-null and have no match in (to_columns) of `to`:
    a relationships test for a composite key, e.g. (client_id, customer_id). -#}
{% test composite_relationships(model, columns, to, to_columns) %}

    with

    child_rows as (
        select {{ columns | join(', ') }}
        from {{ model }}
        where
            {%- for column in columns %}
                {{ 'and ' if not loop.first }}{{ column }} is not null
            {%- endfor %}
    ),

    parent_rows as (
        select {{ to_columns | join(', ') }}
        from {{ to }}
    )

    select child_rows.*
    from child_rows
    left join parent_rows
        on
            {%- for column in columns %}
                {{ 'and ' if not loop.first }}child_rows.{{ column }} = parent_rows.{{ to_columns[loop.index0] }}
            {%- endfor %}
    where parent_rows.{{ to_columns[0] }} is null

{% endtest %}
