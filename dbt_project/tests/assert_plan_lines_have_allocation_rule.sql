-- Every non-zero plan line has an allocation rule (service_methods) for its year and
-- scenario; otherwise its pool could not be charged out.

with

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}

),

service_methods as (

    select * from {{ ref('stg_raw__service_methods') }}

),

final as (

    select
        plan_amounts.fiscal_year,
        plan_amounts.scenario,
        plan_amounts.service_id,
        plan_amounts.amount_sek
    from plan_amounts
    left join service_methods
        on service_methods.fiscal_year = plan_amounts.fiscal_year
        and service_methods.scenario = plan_amounts.scenario
        and service_methods.service_id = plan_amounts.service_id
    where service_methods.rule_id is null
        and plan_amounts.amount_sek <> 0

)

select * from final
