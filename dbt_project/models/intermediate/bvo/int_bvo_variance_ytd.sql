{#- The decomposed monthly variance with year-to-date sums, the plan's full-year amount and the
    labels a reader needs (service and area names of the version valid in the month,
    organisation and group, driver units). Year-to-date components are sums of the monthly
    components, so they add up exactly as well. Input of rpt_budget_vs_outcome_monthly and of
    the sentences (int_bvo_variance_sentences). -#}

with

decomposed as (

    select * from {{ ref('int_bvo_variance_decomposed') }}

),

amounts as (

    select * from {{ ref('int_bvo_scenario_amounts_monthly') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

service_areas as (

    select * from {{ ref('dim_service_area') }}

),

organisations as (

    select * from {{ ref('dim_organisation') }}

),

drivers as (

    select * from {{ ref('stg_raw__drivers') }}

),

plan_full_year as (

    select
        fiscal_year,
        scenario as plan_scenario,
        service_id,
        cost_type,
        consumer_org_code,
        sum(amount_sek) as plan_full_year_sek
    from amounts
    where scenario <> 'outcome'
    group by fiscal_year, scenario, service_id, cost_type, consumer_org_code

),

with_ytd as (

    select
        *,
        -- a month's planned volume is a twelfth of the planned annual volume
        plan_volume_annual / 12 as plan_volume_exact,
        sum(plan_amount_sek) over ytd as plan_ytd_sek,
        sum(outcome_amount_sek) over ytd as outcome_ytd_sek,
        sum(variance_sek) over ytd as variance_ytd_sek,
        sum(volume_effect_sek) over ytd as volume_effect_ytd_sek,
        sum(price_effect_sek) over ytd as price_effect_ytd_sek,
        sum(key_effect_sek) over ytd as key_effect_ytd_sek,
        sum(mix_residual_sek) over ytd as mix_residual_ytd_sek,
        sum(plan_volume_annual) over ytd / 12 as plan_volume_ytd_exact,
        sum(outcome_volume) over ytd as outcome_volume_ytd
    from decomposed
    window ytd as (
        partition by fiscal_year, plan_scenario, service_id, cost_type, consumer_org_code
        order by period_month
        rows between unbounded preceding and current row
    )

),

final as (

    select
        -- ids
        with_ytd.fiscal_year,
        with_ytd.period_month,
        with_ytd.plan_scenario,
        with_ytd.plan_version,
        with_ytd.service_id,
        with_ytd.cost_type,
        with_ytd.consumer_org_code,

        -- attributes
        with_ytd.is_latest_forecast,
        case
            when with_ytd.service_id = 'UNALLOCATED' then 'Ej fördelat'
            else services.service_name_sv
        end as service_name_sv,
        services.service_area_code,
        service_areas.name_sv as service_area_name_sv,
        case
            when with_ytd.is_uncharged then 'Ej debiterat'
            else organisations.org_name
        end as org_name,
        organisations.org_group,
        organisations.org_group_sort,
        with_ytd.decomposition_method,
        with_ytd.plan_method,
        with_ytd.outcome_method,
        with_ytd.driver_code,
        drivers.unit_sv,
        drivers.unit_en,

        -- measures, month
        with_ytd.plan_amount_sek as plan_sek,
        with_ytd.outcome_amount_sek as outcome_sek,
        with_ytd.variance_sek,
        with_ytd.volume_effect_sek,
        with_ytd.price_effect_sek,
        with_ytd.key_effect_sek,
        with_ytd.mix_residual_sek,
        cast(with_ytd.plan_volume_exact as decimal(18, 3)) as plan_volume,
        with_ytd.outcome_volume,
        with_ytd.plan_volume_annual,

        -- measures, year to date
        cast(with_ytd.plan_ytd_sek as decimal(18, 2)) as plan_ytd_sek,
        cast(with_ytd.outcome_ytd_sek as decimal(18, 2)) as outcome_ytd_sek,
        cast(with_ytd.variance_ytd_sek as decimal(18, 2)) as variance_ytd_sek,
        cast(with_ytd.volume_effect_ytd_sek as decimal(18, 2)) as volume_effect_ytd_sek,
        cast(with_ytd.price_effect_ytd_sek as decimal(18, 2)) as price_effect_ytd_sek,
        cast(with_ytd.key_effect_ytd_sek as decimal(18, 2)) as key_effect_ytd_sek,
        cast(with_ytd.mix_residual_ytd_sek as decimal(18, 2)) as mix_residual_ytd_sek,
        cast(with_ytd.plan_volume_ytd_exact as decimal(18, 3)) as plan_volume_ytd,
        cast(with_ytd.outcome_volume_ytd as decimal(18, 3)) as outcome_volume_ytd,

        -- measures, full year
        cast(coalesce(plan_full_year.plan_full_year_sek, 0) as decimal(18, 2))
            as plan_full_year_sek,

        -- flags
        with_ytd.has_plan,
        with_ytd.is_uncharged,
        coalesce(services.is_adjustment, false) as is_adjustment

    from with_ytd
    left join services
        on services.service_id = with_ytd.service_id
        and {{ is_valid_version('services', on='with_ytd.period_month') }}
    left join service_areas
        on service_areas.service_area_code = services.service_area_code
    left join organisations
        on organisations.org_code = with_ytd.consumer_org_code
    left join drivers
        on drivers.driver_code = with_ytd.driver_code
    left join plan_full_year
        on plan_full_year.fiscal_year = with_ytd.fiscal_year
        and plan_full_year.plan_scenario = with_ytd.plan_scenario
        and plan_full_year.service_id = with_ytd.service_id
        and plan_full_year.cost_type = with_ytd.cost_type
        and plan_full_year.consumer_org_code = with_ytd.consumer_org_code

)

select * from final
