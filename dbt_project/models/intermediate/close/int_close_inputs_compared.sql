{#- For each month that is closed now: the inputs that differ from those recorded at its close.
    Compared are the registers (tables without months) and the monthly files of that month,
    by logical key (a correction file has the key of the file it corrects): a recorded file
    whose active version now has another hash was replaced (or changed in place), an active
    file without a recorded version was added, a recorded file with no active version any
    more was withdrawn. One row per closed month x changed input. -#}

with

periods as (

    select * from {{ ref('int_period_closes_resolved') }}
    where is_closed

),

recorded as (

    select
        periods.period_month,
        inputs.table_name,
        inputs.logical_key,
        inputs.file_hash,
        inputs.relative_path,
        inputs.partition_key
    from {{ ref('stg_ops__close_inputs') }} as inputs
    inner join periods
        on periods.close_id = inputs.close_id
    where inputs.partition_key is null
        or inputs.partition_key = strftime(periods.period_month, '%Y-%m')

),

active as (

    select
        periods.period_month,
        files.table_name,
        files.logical_key,
        files.file_hash,
        files.relative_path,
        files.partition_key
    from {{ ref('stg_ops__landed_files') }} as files
    cross join periods
    where files.status = 'active'
        and (
            files.partition_key is null
            or files.partition_key = strftime(periods.period_month, '%Y-%m')
        )

),

compared as (

    select
        coalesce(active.period_month, recorded.period_month) as period_month,
        coalesce(active.table_name, recorded.table_name) as table_name,
        coalesce(active.logical_key, recorded.logical_key) as logical_key,
        coalesce(active.partition_key, recorded.partition_key) as partition_key,
        recorded.relative_path as recorded_path,
        recorded.file_hash as recorded_hash,
        active.relative_path as active_path,
        active.file_hash as active_hash
    from active
    full outer join recorded
        on recorded.period_month = active.period_month
        and recorded.table_name = active.table_name
        and recorded.logical_key = active.logical_key
    where recorded.file_hash is distinct from active.file_hash

),

final as (

    select
        -- ids
        period_month,
        table_name,
        logical_key,

        -- attributes
        case when partition_key is null then 'register' else 'file' end as input_kind,
        case
            when recorded_hash is null then 'added'
            when active_hash is null then 'withdrawn'
            else 'replaced'
        end as change,
        recorded_path,
        recorded_hash,
        active_path,
        active_hash,
        case
            when recorded_hash is null then active_path || ' added'
            when active_hash is null then recorded_path || ' withdrawn'
            when active_path = recorded_path then active_path || ' changed'
            else active_path || ' replaced ' || recorded_path
        end as description_en,
        case
            when recorded_hash is null then active_path || ' tillkom'
            when active_hash is null then recorded_path || ' drogs tillbaka'
            when active_path = recorded_path then active_path || ' ändrades'
            else active_path || ' ersatte ' || recorded_path
        end as description_sv

    from compared

)

select * from final
