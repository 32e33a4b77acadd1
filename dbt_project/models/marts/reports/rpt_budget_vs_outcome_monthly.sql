{#- Budget and forecasts against outcome, per month and year to date, with the variance
    decomposed into volume, price (or cost level), key change and mix/residual effects that add
    up to the variance exactly, and a sentence in Swedish and English explaining each line.

    Grain: one row per fiscal year x month with outcome x plan scenario (the year's budget and
    each forecast) x service x cost type x consumer organisation, where consumer
    'UNALLOCATED' is the part of the service's cost charged to nobody (price-list
    surplus/deficit, pools not allocated). Sum rows for services, areas, groups or the city;
    cost-centre detail of every scenario is in fct_allocation. The decomposition rule is in
    int_bvo_variance_decomposed and in the README ("Budget versus outcome"). -#}

with

lines as (

    select * from {{ ref('int_bvo_variance_ytd') }}

),

sentences as (

    select * from {{ ref('int_bvo_variance_sentences') }}

),

final as (

    select
        -- ids
        lines.fiscal_year,
        lines.period_month,
        lines.plan_scenario,
        lines.plan_version,
        lines.service_id,
        lines.service_area_code,
        lines.cost_type,
        lines.consumer_org_code,

        -- attributes
        lines.service_name_sv,
        lines.service_area_name_sv,
        lines.org_name,
        lines.org_group,
        lines.org_group_sort,
        lines.decomposition_method,
        lines.plan_method,
        lines.outcome_method,
        lines.driver_code,
        lines.unit_sv,
        lines.unit_en,

        -- measures, month
        lines.plan_sek,
        lines.outcome_sek,
        lines.variance_sek,
        lines.volume_effect_sek,
        lines.price_effect_sek,
        lines.key_effect_sek,
        lines.mix_residual_sek,
        lines.plan_volume,
        lines.outcome_volume,
        lines.plan_volume_annual,

        -- measures, year to date
        lines.plan_ytd_sek,
        lines.outcome_ytd_sek,
        lines.variance_ytd_sek,
        lines.volume_effect_ytd_sek,
        lines.price_effect_ytd_sek,
        lines.key_effect_ytd_sek,
        lines.mix_residual_ytd_sek,
        lines.plan_volume_ytd,
        lines.outcome_volume_ytd,

        -- measures, full year
        lines.plan_full_year_sek,

        -- text
        sentences.sentence_sv,
        sentences.sentence_en,
        sentences.sentence_ytd_sv,
        sentences.sentence_ytd_en,

        -- flags
        lines.is_latest_forecast,
        lines.has_plan,
        lines.is_uncharged,
        lines.is_adjustment

    from lines
    left join sentences
        on sentences.fiscal_year = lines.fiscal_year
        and sentences.period_month = lines.period_month
        and sentences.plan_scenario = lines.plan_scenario
        and sentences.service_id = lines.service_id
        and sentences.cost_type = lines.cost_type
        and sentences.consumer_org_code = lines.consumer_org_code

)

select * from final
