{#- Engine-specific pieces of the KPI layer, dispatched so another engine can
    supply its own (the KPI SQL itself stays portable). -#}

{#- The 8-byte floating point type of the kpi_metrics contract. -#}
{% macro kpi_type_double() -%}
    {{ return(adapter.dispatch('kpi_type_double')()) }}
{%- endmacro %}

{% macro default__kpi_type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{% macro duckdb__kpi_type_double() -%}
    {{ return('double') }}
{%- endmacro %}

{% macro spark__kpi_type_double() -%}
    {{ return('double') }}
{%- endmacro %}


{#- The exact numeric type in which kpi_metrics sums numerators and denominators
    (fractional handle seconds and first-response minutes included) before one cast
    to kpi_type_double(). Floating-point addition depends on the order of the rows, which
    differs between an incremental build and a full refresh (or between two runs on
    several threads); an exact sum does not, so the same facts always publish the same
    bits. Scale 9: a fact's measure is rounded to 1e-9 once, 29 integer digits remain. -#}
{% macro kpi_type_exact() -%}
    {{ return(adapter.dispatch('kpi_type_exact')()) }}
{%- endmacro %}

{% macro default__kpi_type_exact() -%}
    {{ return('decimal(38, 9)') }}
{%- endmacro %}
