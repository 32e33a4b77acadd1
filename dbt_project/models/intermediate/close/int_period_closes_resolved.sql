{#- The close state of every month that was ever closed: the latest close/reopen action decides
    (a month is closed while that action is a close), with who closed it and when, the reopens,
    and the latest export of the current close. -#}

with

actions as (

    select * from {{ ref('stg_ops__period_closes') }}

),

latest_state as (

    select
        period_month,
        action,
        close_id,
        acted_by,
        acted_at
    from actions
    where action in ('close', 'reopen')
    qualify row_number() over (
        partition by period_month order by acted_at desc, action_id desc
    ) = 1

),

reopens as (

    select
        period_month,
        count(*) as reopen_count,
        arg_max(reason, acted_at) as last_reopen_reason,
        arg_max(acted_by, acted_at) as last_reopened_by,
        max(acted_at) as last_reopened_at
    from actions
    where action = 'reopen'
    group by period_month

),

exports as (

    select
        close_id,
        max(acted_at) as last_exported_at,
        arg_max(acted_by, acted_at) as last_exported_by,
        arg_max(detail, acted_at) as last_export_files
    from actions
    where action = 'export'
    group by close_id

),

final as (

    select
        -- ids
        latest_state.period_month,
        cast(year(latest_state.period_month) as integer) as fiscal_year,
        case when latest_state.action = 'close' then latest_state.close_id end as close_id,

        -- flags
        latest_state.action = 'close' as is_closed,

        -- attributes
        case when latest_state.action = 'close' then latest_state.acted_by end as closed_by,
        case when latest_state.action = 'close' then latest_state.acted_at end as closed_at,
        latest_state.action as last_action,
        latest_state.acted_by as last_action_by,
        latest_state.acted_at as last_action_at,
        coalesce(reopens.reopen_count, 0) as reopen_count,
        reopens.last_reopen_reason,
        reopens.last_reopened_by,
        reopens.last_reopened_at,
        exports.last_exported_at,
        exports.last_exported_by,
        exports.last_export_files

    from latest_state
    left join reopens
        on reopens.period_month = latest_state.period_month
    left join exports
        on exports.close_id = latest_state.close_id
        and latest_state.action = 'close'

)

select * from final
