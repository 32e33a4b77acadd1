{#- Development initiatives: plan per year against spend (ledger rows carrying the initiative's
    id as project_code), with priority, financing channel, a status and, where volumes allow, a
    benefit indicator with its target and measured value.

    status (of the year's slice, as of the year's last month with outcome):
      ej startad   no spend booked (also every year without outcome yet)
      överskriden  spend > plan x (1 + var bvo_initiative_overrun_tolerance), or spend without plan
      klar         the year's outcome is complete (12 months) and the spend is within that
      pågår        otherwise
    Benefit indicator: the KPI of the register (plan/kpis.csv) that names the initiative in
    initiative_id (the first by kpi_code when several do), with its target and its city-wide
    value of the year's last month with a value (fct_kpi). -#}

{%- set overrun_tolerance = var('bvo_initiative_overrun_tolerance', 0.05) %}

with

initiatives as (

    select * from {{ ref('stg_raw__initiatives') }}

),

initiative_plan as (

    select * from {{ ref('stg_raw__initiative_plan') }}

),

mapped_costs as (

    select * from {{ ref('int_costs_mapped_to_services') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

kpis as (

    select * from {{ ref('fct_kpi') }}

),

outcome_years as (

    select
        fiscal_year,
        count(distinct period_month) as outcome_months,
        max(period_month) as last_outcome_month
    from service_costs
    where scenario = 'outcome'
    group by fiscal_year

),

spend as (

    select
        project_code as initiative_id,
        fiscal_year,
        sum(amount_sek) as spend_sek,
        count(*) as ledger_rows,
        min(period_month) as first_spend_month,
        max(period_month) as last_spend_month
    from mapped_costs
    where project_code is not null
    group by project_code, fiscal_year

),

plan as (

    select initiative_id, fiscal_year, sum(amount_sek) as plan_sek
    from initiative_plan
    group by initiative_id, fiscal_year

),

years as (

    select initiative_id, fiscal_year from plan
    union
    select spend.initiative_id, spend.fiscal_year
    from spend
    inner join initiatives
        on initiatives.initiative_id = spend.initiative_id

),

register as (

    select * from {{ ref('stg_raw__kpis') }}

),

benefit_indicators as (

    select
        initiative_id,
        arg_min(kpi_code, kpi_code) as kpi_code,
        arg_min(target, kpi_code) as target
    from register
    where initiative_id is not null
    group by initiative_id

),

measured as (

    select
        benefit_indicators.initiative_id,
        kpis.fiscal_year,
        kpis.kpi_code,
        kpis.period_month,
        kpis.value,
        kpis.target,
        kpis.is_target_met,
        row_number() over (
            partition by benefit_indicators.initiative_id, kpis.fiscal_year
            order by kpis.period_month desc
        ) as recency
    from benefit_indicators
    inner join kpis
        on kpis.kpi_code = benefit_indicators.kpi_code
        and kpis.org_code = 'ALL'

),

joined as (

    select
        years.initiative_id,
        years.fiscal_year,
        initiatives.service_area_code,
        initiatives.service_id,
        initiatives.name_sv,
        initiatives.priority,
        initiatives.financing_channel,
        coalesce(plan.plan_sek, 0) as plan_sek,
        coalesce(spend.spend_sek, 0) as spend_sek,
        coalesce(spend.ledger_rows, 0) as ledger_rows,
        spend.first_spend_month,
        spend.last_spend_month,
        coalesce(outcome_years.outcome_months, 0) as outcome_months,
        outcome_years.last_outcome_month
    from years
    inner join initiatives
        on initiatives.initiative_id = years.initiative_id
    left join plan
        on plan.initiative_id = years.initiative_id
        and plan.fiscal_year = years.fiscal_year
    left join spend
        on spend.initiative_id = years.initiative_id
        and spend.fiscal_year = years.fiscal_year
    left join outcome_years
        on outcome_years.fiscal_year = years.fiscal_year

),

final as (

    select
        -- ids
        joined.initiative_id,
        joined.fiscal_year,
        joined.service_area_code,
        joined.service_id,

        -- attributes
        joined.name_sv,
        joined.priority,
        joined.financing_channel,
        case
            when joined.spend_sek = 0 then 'ej startad'
            when joined.spend_sek > joined.plan_sek * (1 + {{ overrun_tolerance }}) then 'överskriden'
            when joined.outcome_months = 12 then 'klar'
            else 'pågår'
        end as status,
        benefit_indicators.kpi_code as benefit_indicator_code,

        -- measures
        cast(joined.plan_sek as decimal(18, 2)) as plan_sek,
        cast(joined.spend_sek as decimal(18, 2)) as spend_sek,
        cast(joined.plan_sek - joined.spend_sek as decimal(18, 2)) as remaining_sek,
        cast(case when joined.plan_sek > 0 then joined.spend_sek / joined.plan_sek end as decimal(9, 4))
            as spend_share,
        cast(joined.ledger_rows as integer) as ledger_rows,
        cast(joined.outcome_months as integer) as outcome_months,
        measured.value as benefit_indicator_value,
        cast(benefit_indicators.target as decimal(18, 6)) as benefit_indicator_target,

        -- dates
        joined.first_spend_month,
        joined.last_spend_month,
        joined.last_outcome_month as as_of_month,
        measured.period_month as benefit_indicator_month,

        -- flags
        joined.outcome_months = 12 as is_year_closed,
        measured.is_target_met as is_benefit_target_met

    from joined
    left join benefit_indicators
        on benefit_indicators.initiative_id = joined.initiative_id
    left join measured
        on measured.initiative_id = joined.initiative_id
        and measured.fiscal_year = joined.fiscal_year
        and measured.recency = 1

)

select * from final
