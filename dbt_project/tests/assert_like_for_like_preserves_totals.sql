-- The like-for-like view moves cost between services, never in or out: per fiscal year and
-- scenario, rpt_service_like_for_like_year sums to fct_service_cost to the öre, and every
-- service's lineage weights sum to 1 (dim_service_comparable).

with

like_for_like as (

    select * from {{ ref('rpt_service_like_for_like_year') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

comparable as (

    select * from {{ ref('dim_service_comparable') }}

),

mapped as (

    select fiscal_year, scenario, sum(amount_sek) as amount_sek
    from like_for_like
    group by fiscal_year, scenario

),

original as (

    select fiscal_year, scenario, sum(amount_sek) as amount_sek
    from service_costs
    group by fiscal_year, scenario

),

totals as (

    select
        original.fiscal_year,
        original.scenario,
        null as service_id,
        original.amount_sek as original_sek,
        mapped.amount_sek as mapped_sek
    from original
    left join mapped
        on mapped.fiscal_year = original.fiscal_year
        and mapped.scenario = original.scenario
    where mapped.amount_sek is distinct from original.amount_sek

),

weights as (

    select
        null as fiscal_year,
        null as scenario,
        service_id,
        sum(weight) as original_sek,
        1 as mapped_sek
    from comparable
    group by service_id
    having sum(weight) <> 1

)

select * from totals
union all
select * from weights
