{#-
    95% confidence intervals of the KPI catalogue (docs/metrics.md), written once.
    z = 1.96 is part of the definition ("95%, z = 1.96"), not a deployment setting.
-#}

{#- Wilson score interval of the proportion successes / trials, x 100:
    (p + z^2/2n -/+ z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n).
    At p = 0 the lower bound is exactly 0 and at p = 1 the upper bound exactly
    100 (the formula's value; written out so that floating point cancellation
    does not leave 4e-15). NULL when there are no trials.
    bound: 'low' or 'high'. -#}
{% macro kpi_wilson_interval(successes, trials, bound, z=1.96) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    {%- set exact_when = successes ~ ' = 0' if bound == 'low' else successes ~ ' = ' ~ trials -%}
    {%- set exact_value = '0.0' if bound == 'low' else '100.0' -%}
    {%- set n = 'cast(' ~ trials ~ ' as ' ~ kpi_type_double() ~ ')' -%}
    {%- set p = 'cast(' ~ successes ~ ' as ' ~ kpi_type_double() ~ ') / ' ~ n -%}
    case
        when {{ trials }} > 0 and {{ exact_when }} then {{ exact_value }}
        when {{ trials }} > 0
            then 100.0 * (
                ({{ p }}) + {{ z }} * {{ z }} / (2 * {{ n }})
                {{ sign }} {{ z }} * sqrt(
                    ({{ p }}) * (1 - ({{ p }})) / {{ n }}
                    + {{ z }} * {{ z }} / (4 * {{ n }} * {{ n }})
                )
            ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end
{%- endmacro %}


{#- Interval of a net score (NPS, eNPS) in points:
    score +/- 100 * z * sqrt((p + q - (p - q)^2) / n), clipped to [-100, 100],
    p = promoters / n, q = detractors / n. NULL when there are no responses. -#}
{% macro kpi_net_score_interval(promoters, detractors, responses, bound, z=1.96) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    {%- set clip = 'greatest' if bound == 'low' else 'least' -%}
    {%- set limit = '-100.0' if bound == 'low' else '100.0' -%}
    {%- set n = 'cast(' ~ responses ~ ' as ' ~ kpi_type_double() ~ ')' -%}
    {%- set p = 'cast(' ~ promoters ~ ' as ' ~ kpi_type_double() ~ ') / ' ~ n -%}
    {%- set q = 'cast(' ~ detractors ~ ' as ' ~ kpi_type_double() ~ ') / ' ~ n -%}
    case
        when {{ responses }} > 0
            then {{ clip }}(
                {{ limit }},
                100.0 * (({{ p }}) - ({{ q }}))
                {{ sign }} 100.0 * {{ z }} * sqrt(
                    (({{ p }}) + ({{ q }}) - (({{ p }}) - ({{ q }})) * (({{ p }}) - ({{ q }}))) / {{ n }}
                )
            )
    end
{%- endmacro %}
