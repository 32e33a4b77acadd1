{#- Year-end forecast from the outcome so far (run rate with last year's monthly profile), beside
    the budget and the official forecasts.

    Grain: one row per fiscal year x as-of month (each month with outcome) x service x cost type
    (every line with a plan or an outcome in the year, including the unallocated pool).

      ytd_outcome_sek        outcome of months 1..m
      profile_share_ytd      last year's outcome in months 1..m / last year's full-year outcome,
                             of the whole city (all services and cost types pooled: a single
                             service's months are a few lumpy invoices, too noisy to be a
                             profile, and even the development lines alone gave shares near 0
                             for January); m / 12 ('flat') when last year has no complete
                             outcome or the share is not in (0, 1]
      forecast_full_year_sek ytd_outcome_sek / profile_share_ytd, exact to the öre
      official forecasts     budget (P0), forecast_1..3 (P1..P3) and the latest forecast of the
                             year (highest number; forecast dates are not in the data)
      actual_full_year_sek   the year's outcome once all 12 months are in (for back-testing)
    Area and city totals are sums of the rows. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

outcome_monthly as (

    select
        fiscal_year,
        cast(month(period_month) as integer) as month_number,
        service_id,
        cost_type,
        {{ sek_to_ore('sum(amount_sek)') }} as amount_ore
    from service_costs
    where scenario = 'outcome'
    group by fiscal_year, month(period_month), service_id, cost_type

),

outcome_years as (

    select
        fiscal_year,
        count(distinct month_number) as outcome_months,
        max(month_number) as last_month
    from outcome_monthly
    group by fiscal_year

),

months as (

    select cast(month_number as integer) as month_number
    from range(1, 13) as t(month_number)

),

as_of as (

    select outcome_years.fiscal_year, months.month_number as as_of_month_number
    from outcome_years
    inner join months
        on months.month_number <= outcome_years.last_month

),

plan_annual as (

    select
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        sum(amount_sek) as amount_sek
    from service_costs
    where scenario <> 'outcome'
    group by fiscal_year, scenario, service_id, cost_type

),

latest_forecast as (

    select fiscal_year, scenario, plan_version
    from scenarios
    where scenario like 'forecast_%'
    qualify row_number() over (
        partition by fiscal_year
        order by cast(replace(scenario, 'forecast_', '') as integer) desc
    ) = 1

),

lines as (

    select distinct service_costs.fiscal_year, service_costs.service_id, service_costs.cost_type
    from service_costs
    inner join outcome_years
        on outcome_years.fiscal_year = service_costs.fiscal_year
    where service_costs.scenario in ('outcome', 'budget')
        or service_costs.scenario like 'forecast_%'

),

-- last year's city-wide profile, from complete years only
previous_profile as (

    select
        outcome_monthly.fiscal_year + 1 as fiscal_year,
        months.month_number as as_of_month_number,
        sum(case when outcome_monthly.month_number <= months.month_number then amount_ore else 0 end)
            as cumulative_ore,
        sum(amount_ore) as full_year_ore
    from outcome_monthly
    inner join outcome_years
        on outcome_years.fiscal_year = outcome_monthly.fiscal_year
        and outcome_years.outcome_months = 12
    cross join months
    group by outcome_monthly.fiscal_year, months.month_number

),

ytd as (

    select
        lines.fiscal_year,
        as_of.as_of_month_number,
        lines.service_id,
        lines.cost_type,
        coalesce(sum(outcome_monthly.amount_ore), 0) as ytd_ore
    from lines
    inner join as_of
        on as_of.fiscal_year = lines.fiscal_year
    left join outcome_monthly
        on outcome_monthly.fiscal_year = lines.fiscal_year
        and outcome_monthly.service_id = lines.service_id
        and outcome_monthly.cost_type = lines.cost_type
        and outcome_monthly.month_number <= as_of.as_of_month_number
    group by lines.fiscal_year, as_of.as_of_month_number, lines.service_id, lines.cost_type

),

profiled as (

    select
        ytd.*,
        previous_profile.cumulative_ore > 0
            and previous_profile.full_year_ore > 0
            and previous_profile.cumulative_ore <= previous_profile.full_year_ore
            as use_last_year,
        previous_profile.cumulative_ore,
        previous_profile.full_year_ore
    from ytd
    left join previous_profile
        on previous_profile.fiscal_year = ytd.fiscal_year
        and previous_profile.as_of_month_number = ytd.as_of_month_number

),

forecast as (

    select
        *,
        case when use_last_year then 'last_year' else 'flat' end as profile_basis,
        -- ytd / share = ytd x denominator / numerator, rounded to the öre (halves away from 0)
        case when use_last_year then full_year_ore else 12 end as share_denominator,
        case when use_last_year then cumulative_ore else as_of_month_number end as share_numerator
    from profiled

),

final as (

    select
        -- ids
        forecast.fiscal_year,
        make_date(forecast.fiscal_year, forecast.as_of_month_number, 1) as as_of_month,
        forecast.service_id,
        forecast.cost_type,

        -- attributes
        cast(forecast.as_of_month_number as integer) as as_of_month_number,
        services.service_area_code,
        case
            when forecast.service_id = 'UNALLOCATED' then 'Ej fördelat'
            else services.service_name_sv
        end as service_name_sv,
        forecast.profile_basis,
        latest_forecast.scenario as latest_forecast_scenario,
        latest_forecast.plan_version as latest_forecast_version,

        -- measures
        {{ ore_to_sek('forecast.ytd_ore') }} as ytd_outcome_sek,
        cast(forecast.share_numerator / forecast.share_denominator as decimal(9, 6))
            as profile_share_ytd,
        {{ ore_to_sek(round_div('forecast.ytd_ore * forecast.share_denominator', 'forecast.share_numerator')) }}
            as forecast_full_year_sek,
        cast(budget.amount_sek as decimal(18, 2)) as budget_sek,
        cast(forecast_1.amount_sek as decimal(18, 2)) as forecast_1_sek,
        cast(forecast_2.amount_sek as decimal(18, 2)) as forecast_2_sek,
        cast(forecast_3.amount_sek as decimal(18, 2)) as forecast_3_sek,
        cast(latest.amount_sek as decimal(18, 2)) as latest_forecast_sek,
        cast(
            {{ ore_to_sek(round_div('forecast.ytd_ore * forecast.share_denominator', 'forecast.share_numerator')) }}
            - coalesce(budget.amount_sek, 0)
            as decimal(18, 2)
        ) as difference_vs_budget_sek,
        cast(
            {{ ore_to_sek(round_div('forecast.ytd_ore * forecast.share_denominator', 'forecast.share_numerator')) }}
            - coalesce(latest.amount_sek, 0)
            as decimal(18, 2)
        ) as difference_vs_latest_forecast_sek,
        case
            when outcome_years.outcome_months = 12 then {{ ore_to_sek('coalesce(full_year.amount_ore, 0)') }}
        end as actual_full_year_sek,

        -- flags
        forecast.service_id = 'UNALLOCATED' as is_unallocated,
        coalesce(services.is_adjustment, false) as is_adjustment

    from forecast
    inner join outcome_years
        on outcome_years.fiscal_year = forecast.fiscal_year
    left join latest_forecast
        on latest_forecast.fiscal_year = forecast.fiscal_year
    left join services
        on services.service_id = forecast.service_id
        and {{ is_valid_version('services', on='make_date(forecast.fiscal_year, 12, 1)') }}
    left join plan_annual as budget
        on budget.fiscal_year = forecast.fiscal_year
        and budget.scenario = 'budget'
        and budget.service_id = forecast.service_id
        and budget.cost_type = forecast.cost_type
    left join plan_annual as forecast_1
        on forecast_1.fiscal_year = forecast.fiscal_year
        and forecast_1.scenario = 'forecast_1'
        and forecast_1.service_id = forecast.service_id
        and forecast_1.cost_type = forecast.cost_type
    left join plan_annual as forecast_2
        on forecast_2.fiscal_year = forecast.fiscal_year
        and forecast_2.scenario = 'forecast_2'
        and forecast_2.service_id = forecast.service_id
        and forecast_2.cost_type = forecast.cost_type
    left join plan_annual as forecast_3
        on forecast_3.fiscal_year = forecast.fiscal_year
        and forecast_3.scenario = 'forecast_3'
        and forecast_3.service_id = forecast.service_id
        and forecast_3.cost_type = forecast.cost_type
    left join plan_annual as latest
        on latest.fiscal_year = forecast.fiscal_year
        and latest.scenario = latest_forecast.scenario
        and latest.service_id = forecast.service_id
        and latest.cost_type = forecast.cost_type
    left join (
        select fiscal_year, service_id, cost_type, sum(amount_ore) as amount_ore
        from outcome_monthly
        group by fiscal_year, service_id, cost_type
    ) as full_year
        on full_year.fiscal_year = forecast.fiscal_year
        and full_year.service_id = forecast.service_id
        and full_year.cost_type = forecast.cost_type

)

select * from final
