{#- fct_allocation summed to the consuming organisation: one row per month x scenario x service x
    consumer organisation. The dashboards' organisation-level figures (Min organisation's
    statement per service and per month, the organisations' year to date) are sums at this
    grain; reading them here instead of every cost-centre row of fct_allocation (55 M rows at
    demo scale 10) keeps a page's query in milliseconds. Every amount is the exact sum of the
    group's fct_allocation rows (tests/assert_allocation_org_month_sums_fct_allocation.sql).
    Rows are written in organisation order, so that a reader filtering on one organisation
    skips the others' row groups. -#}

with

allocations as (

    select * from {{ ref('fct_allocation') }}

),

final as (

    select
        -- ids
        fiscal_year,
        period_month,
        scenario,
        service_id,
        consumer_org_code,

        -- measures
        cast(sum(amount_sek) as decimal(18, 2)) as amount_sek,
        count(*) as allocation_row_count

    from allocations
    group by fiscal_year, period_month, scenario, service_id, consumer_org_code

)

select * from final
order by consumer_org_code, fiscal_year, scenario, period_month, service_id
