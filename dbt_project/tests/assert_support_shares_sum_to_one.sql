-- The shares of one support service (per fiscal year and scenario) sum to exactly 1, so a
-- support pool is passed on in full.

with

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}

),

final as (

    select
        fiscal_year,
        scenario,
        support_service_id,
        sum(share) as share_total
    from support_allocations
    group by fiscal_year, scenario, support_service_id
    having sum(share) <> 1

)

select * from final
