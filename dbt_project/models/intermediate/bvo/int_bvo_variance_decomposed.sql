{#- Outcome - plan per line, decomposed into effects that add up to it exactly (to the öre).

    Per comparison x month x service x cost type ("service-month"), with C the amount charged to
    consumers (the 'UNALLOCATED' line excluded), V their driver volume and, per consumer line,
    A its amount and v its volume; 0 = plan scenario, 1 = outcome. In öre and milli-units:

      decomposition_method
        unplanned  the service-month has no plan amount at all
        driver     plan rule driver_share / price_list with a planned volume, and the outcome
                   rule (if any) of the same kind on the same driver: A = u * v, u = C / V
        key        everything else: A = C * s, s = A / C

      driver  volume = u0 * (v1 - v0)  = C0 * (12 x1 - x0) / W0
              price  = (u1 - u0) * v1 = x1 * (C1 W0 - 12 C0 W1) / (W1 W0)   (0 when W1 = 0)
              key    = 0
              (x0, W0: planned ANNUAL milli-units, so a month's v0 = x0 / 12; x1, W1: the
              month's actual milli-units)
      key     price  = (C1 - C0) * s0 = (C1 - C0) * A0 / C0   (cost level; 0 when C0 = 0)
              key    = C0 * (s1 - s0) = C0 * A1 / C1 - A0     (0 when C1 = 0: no key change
                                                               is claimed when nothing is charged)
      unplanned: all components 0
      the 'UNALLOCATED' line (uncharged part of the pool: price-list surplus/deficit, pools not
      allocated): price = its whole variance when the service-month has a plan, else 0.

      mix_residual = (A1 - A0) - volume - price - key: the interaction (C1 - C0)(s1 - s0) of
      the key method, rounding, and unplanned lines. volume, price and key are each rounded to
      the öre, halves away from zero, so the identity holds exactly.

    Summed over a service-month, volume = (V1 - V0) u0 and price = the rest of the pool change;
    key effects and interactions cancel between consumers. -#}

with

paired as (

    select * from {{ ref('int_bvo_comparisons_paired') }}

),

in_units as (

    select
        *,
        {{ sek_to_ore('plan_amount_sek') }} as a0,
        {{ sek_to_ore('outcome_amount_sek') }} as a1,
        cast(round(plan_volume_annual * 1000) as hugeint) as x0,
        cast(round(outcome_volume * 1000) as hugeint) as x1
    from paired

),

service_month as (

    select
        *,
        sum(case when is_uncharged then 0 else a0 end) over sm as c0,
        sum(case when is_uncharged then 0 else a1 end) over sm as c1,
        sum(case when is_uncharged then 0 else x0 end) over sm as w0,
        sum(case when is_uncharged then 0 else x1 end) over sm as w1,
        bool_or(a0 <> 0) over sm as has_plan,
        max(plan_method) over sm as service_plan_method,
        max(plan_driver_code) over sm as service_plan_driver_code,
        max(outcome_method) over sm as service_outcome_method,
        max(outcome_driver_code) over sm as service_outcome_driver_code
    from in_units
    window sm as (partition by plan_scenario, period_month, service_id, cost_type)

),

classified as (

    select
        *,
        case
            when not has_plan then 'unplanned'
            when service_plan_method in ('driver_share', 'price_list')
                and w0 > 0
                and (
                    service_outcome_method is null
                    or (
                        service_outcome_method in ('driver_share', 'price_list')
                        and service_outcome_driver_code = service_plan_driver_code
                    )
                )
                then 'driver'
            else 'key'
        end as decomposition_method
    from service_month

),

terms as (

    select
        *,
        -- driver: numerators and (positive) denominators
        c0 * (12 * x1 - x0) as volume_num,
        greatest(w0, 1) as volume_den,
        x1 * (c1 * w0 - 12 * c0 * w1) as unit_price_num,
        greatest(w1 * w0, 1) as unit_price_den,
        -- key: denominators made positive by moving their sign to the numerator
        (c1 - c0) * a0 * sign(c0) as cost_level_num,
        greatest(abs(c0), 1) as cost_level_den,
        c0 * a1 * sign(c1) as key_share_num,
        greatest(abs(c1), 1) as key_share_den
    from classified

),

components as (

    select
        *,
        a1 - a0 as total_ore,
        case
            when is_uncharged or decomposition_method <> 'driver' then 0
            else {{ round_div('volume_num', 'volume_den') }}
        end as volume_ore,
        case
            when is_uncharged then case when has_plan then a1 - a0 else 0 end
            when decomposition_method = 'driver'
                then case when w1 > 0 then {{ round_div('unit_price_num', 'unit_price_den') }} else 0 end
            when decomposition_method = 'key'
                then case when c0 <> 0 then {{ round_div('cost_level_num', 'cost_level_den') }} else 0 end
            else 0
        end as price_ore,
        case
            when is_uncharged or decomposition_method <> 'key' or c1 = 0 then 0
            else {{ round_div('key_share_num', 'key_share_den') }} - a0
        end as key_ore
    from terms

),

final as (

    select
        -- ids
        fiscal_year,
        plan_scenario,
        plan_version,
        is_latest_forecast,
        service_id,
        cost_type,
        consumer_org_code,

        -- dates
        period_month,

        -- attributes
        decomposition_method,
        service_plan_method as plan_method,
        service_outcome_method as outcome_method,
        coalesce(service_plan_driver_code, service_outcome_driver_code) as driver_code,

        -- measures
        plan_amount_sek,
        outcome_amount_sek,
        {{ ore_to_sek('total_ore') }} as variance_sek,
        {{ ore_to_sek('volume_ore') }} as volume_effect_sek,
        {{ ore_to_sek('price_ore') }} as price_effect_sek,
        {{ ore_to_sek('key_ore') }} as key_effect_sek,
        {{ ore_to_sek('total_ore - volume_ore - price_ore - key_ore') }} as mix_residual_sek,
        plan_volume_annual,
        outcome_volume,

        -- flags
        has_plan,
        is_uncharged

    from components

)

select * from final
