{#- The validity predicate of a versioned row (valid_from, valid_to; a null valid_to is open):
    the one place that says how a version's date range is read. See _macros.yml. -#}

{% macro is_valid_version(relation, on=none, fiscal_year=none) -%}
    {%- if (on is none) == (fiscal_year is none) -%}
        {{ exceptions.raise_compiler_error(
            "is_valid_version(" ~ relation ~ "): give exactly one of on= or fiscal_year=") }}
    {%- endif -%}
    {%- set valid_to -%} coalesce({{ relation }}.valid_to, date '9999-12-31') {%- endset -%}
    {%- if on is not none -%}
        ({{ on }} between {{ relation }}.valid_from and {{ valid_to }})
    {%- else -%}
        ({{ relation }}.valid_from <= make_date({{ fiscal_year }}, 12, 31)
            and {{ valid_to }} >= make_date({{ fiscal_year }}, 1, 1))
    {%- endif -%}
{%- endmacro %}
