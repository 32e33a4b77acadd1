{#- One Swedish and one English sentence per line of the budget-versus-outcome report, for the
    month and for the year to date (macros/sentences.sql; the same rule as
    pipelines.lib.variance, which tests/bvo checks against every stored line).
    Amounts are taken as integer öre and volumes as integer milli-units, so every rounding is
    exact. Grain: as int_bvo_variance_ytd. -#}

with

lines as (

    select * from {{ ref('int_bvo_variance_ytd') }}

),

in_ore as (

    select
        fiscal_year,
        period_month,
        plan_scenario,
        service_id,
        cost_type,
        consumer_org_code,
        coalesce(service_name_sv, service_id) as label,
        decomposition_method,
        coalesce(has_plan, true) as has_plan,
        unit_sv,
        unit_en,
        {% for p, suffix in [('month', '_sek'), ('ytd', '_ytd_sek')] %}
        {{ sek_to_ore('variance' ~ suffix) }} as {{ p }}_total_ore,
        {{ sek_to_ore('volume_effect' ~ suffix) }} as {{ p }}_volume_ore,
        {{ sek_to_ore('price_effect' ~ suffix) }} as {{ p }}_price_ore,
        {{ sek_to_ore('key_effect' ~ suffix) }} as {{ p }}_key_ore,
        {{ sek_to_ore('mix_residual' ~ suffix) }} as {{ p }}_residual_ore,
        {% endfor %}
        -- the volume change in whole units, only on lines with a driver and a unit
        case when driver_code is not null and (plan_volume is not null or outcome_volume is not null)
            then {{ round_div('cast((coalesce(outcome_volume, 0) - coalesce(plan_volume, 0)) * 1000 as hugeint)', '1000') }}
        end as month_volume_change,
        case when driver_code is not null and (plan_volume_ytd is not null or outcome_volume_ytd is not null)
            then {{ round_div('cast((coalesce(outcome_volume_ytd, 0) - coalesce(plan_volume_ytd, 0)) * 1000 as hugeint)', '1000') }}
        end as ytd_volume_change
    from lines

),

with_decimals as (

    select
        *,
        {% for p in ['month', 'ytd'] %}
        -- one decimal unless some figure of the line reaches 100 000 SEK
        case
            when greatest(abs({{ p }}_total_ore), abs({{ p }}_volume_ore), abs({{ p }}_price_ore),
                          abs({{ p }}_key_ore), abs({{ p }}_residual_ore)) >= 10000000 then 0
            else 1
        end as {{ p }}_decimals{{ ',' if not loop.last }}
        {% endfor %}
    from in_ore

),

rounded as (

    select
        *,
        {% for p in ['month', 'ytd'] %}
        {% for part in ['total', 'volume', 'price', 'key', 'residual'] %}
        {{ ore_to_tkr_units(p ~ '_' ~ part ~ '_ore', p ~ '_decimals') }} as {{ p }}_{{ part }}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}
    from with_decimals

),

final as (

    select
        fiscal_year,
        period_month,
        plan_scenario,
        service_id,
        cost_type,
        consumer_org_code,
        {{ variance_sentence('month', 'sv') }} as sentence_sv,
        {{ variance_sentence('month', 'en') }} as sentence_en,
        {{ variance_sentence('ytd', 'sv') }} as sentence_ytd_sv,
        {{ variance_sentence('ytd', 'en') }} as sentence_ytd_en
    from rounded

)

select
    fiscal_year,
    period_month,
    plan_scenario,
    service_id,
    cost_type,
    consumer_org_code,
    sentence_sv,
    sentence_en,
    sentence_ytd_sv,
    sentence_ytd_en
from final
