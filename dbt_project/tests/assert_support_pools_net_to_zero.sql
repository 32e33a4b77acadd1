-- Every support service passes on everything it has, to the öre: per month its own cost +
-- what it received - what it passed on = 0 = its pool (amount_sek) in fct_service_cost; what
-- it passed on equals its flows out in fct_support_allocation, and what every service
-- received equals its flows in. Returns the services and months where that fails.

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}
    where scenario = 'outcome'

),

support_flows as (

    select * from {{ ref('fct_support_allocation') }}

),

flows_out as (

    select period_month, support_service_id as service_id, sum(amount_sek) as out_sek
    from support_flows
    group by period_month, support_service_id

),

flows_in as (

    select
        period_month,
        receiving_service_id as service_id,
        coalesce(sum(amount_sek) filter (where allocation_method = 'step_down'), 0)
            as step_down_in_sek,
        coalesce(sum(amount_sek) filter (where allocation_method = 'reciprocal'), 0)
            as reciprocal_in_sek
    from support_flows
    group by period_month, receiving_service_id

),

per_service as (

    select
        period_month,
        service_id,
        bool_or(is_support) as is_support,
        sum(amount_sek) as amount_sek,
        sum(direct_cost_sek) as direct_cost_sek,
        sum(step_down_received_sek) as step_down_received_sek,
        sum(reciprocal_received_sek) as reciprocal_received_sek,
        sum(passed_on_sek) as passed_on_sek
    from service_costs
    group by period_month, service_id

),

final as (

    select
        per_service.*,
        coalesce(flows_out.out_sek, 0) as flows_out_sek,
        coalesce(flows_in.step_down_in_sek, 0) as step_down_in_sek,
        coalesce(flows_in.reciprocal_in_sek, 0) as reciprocal_in_sek
    from per_service
    left join flows_out
        on flows_out.period_month = per_service.period_month
        and flows_out.service_id = per_service.service_id
    left join flows_in
        on flows_in.period_month = per_service.period_month
        and flows_in.service_id = per_service.service_id
    where (per_service.is_support and per_service.amount_sek <> 0)
        or per_service.amount_sek <> per_service.direct_cost_sek
            + per_service.step_down_received_sek + per_service.reciprocal_received_sek
            - per_service.passed_on_sek
        or per_service.passed_on_sek <> coalesce(flows_out.out_sek, 0)
        or per_service.step_down_received_sek <> coalesce(flows_in.step_down_in_sek, 0)
        or per_service.reciprocal_received_sek <> coalesce(flows_in.reciprocal_in_sek, 0)

)

select * from final
