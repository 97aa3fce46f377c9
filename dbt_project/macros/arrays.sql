{#-
    Lists (DuckDB) / arrays (Spark) of the vendor records read by json_struct. Positions are
    1-based in both, as in DuckDB. `lambda_variable` names the element in `condition` or
    `expression`.

    unnest_with_index(list, index_alias, element_alias): in a SELECT list, one output row per
    element, its 1-based position as `index_alias`, the element as `element_alias`; no row
    for an empty or NULL list. The only set-returning expression of that SELECT.
-#}
{% macro unnest_with_index(list, index_alias, element_alias) -%}
    {{ return(adapter.dispatch('unnest_with_index', 'cx_warehouse')(list, index_alias, element_alias)) }}
{%- endmacro %}

{% macro default__unnest_with_index(list, index_alias, element_alias) -%}
    generate_subscripts({{ list }}, 1) as {{ index_alias }},
    unnest({{ list }}) as {{ element_alias }}
{%- endmacro %}

{% macro spark__unnest_with_index(list, index_alias, element_alias) -%}
    inline(transform({{ list }}, (list_element, list_index) -> struct(list_index + 1, list_element)))
        as ({{ index_alias }}, {{ element_alias }})
{%- endmacro %}

{#- list_element(list, position): the element at the 1-based position; NULL when there is none. -#}
{% macro list_element(list, position) -%}
    {{ return(adapter.dispatch('list_element', 'cx_warehouse')(list, position)) }}
{%- endmacro %}

{% macro default__list_element(list, position) -%}
    {{ list }}[{{ position }}]
{%- endmacro %}

{% macro spark__list_element(list, position) -%}
    try_element_at({{ list }}, {{ position }})
{%- endmacro %}

{#- list_filter(list, lambda_variable, condition): the elements for which `condition` is true, in order. -#}
{% macro list_filter(list, lambda_variable, condition) -%}
    {{ return(adapter.dispatch('list_filter', 'cx_warehouse')(list, lambda_variable, condition)) }}
{%- endmacro %}

{% macro default__list_filter(list, lambda_variable, condition) -%}
    list_filter({{ list }}, lambda {{ lambda_variable }}: {{ condition }})
{%- endmacro %}

{% macro spark__list_filter(list, lambda_variable, condition) -%}
    filter({{ list }}, {{ lambda_variable }} -> {{ condition }})
{%- endmacro %}

{#- list_transform(list, lambda_variable, expression): `expression` of every element, in order. -#}
{% macro list_transform(list, lambda_variable, expression) -%}
    {{ return(adapter.dispatch('list_transform', 'cx_warehouse')(list, lambda_variable, expression)) }}
{%- endmacro %}

{% macro default__list_transform(list, lambda_variable, expression) -%}
    list_transform({{ list }}, lambda {{ lambda_variable }}: {{ expression }})
{%- endmacro %}

{% macro spark__list_transform(list, lambda_variable, expression) -%}
    transform({{ list }}, {{ lambda_variable }} -> {{ expression }})
{%- endmacro %}

{#-
    list_contains(list, value): whether the list holds `value` (NULL elements are no match:
    false, not NULL, when it does not); NULL for a NULL list.
-#}
{% macro list_contains(list, value) -%}
    {{ return(adapter.dispatch('list_contains', 'cx_warehouse')(list, value)) }}
{%- endmacro %}

{% macro default__list_contains(list, value) -%}
    list_contains({{ list }}, {{ value }})
{%- endmacro %}

{% macro spark__list_contains(list, value) -%}
    array_contains(array_compact({{ list }}), {{ value }})
{%- endmacro %}

{#- list_sum(list): the sum (DOUBLE) of the non-NULL numbers of the list; NULL when there is none. -#}
{% macro list_sum(list) -%}
    {{ return(adapter.dispatch('list_sum', 'cx_warehouse')(list)) }}
{%- endmacro %}

{% macro default__list_sum(list) -%}
    list_sum({{ list }})
{%- endmacro %}

{% macro spark__list_sum(list) -%}
    aggregate({{ list }}, cast(null as double), (list_total, list_element) -> case
        when list_element is null then list_total else coalesce(list_total, 0) + list_element
    end)
{%- endmacro %}

{#- list_max(list): the greatest non-NULL element; NULL when there is none. -#}
{% macro list_max(list) -%}
    {{ return(adapter.dispatch('list_max', 'cx_warehouse')(list)) }}
{%- endmacro %}

{% macro default__list_max(list) -%}
    list_max({{ list }})
{%- endmacro %}

{% macro spark__list_max(list) -%}
    array_max({{ list }})
{%- endmacro %}

{#-
    first_ordered(value, order_by): the aggregate `value` of the group's first row in the
    order of the expressions `order_by` (a list, each ascending, NULLs last); a FILTER
    (WHERE ...) clause may follow. Ties: any of the tied rows.
-#}
{% macro first_ordered(value, order_by) -%}
    {{ return(adapter.dispatch('first_ordered', 'cx_warehouse')(value, order_by)) }}
{%- endmacro %}

{% macro default__first_ordered(value, order_by) -%}
    first({{ value }} order by {{ order_by | join(' asc, ') }} asc)
{%- endmacro %}

{#- min_by skips a NULL key: the key is a struct (never NULL) with `<expr> is null` first for NULLs last. -#}
{% macro spark__first_ordered(value, order_by) -%}
    min_by({{ value }}, struct(
        {%- for expression in order_by -%}
            {{ expression }} is null, {{ expression }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    ))
{%- endmacro %}
