{#- Casts used by the staging models. Raw columns are text exactly as landed; these turn them
    into typed values. Casts are strict on purpose: a value that does not parse fails the build
    with DuckDB's message naming the value, rather than silently becoming null. -#}

{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro to_date(column) -%}
    cast(nullif(trim({{ column }}), '') as date)
{%- endmacro %}

{#- `YYYY-MM` -> first day of that month. -#}
{% macro period_to_month(column) -%}
    cast(nullif(trim({{ column }}), '') || '-01' as date)
{%- endmacro %}

{#- true/false (also t/f/1/0, any case). -#}
{% macro to_boolean(column) -%}
    cast(lower(nullif(trim({{ column }}), '')) as boolean)
{%- endmacro %}

{% macro to_integer(column) -%}
    cast(nullif(trim({{ column }}), '') as integer)
{%- endmacro %}

{#- Money in SEK: decimal(18,2), never float. -#}
{% macro to_amount_sek(column) -%}
    cast(nullif(trim({{ column }}), '') as decimal(18, 2))
{%- endmacro %}

{% macro to_decimal(column, precision, scale) -%}
    cast(nullif(trim({{ column }}), '') as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
