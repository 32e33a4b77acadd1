{#- Weights that charge the support cost a `direct` service received in a month on to its
    consumers: one row per month x direct service x consumer organisation, for the months in
    which the service received support cost (int_support_costs_allocated).

    A direct service's own cost needs no weights (its ledger rows name the consumer cost
    centre, int_outcome_direct_charged), but what support services gave it has no ledger row
    of its own. It follows the direct charges: each organisation's net direct charges
    of the month (only organisations with net charges > 0 take part), in öre. When nobody has
    net charges > 0 in that month, the organisations' net direct charges of the year to date
    (the months of the fiscal year up to and including this one); when there are none so far
    that year, the shares of the key set of the service's outcome rule (> 0, valid in the
    year), weight unit 10^-12. A direct service that receives support cost before its first
    direct charge of the year and whose rule has no key set is refused at ingest
    (configuration check direct_support_without_consumers), so one of the three always
    applies. basis says which one did.

    Like every support piece, the amount is placed on the organisation's default cost centre
    (int_pool_weights_joined). -#}

{{ config(materialized='view') }}

with

direct_charges as (

    select * from {{ ref('int_outcome_direct_charged') }}

),

support_flows as (

    select * from {{ ref('int_support_costs_allocated') }}

),

rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'
        and allocation_method = 'direct'

),

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

receiving_months as (

    select distinct
        rules.fiscal_year,
        support_flows.period_month,
        rules.service_id,
        rules.key_set
    from support_flows
    inner join rules
        on rules.fiscal_year = support_flows.fiscal_year
        and rules.service_id = support_flows.receiving_service_id
    where support_flows.amount_ore <> 0

),

charges_by_organisation as (

    select
        fiscal_year,
        period_month,
        service_id,
        consumer_org_code,
        sum(amount_ore) as amount_ore
    from direct_charges
    group by fiscal_year, period_month, service_id, consumer_org_code

),

charged_so_far as (

    select
        receiving_months.fiscal_year,
        receiving_months.period_month,
        receiving_months.service_id,
        charges_by_organisation.consumer_org_code,
        coalesce(
            sum(charges_by_organisation.amount_ore)
                filter (where charges_by_organisation.period_month = receiving_months.period_month),
            0
        ) as month_ore,
        sum(charges_by_organisation.amount_ore) as year_to_date_ore
    from receiving_months
    inner join charges_by_organisation
        on charges_by_organisation.fiscal_year = receiving_months.fiscal_year
        and charges_by_organisation.service_id = receiving_months.service_id
        and charges_by_organisation.period_month <= receiving_months.period_month
    group by all

),

bases as (

    select
        receiving_months.*,
        case
            when exists (
                select 1 from charged_so_far
                where charged_so_far.period_month = receiving_months.period_month
                    and charged_so_far.service_id = receiving_months.service_id
                    and charged_so_far.month_ore > 0
            ) then 'month'
            when exists (
                select 1 from charged_so_far
                where charged_so_far.period_month = receiving_months.period_month
                    and charged_so_far.service_id = receiving_months.service_id
                    and charged_so_far.year_to_date_ore > 0
            ) then 'year_to_date'
            else 'key_set'
        end as basis
    from receiving_months

),

charge_weights as (

    select
        bases.fiscal_year,
        bases.period_month,
        bases.service_id,
        bases.basis,
        charged_so_far.consumer_org_code,
        cast(
            case when bases.basis = 'month' then charged_so_far.month_ore
                else charged_so_far.year_to_date_ore end
            as hugeint
        ) as weight_units
    from bases
    inner join charged_so_far
        on charged_so_far.period_month = bases.period_month
        and charged_so_far.service_id = bases.service_id
    where bases.basis in ('month', 'year_to_date')
        and (case when bases.basis = 'month' then charged_so_far.month_ore
            else charged_so_far.year_to_date_ore end) > 0

),

key_weights as (

    select
        bases.fiscal_year,
        bases.period_month,
        bases.service_id,
        bases.basis,
        allocation_keys.org_code as consumer_org_code,
        {{ key_share_weight_units('allocation_keys.share') }} as weight_units
    from bases
    {{ join_rule_key_shares('bases') }}
    where bases.basis = 'key_set'

),

unioned as (

    select * from charge_weights
    union all
    select * from key_weights

),

totals as (

    select period_month, service_id, sum(weight_units) as total_weight_units
    from unioned
    group by period_month, service_id

),

final as (

    select
        -- ids
        unioned.fiscal_year,
        unioned.service_id,
        unioned.consumer_org_code,

        -- dates
        unioned.period_month,

        -- attributes
        unioned.basis,
        cast(null as varchar) as driver_code,

        -- measures
        cast(null as decimal(18, 3)) as driver_volume,
        unioned.weight_units,
        totals.total_weight_units

    from unioned
    inner join totals
        on totals.period_month = unioned.period_month
        and totals.service_id = unioned.service_id

)

select * from final
