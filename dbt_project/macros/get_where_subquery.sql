{#-
    dbt's get_where_subquery (how a data test's `where` config filters the tested model),
    overridden for one named condition: `where: written_since_last_publish` becomes the
    SQL of the macro of that name. Any other `where` works as in dbt.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == 'written_since_last_publish' and execute -%}
        {%- set where = written_since_last_publish() -%}
    {%- endif -%}
    {%- if where and where != 'written_since_last_publish' -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
