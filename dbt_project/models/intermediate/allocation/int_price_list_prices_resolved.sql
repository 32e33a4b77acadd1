{#- The unit price each price-list service charges in the outcome, per fiscal year, and the
    settlement that carries each year's result into the next years' prices. The one place
    where a price-list price is decided: int_outcome_price_list_charged charges it,
    fct_price_settlement shows it.

    price(t) = the price delivered in price_list for (t, service, the outcome rule's driver),
               else the carried price:
    carried(t) = (budget(t) - carried into t) / planned volume(t), SEK per unit and month,
               rounded to the öre (halves away from zero): a price list is in kronor and öre,
               and what the rounding leaves over is in the next settlement.
    result(t) = charged(t) - cost(t): charged = price(t) x actual volume per cost centre and
               month, each rounded to the öre (macro price_times_volume_ore, as charged);
               cost = the service's outcome pools, support cost included.
    The result of t is carried into t+1 .. t+n (n = var price_settlement_spread_years, default
    1), split exactly to the öre, the earlier years taking the extra öre. "Carried into t"
    sums the parts of every earlier year's result that fall in t.

    Budget and planned volume are the adopted budget's (scenario 'budget') plan line and the
    planned volumes of its rule for the outcome rule's driver (annual sums of monthly
    quantities, so the price is per unit and month). A carried price needs a settlement of
    t-1 (the service charged by price list in t-1), a budget line and planned volume > 0 in
    t; otherwise it is null, and a charged year without a delivered price has no price (the
    configuration check no_price refuses that delivery at ingest).

    The chain is recursive: the price of t may be carried from t-1, whose charges depend on
    its own price, which may be carried from t-2. It is a recursive CTE that steps one year
    at a time (DuckDB evaluates aggregates in the recursive part), not SQL unrolled over a
    fixed number of years: a city that delivers its first year's price list only is carried
    for as many years as it has, with no bound to document or check. Each step joins only
    that year's volumes. Every service is stepped through every year from its first charged
    year to the year after its last, so that a result reaches later years across a year
    without charges, and the price the last settlement gives the coming year is there.

    One row per fiscal_year x service_id. -#}

{%- set spread_years = var('price_settlement_spread_years', 1) %}

with recursive

outcome_rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'
        and allocation_method = 'price_list'

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_reallocated') }}
    where not is_unallocated
        and not is_support

),

outcome_weights as (

    select * from {{ ref('int_outcome_allocation_weights') }}
    where allocation_method = 'price_list'

),

price_list as (

    select * from {{ ref('stg_raw__price_list') }}

),

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}
    where scenario = 'budget'

),

budget_weights as (

    select * from {{ ref('int_allocation_weights') }}
    where scenario = 'budget'
        and allocation_method in ('driver_share', 'price_list')

),

-- the volumes charged, as int_outcome_price_list_charged charges them: the month's actual
-- volumes in the months that have an outcome pool
charged_volumes as materialized (

    select
        outcome_weights.fiscal_year,
        outcome_weights.service_id,
        outcome_weights.driver_volume
    from outcome_weights
    inner join outcome_pools
        on outcome_pools.service_id = outcome_weights.service_id
        and outcome_pools.period_month = outcome_weights.period_month

),

charged_years as (

    select
        outcome_rules.fiscal_year,
        outcome_rules.service_id,
        sum(outcome_pools.pool_ore) as cost_ore
    from outcome_rules
    inner join outcome_pools
        on outcome_pools.fiscal_year = outcome_rules.fiscal_year
        and outcome_pools.service_id = outcome_rules.service_id
    group by outcome_rules.fiscal_year, outcome_rules.service_id

),

year_spans as (

    select
        service_id,
        min(fiscal_year) as first_year,
        max(fiscal_year) + 1 as last_year
    from charged_years
    group by service_id

),

service_years as (

    select
        service_id,
        cast(unnest(generate_series(first_year, last_year)) as integer) as fiscal_year
    from year_spans

),

budgets as (

    select fiscal_year, service_id, sum({{ sek_to_ore('amount_sek') }}) as budget_ore
    from plan_amounts
    group by fiscal_year, service_id

),

planned_volumes as (

    select fiscal_year, service_id, driver_code, sum(weight_units) as planned_volume_units
    from budget_weights
    group by fiscal_year, service_id, driver_code

),

-- what each year brings to the chain, whatever came before it
year_facts as materialized (

    select
        service_years.fiscal_year,
        service_years.service_id,
        outcome_rules.rule_id,
        outcome_rules.driver_code,
        charged_years.service_id is not null as is_charged,
        charged_years.cost_ore,
        cast(price_list.unit_price_sek as decimal(18, 4)) as delivered_unit_price_sek,
        budgets.budget_ore,
        planned_volumes.planned_volume_units
    from service_years
    left join outcome_rules
        on outcome_rules.fiscal_year = service_years.fiscal_year
        and outcome_rules.service_id = service_years.service_id
    left join charged_years
        on charged_years.fiscal_year = service_years.fiscal_year
        and charged_years.service_id = service_years.service_id
    left join price_list
        on price_list.fiscal_year = service_years.fiscal_year
        and price_list.service_id = service_years.service_id
        and price_list.driver_code = outcome_rules.driver_code
    left join budgets
        on budgets.fiscal_year = service_years.fiscal_year
        and budgets.service_id = service_years.service_id
    left join planned_volumes
        on planned_volumes.fiscal_year = service_years.fiscal_year
        and planned_volumes.service_id = service_years.service_id
        and planned_volumes.driver_code = outcome_rules.driver_code

),

chain as (

    -- the year before each service's first: nothing settled, nothing carried
    select
        cast(first_year - 1 as integer) as fiscal_year,
        service_id,
        true as is_start,
        cast(null as varchar) as rule_id,
        cast(null as varchar) as driver_code,
        false as is_charged,
        cast(null as hugeint) as cost_ore,
        cast(null as decimal(18, 4)) as delivered_unit_price_sek,
        cast(null as hugeint) as budget_ore,
        cast(null as hugeint) as planned_volume_units,
        cast(0 as hugeint) as carried_into_ore,
        cast(null as decimal(18, 4)) as carried_unit_price_sek,
        cast(null as decimal(18, 4)) as unit_price_sek,
        cast(null as varchar) as price_source,
        cast(null as hugeint) as charged_ore,
        cast(null as hugeint) as result_ore,
        {%- for k in range(1, spread_years + 1) %}
        cast(0 as hugeint) as carry_{{ k }}_ore{{ ',' if not loop.last }}
        {%- endfor %}
    from year_spans

    union all

    -- the next year: its price, its charges at that price, its result carried on
    select
        settled.fiscal_year,
        settled.service_id,
        false as is_start,
        settled.rule_id,
        settled.driver_code,
        settled.is_charged,
        settled.cost_ore,
        settled.delivered_unit_price_sek,
        settled.budget_ore,
        settled.planned_volume_units,
        settled.carried_into_ore,
        settled.carried_unit_price_sek,
        settled.unit_price_sek,
        settled.price_source,
        settled.charged_ore,
        settled.result_ore,
        -- carry k after t = what goes into t+k: the earlier results' parts (carry k+1
        -- before t) plus part k of t's result (a year without charges adds nothing; a
        -- charged year without a price makes every later carry null)
        {%- for k in range(1, spread_years + 1) %}
        {{ 'settled.prior_carry_' ~ (k + 1) ~ '_ore + ' if k < spread_years }}{{ spread_part('settled.carried_result_ore', k, spread_years) }}
            as carry_{{ k }}_ore{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            charged.*,
            charged.charged_ore - charged.cost_ore as result_ore,
            case
                when charged.is_charged then charged.charged_ore - charged.cost_ore
                else 0
            end as carried_result_ore
        from (
            select
                priced.*,
                case
                    when priced.is_charged and priced.unit_price_sek is not null
                        then coalesce((
                            select sum({{ price_times_volume_ore('priced.unit_price_sek', 'charged_volumes.driver_volume') }})
                            from charged_volumes
                            where charged_volumes.fiscal_year = priced.fiscal_year
                                and charged_volumes.service_id = priced.service_id
                        ), 0)
                end as charged_ore
            from (
                select
                    carried.*,
                    coalesce(carried.delivered_unit_price_sek, carried.carried_unit_price_sek)
                        as unit_price_sek,
                    case
                        when carried.delivered_unit_price_sek is not null then 'delivered'
                        when carried.carried_unit_price_sek is not null then 'carried'
                    end as price_source
                from (
                    select
                        year_facts.*,
                        chain.carry_1_ore as carried_into_ore,
                        {%- for k in range(2, spread_years + 1) %}
                        chain.carry_{{ k }}_ore as prior_carry_{{ k }}_ore,
                        {%- endfor %}
                        case
                            when chain.is_charged
                                and year_facts.budget_ore is not null
                                and year_facts.planned_volume_units > 0
                                -- (budget - carried) in öre x 10^3 / (volume x 10^3) = öre
                                -- per unit, halves away from zero
                                then cast({{ scaled_to_decimal(round_div(
                                    '(year_facts.budget_ore - chain.carry_1_ore) * 1000',
                                    'year_facts.planned_volume_units'), 2) }} as decimal(18, 4))
                        end as carried_unit_price_sek
                    from chain
                    inner join year_facts
                        on year_facts.service_id = chain.service_id
                        and year_facts.fiscal_year = chain.fiscal_year + 1
                ) as carried
            ) as priced
        ) as charged
    ) as settled

),

final as (

    select
        -- ids
        fiscal_year,
        service_id,
        rule_id,
        driver_code,

        -- attributes
        price_source,

        -- measures
        delivered_unit_price_sek,
        carried_unit_price_sek,
        unit_price_sek,
        cost_ore,
        charged_ore,
        result_ore,
        carried_into_ore,
        budget_ore,
        planned_volume_units,
        -- the part of this year's result carried into t+1, and everything carried into t+1
        case
            when is_charged then {{ spread_part('result_ore', 1, spread_years) }}
        end as carried_to_next_year_ore,
        carry_1_ore as carried_into_next_year_ore,
        cast({{ spread_years }} as integer) as spread_years,

        -- flags
        is_charged

    from chain
    where not is_start

)

select * from final
