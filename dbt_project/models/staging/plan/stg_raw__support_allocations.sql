{#- Support allocations: how Intraservice's internal support pools are charged on to other
    services (plan/support_allocations.csv). Rename and cast only.
    Until the ingest lands this table (TableSpec `plan/support_allocations*.csv`), a warehouse
    without raw.support_allocations gives an empty, typed relation instead of failing the whole
    build; the support pools then stay unallocated and assert_support_pools_have_shares names
    them. -#}

{%- set raw_relation = source('raw', 'support_allocations') -%}
{%- if execute -%}
    {%- set is_landed = adapter.get_relation(
        database=raw_relation.database,
        schema=raw_relation.schema,
        identifier=raw_relation.identifier) is not none -%}
{%- else -%}
    {%- set is_landed = true -%}
{%- endif %}

with

source as (

    {% if is_landed -%}
    select * from {{ raw_relation }}
    {%- else -%}
    select
        cast(null as varchar) as fiscal_year,
        cast(null as varchar) as scenario,
        cast(null as varchar) as support_service_id,
        cast(null as varchar) as receiving_service_id,
        cast(null as varchar) as basis,
        cast(null as varchar) as share,
        cast(null as varchar) as step_order,
        cast(null as varchar) as method,
        cast(null as varchar) as _source_file,
        cast(null as integer) as _source_row,
        cast(null as varchar) as _file_hash,
        cast(null as timestamp) as _loaded_at
    where false
    {%- endif %}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('scenario') }} as scenario,
        {{ clean_text('support_service_id') }} as support_service_id,
        {{ clean_text('receiving_service_id') }} as receiving_service_id,

        -- attributes
        {{ clean_text('basis') }} as basis,
        {{ clean_text('method') }} as method,
        {{ to_integer('step_order') }} as step_order,

        -- measures (12 decimals; the shares of one support service sum to exactly 1)
        {{ to_decimal('share', 18, 12) }} as share,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
