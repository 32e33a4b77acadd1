-- The engine's floor: the plan allocation (every plan scenario) straight from the landed CSV
-- files in one DuckDB statement. Same rule as the pipeline: monthly pools by floor division,
-- fixed keys on the default cost centre, planned volume shares within a key-set population,
-- largest remainder to the öre (ties: lower cost centre code). Result: SEK per year x scenario x
-- organisation. `{landing}` is replaced by the landing folder.
with plan as (
    select fiscal_year::int as fiscal_year, scenario, service_id,
           (amount_sek::decimal(18, 2) * 100)::hugeint as pool_year
    from read_csv('{landing}/plan/plan_amounts.csv', all_varchar = true)
),
rules as (
    select fiscal_year::int as fiscal_year, scenario, service_id, allocation_method,
           nullif(driver_code, '') as driver_code, nullif(key_set, '') as key_set
    from read_csv('{landing}/plan/service_methods.csv', all_varchar = true)
),
centres as (
    select cost_centre_code, org_code, lower(is_default) = 'true' as is_default
    from read_csv('{landing}/organisations/cost_centres.csv', all_varchar = true)
),
keys as (
    select key_set, service_id, org_code, (share::decimal(38, 12) * 1000000000000)::hugeint as w
    from read_csv('{landing}/plan/allocation_keys.csv', all_varchar = true)
),
volumes as (
    select fiscal_year::int as fiscal_year, scenario, driver_code, cost_centre_code,
           (quantity::decimal(38, 3) * 1000)::hugeint as w
    from read_csv('{landing}/plan/planned_volumes.csv', all_varchar = true)
),
weights as (
    select p.fiscal_year, p.scenario, p.service_id, c.cost_centre_code, k.w
    from plan p
    join rules r using (fiscal_year, scenario, service_id)
    join keys k on k.key_set = r.key_set and k.service_id = p.service_id and k.w > 0
    join centres c on c.org_code = k.org_code and c.is_default
    where r.allocation_method = 'fixed_key'
    union all
    select p.fiscal_year, p.scenario, p.service_id, v.cost_centre_code, sum(v.w)
    from plan p
    join rules r using (fiscal_year, scenario, service_id)
    join volumes v on v.fiscal_year = p.fiscal_year and v.scenario = p.scenario
        and v.driver_code = r.driver_code
    join centres c on c.cost_centre_code = v.cost_centre_code
    where r.allocation_method in ('driver_share', 'price_list')
      and (r.key_set is null or exists (
            select 1 from keys k
            where k.key_set = r.key_set and k.service_id = p.service_id
              and k.org_code = c.org_code and k.w > 0))
    group by all
),
months as (
    -- floor division toward minus infinity (DuckDB's // truncates toward zero)
    select p.*, m.month,
           (p.pool_year - ((p.pool_year % 12) + 12) % 12) // 12
             + case when m.month <= ((p.pool_year % 12) + 12) % 12 then 1 else 0 end as pool
    from plan p, range(1, 13) m(month)
),
split as (
    select m.fiscal_year, m.scenario, m.service_id, m.month, w.cost_centre_code, m.pool, w.w,
           sum(w.w) over (partition by m.fiscal_year, m.scenario, m.service_id, m.month) as total
    from months m join weights w using (fiscal_year, scenario, service_id)
),
floored as (
    select *,
           (pool * w - (((pool * w) % total) + total) % total) // total as base,
           (((pool * w) % total) + total) % total as rem
    from split
),
ranked as (
    select *,
           pool - sum(base) over (partition by fiscal_year, scenario, service_id, month) as extra,
           row_number() over (partition by fiscal_year, scenario, service_id, month
                              order by rem desc, cost_centre_code) as rank
    from floored
)
select r.fiscal_year, r.scenario, c.org_code,
       (sum(r.base + case when r.rank <= r.extra then 1 else 0 end) / 100)::decimal(18, 2) as amount_sek
from ranked r join centres c using (cost_centre_code)
group by all
order by all
