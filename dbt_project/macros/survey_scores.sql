{#-
    Survey scores arrive as text exactly as the survey tool wrote them. These macros
    are the only place a score is parsed and validated. A whole number is that number
    however it is written: `9`, `9.0` (pandas writes an integer column with a gap as
    floats; Parquet and JSON floats arrive as `9.0`); `9.5` is not an integer (a float's `NaN`
    is no score: the loader stores it as NULL); the scales come from
    var('survey_scales') and the CSAT labels from var('csat_labels')
    (dbt_project.yml), never from literals.

    `survey_type` is a SQL expression naming the scale: a column (`survey_type`) or a
    quoted literal (`'esat'`).
-#}

{#- The integer a score text stands for, or NULL when it is not an integer. CSAT labels
    are matched case-insensitively after trimming. Off-scale integers are returned as
    they are (see survey_score_invalid_reason). -#}
{% macro survey_score_as_integer(score_text, survey_type) -%}
    {%- set trimmed = 'trim(' ~ score_text ~ ')' -%}
    case
        {%- for label, value in var('csat_labels').items() %}
        when {{ survey_type }} = 'csat' and lower({{ trimmed }}) = '{{ label | lower | trim | replace("'", "''") }}' then {{ value | int }}
        {%- endfor %}
        when {{ is_integer_text(trimmed) }} then {{ dbt.safe_cast(trimmed, dbt.type_bigint()) }}
    end
{%- endmacro %}

{#- True when an integer lies on the scale of its survey type (bounds inclusive).
    `score_scale` (optional): a SQL expression, 'configured' (the survey type's scale) or
    'two_point' (a vendor's good / bad answer: 1 = bad, 2 = good, e.g. Zendesk CSAT). -#}
{% macro survey_score_is_on_scale(score_integer, survey_type, score_scale=none) -%}
    {%- if score_scale is not none %}
    case when {{ score_scale }} = 'two_point' then {{ score_integer }} between 1 and 2 else
    {%- endif %}
    case {{ survey_type }}
        {%- for name, scale in var('survey_scales').items() %}
        when '{{ name }}' then {{ score_integer }} between {{ scale['min_score'] | int }} and {{ scale['max_score'] | int }}
        {%- endfor %}
        else false
    end
    {%- if score_scale is not none %}
    end
    {%- endif %}
{%- endmacro %}

{#- Why an answered score is invalid: NULL (valid, or not answered), 'empty_score',
    'not_an_integer' ('7.5', 'great') or 'off_scale' ('11', '-1', CSAT '0'). -#}
{% macro survey_score_invalid_reason(score_text, score_integer, survey_type, is_responded, score_scale=none) -%}
    case
        when not ({{ is_responded }}) then null
        when {{ score_text }} is null or trim({{ score_text }}) = '' then 'empty_score'
        when {{ score_integer }} is null and {{ is_integer_text('trim(' ~ score_text ~ ')') }} then 'off_scale'
        when {{ score_integer }} is null then 'not_an_integer'
        when not ({{ survey_score_is_on_scale(score_integer, survey_type, score_scale) }}) then 'off_scale'
    end
{%- endmacro %}

{#- The valid score as INTEGER, NULL when not answered or invalid. -#}
{% macro survey_score_value(score_integer, invalid_reason, is_responded) -%}
    case
        when ({{ is_responded }}) and {{ invalid_reason }} is null
            then cast({{ score_integer }} as {{ dbt.type_int() }})
    end
{%- endmacro %}

{#- True when a (trimmed) text is a whole number: an optional minus sign, digits, and
    optionally a decimal point followed by zeros only (`9`, `9.0`, `9.`). -#}
{% macro is_integer_text(text) -%}
    {{ return(adapter.dispatch('is_integer_text', 'cx_warehouse')(text)) }}
{%- endmacro %}

{% macro default__is_integer_text(text) -%}
    ({{ text }} ~ '^-?[0-9]+([.]0*)?$')
{%- endmacro %}

{% macro duckdb__is_integer_text(text) -%}
    regexp_full_match({{ text }}, '-?[0-9]+([.]0*)?')
{%- endmacro %}

{% macro spark__is_integer_text(text) -%}
    ({{ text }} rlike '^-?[0-9]+([.]0*)?$')
{%- endmacro %}

{#- The "top two boxes" of a scale: true when a valid score is one of the two highest
    points of var('survey_scales')[scale] (on a two-point scale, the top one): CSAT
    satisfied, eSAT satisfied. NULL when the score is NULL. `score_scale` (optional): a SQL
    expression; a row whose score_scale is 'two_point' (1 = bad, 2 = good) counts its top
    point only. -#}
{% macro score_is_top_two_boxes(score, scale, score_scale=none) -%}
    {%- set bounds = var('survey_scales')[scale] -%}
    {%- set points = (bounds['max_score'] | int) - (bounds['min_score'] | int) + 1 -%}
    {%- set cut_off = (bounds['max_score'] | int) - (1 if points > 2 else 0) -%}
    {%- if score_scale is not none -%}
    (case when {{ score_scale }} = 'two_point' then {{ score }} >= 2 else {{ score }} >= {{ cut_off }} end)
    {%- else -%}
    ({{ score }} >= {{ cut_off }})
    {%- endif -%}
{%- endmacro %}

{#- The "bottom two boxes": one of the two lowest points of the scale (on a two-point
    scale, the bottom one): CES low effort. NULL when the score is NULL. -#}
{% macro score_is_bottom_two_boxes(score, scale) -%}
    {%- set bounds = var('survey_scales')[scale] -%}
    {%- set points = (bounds['max_score'] | int) - (bounds['min_score'] | int) + 1 -%}
    ({{ score }} <= {{ (bounds['min_score'] | int) + (1 if points > 2 else 0) }})
{%- endmacro %}

{#- NPS promoters (9, 10) and detractors (0..6): the net score is defined on 0..10 only,
    and the settings refuse any other NPS or eNPS scale. -#}
{% macro score_is_promoter(score) -%}
    ({{ score }} >= 9)
{%- endmacro %}

{% macro score_is_detractor(score) -%}
    ({{ score }} <= 6)
{%- endmacro %}
