{#- The words and number formats of the budget-versus-outcome sentences: the one generator of
    these sentences (the marts store them; the dashboards show them and write none):
    'IT-arbetsplats +412 tkr: +260 tkr volym (+1 180 arbetsplatsmånader), +120 tkr pris'.
    Figures are whole tkr, or tkr with one decimal when every figure of the line is below
    100 000 SEK; rounding is half away from zero; components that round to zero are left out.
    Swedish groups thousands with a no-break space and writes a decimal comma (babel sv_SE),
    English a comma and a point (en_GB). tests/bvo/test_sentences.py runs them in DuckDB. -#}

{% macro sentence_word(lang, word) -%}
    {%- set words = {
        'sv': {'tkr': 'tkr', 'volume': 'volym', 'price_driver': 'pris', 'price_key': 'kostnadsnivå',
               'key': 'ändrad fördelning', 'residual': 'övrigt', 'unplanned': 'ej i planen',
               'none': 'ingen avvikelse', 'group': '\u00a0', 'decimal': ','},
        'en': {'tkr': 'kSEK', 'volume': 'volume', 'price_driver': 'price', 'price_key': 'cost level',
               'key': 'key change', 'residual': 'other', 'unplanned': 'not in the plan',
               'none': 'no variance', 'group': ',', 'decimal': '.'},
    } -%}
    {{- words[lang][word] -}}
{%- endmacro %}

{#- An integer `units` (whole units, or tenths when `decimals` is 1) as '+1 180', '-0,4', '0'. -#}
{% macro signed_number(units, decimals, lang) -%}
    (case when ({{ units }}) > 0 then '+' when ({{ units }}) < 0 then '-' else '' end
     || replace(format('{:,}', case when ({{ decimals }}) = 1 then abs({{ units }}) // 10 else abs({{ units }}) end),
                ',', '{{ sentence_word(lang, "group") }}')
     || case when ({{ decimals }}) = 1 then '{{ sentence_word(lang, "decimal") }}' || cast(abs({{ units }}) % 10 as varchar) else '' end)
{%- endmacro %}

{#- öre -> rounded tkr units (whole tkr, or tenths of a tkr when `decimals` is 1). -#}
{% macro ore_to_tkr_units(ore, decimals) -%}
    (case when ({{ decimals }}) = 1 then {{ round_div(ore, '10000') }} else {{ round_div(ore, '100000') }} end)
{%- endmacro %}

{#- '+412 tkr' for rounded units. -#}
{% macro tkr_text(units, decimals, lang) -%}
    ({{ signed_number(units, decimals, lang) }} || '{{ "\u00a0" }}{{ sentence_word(lang, "tkr") }}')
{%- endmacro %}

{#- The plural of a driver unit as the drivers table writes it (singular). -#}
{% macro plural_unit(unit, lang) -%}
    {%- if lang == 'en' -%}
    (case when {{ unit }} like '%s' then {{ unit }} else {{ unit }} || 's' end)
    {%- else -%}
    (case
        when {{ unit }} like '%månad' then {{ unit }} || 'er'
        when {{ unit }} like '%faktura' then substr({{ unit }}, 1, length({{ unit }}) - 1) || 'or'
        else {{ unit }}
    end)
    {%- endif -%}
{%- endmacro %}

{#- The sentence of a line whose figures were prepared by int_bvo_variance_sentences with the
    column prefix `p` (month or ytd): {p}_decimals, {p}_total, {p}_volume, {p}_price, {p}_key,
    {p}_residual (rounded tkr units) and {p}_volume_change (whole driver units, null when the
    line has no driver or unit). -#}
{% macro variance_sentence(p, lang) -%}
    {%- set unit = 'unit_' ~ lang -%}
    {%- set part -%}{{ p }}_decimals{%- endset -%}
    (label || ' ' || {{ tkr_text(p ~ '_total', part, lang) }} || ': ' || case
        when not has_plan then '{{ sentence_word(lang, "unplanned") }}'
        when {{ p }}_volume = 0 and {{ p }}_price = 0 and {{ p }}_key = 0 and {{ p }}_residual = 0
            then '{{ sentence_word(lang, "none") }}'
        else concat_ws(', ',
            case when {{ p }}_volume <> 0 then
                {{ tkr_text(p ~ '_volume', part, lang) }} || ' {{ sentence_word(lang, "volume") }}'
                || case when {{ unit }} is not null and coalesce({{ p }}_volume_change, 0) <> 0 then
                    ' (' || {{ signed_number(p ~ '_volume_change', '0', lang) }} || ' '
                    || case when abs({{ p }}_volume_change) = 1 then {{ unit }}
                            else {{ plural_unit(unit, lang) }} end
                    || ')'
                   else '' end
            end,
            case when {{ p }}_price <> 0 then
                {{ tkr_text(p ~ '_price', part, lang) }} || ' ' || case when decomposition_method = 'driver'
                    then '{{ sentence_word(lang, "price_driver") }}' else '{{ sentence_word(lang, "price_key") }}' end
            end,
            case when {{ p }}_key <> 0 then
                {{ tkr_text(p ~ '_key', part, lang) }} || ' {{ sentence_word(lang, "key") }}'
            end,
            case when {{ p }}_residual <> 0 then
                {{ tkr_text(p ~ '_residual', part, lang) }} || ' {{ sentence_word(lang, "residual") }}'
            end)
    end)
{%- endmacro %}

{#- The month and/or year-to-date sentences (sv, en) of every row of `relation`, which has the
    columns `keys`, label, decomposition_method, has_plan, unit_sv, unit_en, driver_code, and per
    period the amounts in SEK (month: variance_sek, volume_effect_sek, price_effect_sek,
    key_effect_sek, mix_residual_sek, plan_volume, outcome_volume; ytd: the same with _ytd).
    Returns `keys` and sentence_sv, sentence_en (month), sentence_ytd_sv, sentence_ytd_en (ytd).
    Amounts are taken as integer öre and volumes as integer milli-units: every rounding is
    exact. -#}
{% macro variance_sentences(relation, keys, periods=['month', 'ytd']) -%}
{%- set suffix = {'month': '', 'ytd': '_ytd'} -%}
select
    {% for k in keys %}{{ k }},
    {% endfor -%}
    {% for p in periods %}
    {{ variance_sentence(p, 'sv') }} as sentence{{ suffix[p] }}_sv,
    {{ variance_sentence(p, 'en') }} as sentence{{ suffix[p] }}_en{{ ',' if not loop.last }}
    {% endfor %}
from (
    select
        *,
        {% for p in periods %}
        {% set outer = loop %}
        {% for part in ['total', 'volume', 'price', 'key', 'residual'] %}
        {{ ore_to_tkr_units(p ~ '_' ~ part ~ '_ore', p ~ '_decimals') }} as {{ p }}_{{ part }}{{ ',' if not (loop.last and outer.last) }}
        {% endfor %}
        {% endfor %}
    from (
        select
            *,
            {% for p in periods %}
            -- one decimal unless some figure of the line reaches 100 000 SEK
            case
                when greatest(abs({{ p }}_total_ore), abs({{ p }}_volume_ore), abs({{ p }}_price_ore),
                              abs({{ p }}_key_ore), abs({{ p }}_residual_ore)) >= 10000000 then 0
                else 1
            end as {{ p }}_decimals{{ ',' if not loop.last }}
            {% endfor %}
        from (
            select
                {% for k in keys %}{{ k }},
                {% endfor -%}
                label,
                decomposition_method,
                coalesce(has_plan, true) as has_plan,
                unit_sv,
                unit_en,
                {% for p in periods %}
                {% set s = suffix[p] %}
                {{ sek_to_ore('variance' ~ s ~ '_sek') }} as {{ p }}_total_ore,
                {{ sek_to_ore('volume_effect' ~ s ~ '_sek') }} as {{ p }}_volume_ore,
                {{ sek_to_ore('price_effect' ~ s ~ '_sek') }} as {{ p }}_price_ore,
                {{ sek_to_ore('key_effect' ~ s ~ '_sek') }} as {{ p }}_key_ore,
                {{ sek_to_ore('mix_residual' ~ s ~ '_sek') }} as {{ p }}_residual_ore,
                -- the volume change in whole units, only on lines with a driver
                case when driver_code is not null
                        and (plan_volume{{ s }} is not null or outcome_volume{{ s }} is not null)
                    then {{ round_div('cast((coalesce(outcome_volume' ~ s ~ ', 0) - coalesce(plan_volume' ~ s ~ ', 0)) * 1000 as hugeint)', '1000') }}
                end as {{ p }}_volume_change{{ ',' if not loop.last }}
                {% endfor %}
            from {{ relation }}
        ) as in_ore
    ) as with_decimals
) as rounded
{%- endmacro %}
