{#-
    iso_day_of_week(date): 1 = Monday .. 7 = Sunday. iso_year(date): the ISO-8601
    week-numbering year (the year of the date's ISO week). Each engine names them its way.
-#}
{% macro iso_day_of_week(date) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'cx_warehouse')(date)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date) -%}
    extract(isodow from {{ date }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date) -%}
    extract(dayofweek_iso from {{ date }})
{%- endmacro %}

{% macro iso_year(date) -%}
    {{ return(adapter.dispatch('iso_year', 'cx_warehouse')(date)) }}
{%- endmacro %}

{% macro default__iso_year(date) -%}
    extract(isoyear from {{ date }})
{%- endmacro %}

{% macro spark__iso_year(date) -%}
    extract(yearofweek from {{ date }})
{%- endmacro %}
