{#- Each service's variance against a plan scenario, year to date through each month: the sum of
    its rpt_budget_vs_outcome_monthly lines (every consumer, both cost types and the uncharged
    part, so that it is the service's whole pool), its four components and the sentence that
    says it (sv, en), written by the one sentence generator (macros/sentences.sql). A
    city-wide figure, the same for every role; the dashboards show it and compute nothing.

    Grain: one row per fiscal year x month x plan scenario x service. -#}

with

lines as (

    select * from {{ ref('rpt_budget_vs_outcome_monthly') }}

),

per_service as (

    select
        fiscal_year,
        period_month,
        plan_scenario,
        service_id,
        max(service_name_sv) as service_name_sv,
        max(decomposition_method) filter (where not is_uncharged) as decomposition_method,
        max(driver_code) as driver_code,
        max(unit_sv) as unit_sv,
        max(unit_en) as unit_en,
        bool_or(has_plan) as has_plan,
        cast(sum(plan_ytd_sek) as decimal(18, 2)) as plan_ytd_sek,
        cast(sum(outcome_ytd_sek) as decimal(18, 2)) as outcome_ytd_sek,
        cast(sum(variance_ytd_sek) as decimal(18, 2)) as variance_ytd_sek,
        cast(sum(volume_effect_ytd_sek) as decimal(18, 2)) as volume_effect_ytd_sek,
        cast(sum(price_effect_ytd_sek) as decimal(18, 2)) as price_effect_ytd_sek,
        cast(sum(key_effect_ytd_sek) as decimal(18, 2)) as key_effect_ytd_sek,
        cast(sum(mix_residual_ytd_sek) as decimal(18, 2)) as mix_residual_ytd_sek,
        -- volumes of the consumers only: the uncharged part has none
        cast(sum(plan_volume_ytd) filter (where not is_uncharged) as decimal(18, 3)) as plan_volume_ytd,
        cast(sum(outcome_volume_ytd) filter (where not is_uncharged) as decimal(18, 3)) as outcome_volume_ytd
    from lines
    group by fiscal_year, period_month, plan_scenario, service_id

),

labelled as (

    select
        *,
        -- mapped to no service: the unallocated pool has no name of its own
        coalesce(service_name_sv, case when service_id = 'UNALLOCATED' then 'Ej fördelat' end, service_id)
            as label
    from per_service

),

sentences as (

    {{ variance_sentences('labelled', ['fiscal_year', 'period_month', 'plan_scenario', 'service_id'], ['ytd']) }}

)

select
    labelled.fiscal_year,
    labelled.period_month,
    labelled.plan_scenario,
    labelled.service_id,
    labelled.service_name_sv,
    labelled.label,
    labelled.decomposition_method,
    labelled.driver_code,
    labelled.unit_sv,
    labelled.unit_en,
    labelled.has_plan,
    labelled.plan_ytd_sek,
    labelled.outcome_ytd_sek,
    labelled.variance_ytd_sek,
    labelled.volume_effect_ytd_sek,
    labelled.price_effect_ytd_sek,
    labelled.key_effect_ytd_sek,
    labelled.mix_residual_ytd_sek,
    labelled.plan_volume_ytd,
    labelled.outcome_volume_ytd,
    sentences.sentence_ytd_sv,
    sentences.sentence_ytd_en
from labelled
inner join sentences
    on sentences.period_month = labelled.period_month
    and sentences.plan_scenario = labelled.plan_scenario
    and sentences.service_id = labelled.service_id
