{#- Allocation rules, as data: one row per fiscal year x scenario x service, the rule that
    applies (int_allocation_rules_resolved: the scenario's own service_methods row; outcome
    falls back to the adopted budget's), with the service_methods row (file, row, file hash)
    it came from: the rule and its version. rule_id is the rule's stable id; an outcome row
    that uses the budget's rule carries the budget's rule_id and source_scenario 'budget'. -#}

with

rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        rule_id,

        -- attributes
        allocation_method,
        driver_code,
        key_set,
        source_scenario,

        -- metadata
        _source_file as source_file,
        cast(_source_row as bigint) as source_row,
        _file_hash as file_hash

    from rules

)

select * from final
