-- fct_allocation_org_month is fct_allocation summed per organisation: per fiscal year x
-- scenario, its amounts and row counts equal fct_allocation's to the öre. Returns the years x
-- scenarios that differ.

with

allocations as (

    select
        fiscal_year,
        scenario,
        sum(amount_sek) as amount_sek,
        count(*) as row_count
    from {{ ref('fct_allocation') }}
    group by fiscal_year, scenario

),

per_org as (

    select
        fiscal_year,
        scenario,
        sum(amount_sek) as amount_sek,
        sum(allocation_row_count) as row_count
    from {{ ref('fct_allocation_org_month') }}
    group by fiscal_year, scenario

)

select
    coalesce(allocations.fiscal_year, per_org.fiscal_year) as fiscal_year,
    coalesce(allocations.scenario, per_org.scenario) as scenario,
    allocations.amount_sek as fct_allocation_sek,
    per_org.amount_sek as org_month_sek,
    allocations.row_count as fct_allocation_rows,
    per_org.row_count as org_month_rows
from allocations
full outer join per_org
    on per_org.fiscal_year = allocations.fiscal_year
    and per_org.scenario = allocations.scenario
where allocations.amount_sek is distinct from per_org.amount_sek
    or allocations.row_count is distinct from per_org.row_count
