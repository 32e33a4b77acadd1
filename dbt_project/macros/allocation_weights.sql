{#- The common part of the allocation weights of the plan (int_allocation_weights), the
    outcome (int_outcome_allocation_weights, int_outcome_direct_support_weights) and the pools
    joined to them (int_pool_weights_joined): which key shares and which default cost centre a
    rule's year sees, the weight units, and the total weight a share is taken of. See
    _macros.yml. -#}

{#- Weight units are integers so that the largest-remainder split is exact: a key share
    (decimal(18,12)) counts in 10^-12, a driver volume (decimal(18,3)) in 10^-3. -#}
{% macro key_share_weight_units(share) -%}
    cast({{ share }} * 1000000000000 as hugeint)
{%- endmacro %}

{% macro driver_volume_weight_units(quantity) -%}
    cast({{ quantity }} * 1000 as hugeint)
{%- endmacro %}

{#- The organisations with a positive share in the rule's key set for the rule's service, in a
    key version valid in the rule's fiscal year. `rules` is the alias of a relation with
    key_set, service_id and fiscal_year; `allocation_keys` the model's import of
    stg_raw__allocation_keys. -#}
{% macro join_rule_key_shares(rules, allocation_keys='allocation_keys') -%}
    inner join {{ allocation_keys }} as allocation_keys
        on allocation_keys.key_set = {{ rules }}.key_set
        and allocation_keys.service_id = {{ rules }}.service_id
        and {{ is_valid_version('allocation_keys', fiscal_year=rules ~ '.fiscal_year') }}
        and allocation_keys.share > 0
{%- endmacro %}

{#- An organisation's default cost centre (is_default) in a version valid in the fiscal year,
    as `default_cost_centres`. A left join: an organisation without one keeps a null cost
    centre, so that the not_null tests stop the build instead of its part silently going to
    the others. `cost_centres` is the model's import of stg_raw__cost_centres. -#}
{% macro join_default_cost_centre(org_code, fiscal_year, cost_centres='cost_centres') -%}
    left join {{ cost_centres }} as default_cost_centres
        on default_cost_centres.is_default
        and default_cost_centres.org_code = {{ org_code }}
        and {{ is_valid_version('default_cost_centres', fiscal_year=fiscal_year) }}
{%- endmacro %}

{#- Every weight row of `relation` with total_weight_units, the sum of weight_units over its
    `partition_by` columns (the pool the weights split).
    The totals are an aggregate joined back, not a window (sum() over (partition by ...)):
    DuckDB's window operator holds every wide row of its input in memory and failed at demo
    scale 10 under the 3 GB cap; hash aggregate and hash join spill to disk. -#}
{% macro with_total_weight_units(relation, partition_by) -%}
    select
        {{ relation }}.*,
        totals.total_weight_units
    from {{ relation }}
    inner join (
        select
            {{ partition_by | join(', ') }},
            sum(weight_units) as total_weight_units
        from {{ relation }}
        group by {{ partition_by | join(', ') }}
    ) as totals
        on {% for column in partition_by -%}
            {{ 'and ' if not loop.first }}totals.{{ column }} is not distinct from {{ relation }}.{{ column }}
        {% endfor %}
{%- endmacro %}
