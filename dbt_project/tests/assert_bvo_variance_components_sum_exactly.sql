-- Budget versus outcome: on every row of rpt_budget_vs_outcome_monthly the variance is outcome
-- - plan and its components (volume + price + key + mix/residual) add up to it exactly, to
-- the öre, for the month and for the year to date. Returns the rows where they do not.

with

lines as (

    select * from {{ ref('rpt_budget_vs_outcome_monthly') }}

),

final as (

    select
        period_month,
        plan_scenario,
        service_id,
        cost_type,
        consumer_org_code,
        variance_sek,
        outcome_sek - plan_sek as outcome_minus_plan_sek,
        volume_effect_sek + price_effect_sek + key_effect_sek + mix_residual_sek
            as components_sek,
        variance_ytd_sek,
        volume_effect_ytd_sek + price_effect_ytd_sek + key_effect_ytd_sek + mix_residual_ytd_sek
            as components_ytd_sek
    from lines
    where variance_sek is distinct from outcome_sek - plan_sek
        or variance_sek is distinct from
            volume_effect_sek + price_effect_sek + key_effect_sek + mix_residual_sek
        or variance_ytd_sek is distinct from outcome_ytd_sek - plan_ytd_sek
        or variance_ytd_sek is distinct from
            volume_effect_ytd_sek + price_effect_ytd_sek + key_effect_ytd_sek + mix_residual_ytd_sek

)

select * from final
