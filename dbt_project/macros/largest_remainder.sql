{#- The one largest-remainder rule of the allocation engine, as a macro so that every split
    (consumer allocation, step-down, reciprocal flows, like-for-like mapping) rounds the same way
    and the property tests (tests/allocation/test_largest_remainder_sql.py) exercise this exact
    SQL.

    Selects every column of `relation` plus `amount_ore`, splitting the integer `pool` of each
    partition over the rows in proportion to their integer `weight`, exactly (HUGEINT; a
    double is used only as a first guess of the quotient, which is then corrected exactly):

        n_i     = pool * w_i
        floor_i = floor(n_i / W)            W = sum of the partition's weights (not 0)
        rem_i   = n_i - floor_i * W         0 <= rem_i < W (the fractional part x W)
        k       = pool - sum(floor_i)       0 <= k < number of rows
        the k rows with the largest rem_i (ties: `tie_breaker` ascending) get one more.

    When W < 0 (weights of mixed sign, such as ledger amounts) n and W are both negated first,
    which leaves n_i / W unchanged. So each partition's amounts sum to its pool exactly,
    whatever the signs, and the result does not depend on the order of the rows. The floor is
    computed from a double quotient and corrected exactly with 128-bit multiplications
    (a 128-bit division per row is the slowest operation of the whole engine); the exact
    division remains as a fallback that is never reached for amounts below 10^15 öre.
    `total`, when given, is a column already holding W (saves a window pass).
    `relation` must not have a column named amount_ore already.
    `pool` must be the same on every row of a partition; zero weights give zero (drop them
    before, they only add rows). Helper columns are prefixed `lr_` and dropped; `total_as`
    names a column to keep |W| in. -#}

{% macro largest_remainder(relation, partition_by, pool, weight, tie_breaker, total=none, total_as=none) -%}
(
    select
        lr_ranked.* exclude (
            lr_signed_product, lr_numerator, lr_total, lr_floor, lr_leftover, lr_rank
        ),
        {% if total_as %}lr_ranked.lr_total as {{ total_as }},{% endif %}
        lr_ranked.lr_floor
            + case when lr_ranked.lr_rank <= lr_ranked.lr_leftover then 1 else 0 end
            as amount_ore
    from (
        select
            *,
            cast({{ pool }} as hugeint) - sum(lr_floor) over lr_partition as lr_leftover,
            row_number() over (
                lr_partition
                order by lr_numerator - lr_floor * lr_total desc, {{ tie_breaker }} asc
            ) as lr_rank
        from (
            select
                * exclude (lr_estimate, lr_corrected),
                case
                    when lr_numerator >= lr_corrected * lr_total
                        and lr_numerator < (lr_corrected + 1) * lr_total
                        then lr_corrected
                    -- never reached in practice: the exact floor by 128-bit division
                    else (lr_numerator - {{ floor_mod('lr_numerator', 'lr_total') }}) // lr_total
                end as lr_floor
            from (
                select
                    *,
                    lr_estimate
                        - case when lr_numerator < lr_estimate * lr_total then 1 else 0 end
                        + case when lr_numerator >= (lr_estimate + 1) * lr_total then 1 else 0 end
                        as lr_corrected
                from (
                    select
                        * exclude (lr_signed_total),
                        case when lr_signed_total < 0 then -lr_signed_product else lr_signed_product end
                            as lr_numerator,
                        abs(lr_signed_total) as lr_total,
                        -- a double quotient, off by at most one from the floor for any amount
                        -- below 10^15 öre; corrected exactly below (128-bit multiplications)
                        cast(floor(
                            cast(lr_signed_product as double) / cast(lr_signed_total as double)
                        ) as hugeint) as lr_estimate
                    from (
                        select
                            *,
                            cast({{ pool }} as hugeint) * cast({{ weight }} as hugeint)
                                as lr_signed_product,
                            {% if total -%}
                            cast({{ total }} as hugeint)
                            {%- else -%}
                            sum(cast({{ weight }} as hugeint)) over (partition by {{ partition_by }})
                            {%- endif %} as lr_signed_total
                        from {{ relation }}
                    )
                )
            )
        )
        window lr_partition as (partition by {{ partition_by }})
    ) as lr_ranked
)
{%- endmacro %}
