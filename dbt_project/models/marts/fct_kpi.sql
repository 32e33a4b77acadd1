{#- The city's KPIs (plan/kpis.csv, the KPI register; empty without one) per month, city-wide
    (org_code 'ALL') and, for scope 'organisation', per organisation.

    Numerator and denominator are sums of their terms (int_kpi_terms_parsed): actual volumes of
    the drivers (stg_raw__volumes, by the cost centre's organisation), or the outcome cost of an
    area or service after support cost (fct_service_cost; per organisation: what it was charged
    for it, fct_allocation_org_month), of one cost type when the expression names one.
    basis 'year_to_date' sums both over the fiscal year's months up to the month.

    A row exists where the denominator is above 0 (year to date: in a month in which the
    numerator has data), or, without a denominator, where the numerator has data. The target
    is carried on every month as the goal line; is_target_in_force from target_from (every
    month when empty); is_target_met compares the value with the target in its direction
    (empty direction = 'min'). -#}

with

kpis as (

    select * from {{ ref('stg_raw__kpis') }}

),

terms as (

    select * from {{ ref('int_kpi_terms_parsed') }}

),

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}
    where scenario = 'outcome'

),

org_charges as (

    select * from {{ ref('fct_allocation_org_month') }}
    where scenario = 'outcome'

),

-- the terms' figures per month and organisation ---------------------------------------------

volume_org as (

    select
        terms.kpi_code,
        terms.side,
        volumes.period_month,
        cost_centres.org_code,
        sum(volumes.quantity) as amount
    from terms
    inner join volumes
        on volumes.driver_code = terms.code
    inner join cost_centres
        on cost_centres.cost_centre_code = volumes.cost_centre_code
    where terms.term_source = 'volume'
    group by all

),

volume_city as (

    select kpi_code, side, period_month, 'ALL' as org_code, sum(amount) as amount
    from volume_org
    group by all

),

service_attributes as (

    select distinct fiscal_year, service_id, service_area_code, cost_type
    from service_costs

),

cost_city as (

    select
        terms.kpi_code,
        terms.side,
        service_costs.period_month,
        'ALL' as org_code,
        sum(service_costs.amount_sek) as amount
    from terms
    inner join service_costs
        on (terms.cost_level = 'area' and service_costs.service_area_code = terms.code)
        or (terms.cost_level = 'service' and service_costs.service_id = terms.code)
    where terms.term_source = 'cost'
        and (terms.cost_type is null or service_costs.cost_type = terms.cost_type)
    group by all

),

cost_org as (

    select
        terms.kpi_code,
        terms.side,
        org_charges.period_month,
        org_charges.consumer_org_code as org_code,
        sum(org_charges.amount_sek) as amount
    from terms
    inner join kpis
        on kpis.kpi_code = terms.kpi_code
        and kpis.scope = 'organisation'
    inner join service_attributes
        on (terms.cost_level = 'area' and service_attributes.service_area_code = terms.code)
        or (terms.cost_level = 'service' and service_attributes.service_id = terms.code)
    inner join org_charges
        on org_charges.fiscal_year = service_attributes.fiscal_year
        and org_charges.service_id = service_attributes.service_id
    where terms.term_source = 'cost'
        and (terms.cost_type is null or service_attributes.cost_type = terms.cost_type)
    group by all

),

figures as (

    select volume_org.*
    from volume_org
    inner join kpis
        on kpis.kpi_code = volume_org.kpi_code
        and kpis.scope = 'organisation'
    union all
    select * from volume_city
    union all
    select * from cost_city
    union all
    select * from cost_org

),

monthly as (

    select
        kpi_code,
        period_month,
        org_code,
        coalesce(sum(amount) filter (where side = 'numerator'), 0) as numerator,
        coalesce(sum(amount) filter (where side = 'denominator'), 0) as denominator,
        count(*) filter (where side = 'numerator') > 0 as has_numerator
    from figures
    group by all

),

based as (

    select
        monthly.kpi_code,
        monthly.period_month,
        monthly.org_code,
        monthly.has_numerator,
        kpis.denominator is not null as has_denominator,
        case when kpis.basis = 'year_to_date'
            then sum(monthly.numerator) over ytd
            else monthly.numerator
        end as numerator,
        case when kpis.basis = 'year_to_date'
            then sum(monthly.denominator) over ytd
            else monthly.denominator
        end as denominator,
        kpis.basis
    from monthly
    inner join kpis
        on kpis.kpi_code = monthly.kpi_code
    window ytd as (
        partition by monthly.kpi_code, monthly.org_code, year(monthly.period_month)
        order by monthly.period_month
        rows between unbounded preceding and current row
    )

),

valued as (

    select
        *,
        case when has_denominator
            then cast(numerator / denominator as decimal(18, 6))
            else cast(numerator as decimal(18, 6))
        end as value
    from based
    where case
        when has_denominator and basis = 'year_to_date' then has_numerator and denominator > 0
        when has_denominator then denominator > 0
        else has_numerator
    end

),

final as (

    select
        -- ids
        valued.kpi_code,
        valued.period_month,
        valued.org_code,

        -- attributes
        cast(year(valued.period_month) as integer) as fiscal_year,
        kpis.kpi_name_sv,
        kpis.kpi_name_en,
        kpis.unit,
        kpis.basis,
        case when kpis.target is not null then coalesce(kpis.target_direction, 'min') end
            as target_direction,
        kpis.initiative_id,

        -- measures
        cast(valued.numerator as decimal(18, 3)) as numerator,
        cast(case when valued.has_denominator then valued.denominator end as decimal(18, 3))
            as denominator,
        valued.value,
        kpis.target,

        -- dates
        case when kpis.target is not null then kpis.target_from end as target_valid_from,

        -- flags
        valued.org_code = 'ALL' as is_city_wide,
        kpis.target is not null
            and (kpis.target_from is null or valued.period_month >= kpis.target_from)
            as is_target_in_force,
        case
            when kpis.target is null then null
            when coalesce(kpis.target_direction, 'min') = 'min' then valued.value >= kpis.target
            else valued.value <= kpis.target
        end as is_target_met

    from valued
    inner join kpis
        on kpis.kpi_code = valued.kpi_code

)

select * from final
