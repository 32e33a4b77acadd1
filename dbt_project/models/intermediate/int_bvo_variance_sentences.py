"""One Swedish and one English sentence per line of the budget-versus-outcome report, for the
month and for the year to date, written by pipelines.lib.variance (babel number formats).

Returns only the line key and the sentences; the numbers stay in SQL. Amounts are read as
integer öre and volumes as integer milli-units and turned into exact Decimals here (fetching
DECIMAL columns directly is an order of magnitude slower; a DataFrame would make them floats).
Grain: as int_bvo_variance_ytd.
"""

from decimal import Decimal

import pandas as pd

from pipelines.lib.variance import sentence_for_row

KEY = [
    "fiscal_year",
    "period_month",
    "plan_scenario",
    "service_id",
    "cost_type",
    "consumer_org_code",
]
TEXT = ["service_name_sv", "decomposition_method", "driver_code", "unit_sv", "unit_en", "has_plan"]
MONEY = [
    "variance_sek",
    "volume_effect_sek",
    "price_effect_sek",
    "key_effect_sek",
    "mix_residual_sek",
    "variance_ytd_sek",
    "volume_effect_ytd_sek",
    "price_effect_ytd_sek",
    "key_effect_ytd_sek",
    "mix_residual_ytd_sek",
]
VOLUMES = ["plan_volume", "outcome_volume", "plan_volume_ytd", "outcome_volume_ytd"]
SENTENCES = ["sentence_sv", "sentence_en", "sentence_ytd_sv", "sentence_ytd_en"]  # fmt: skip


def model(dbt, session):
    dbt.config(materialized="table")
    select = ", ".join(
        KEY
        + TEXT
        + [f"cast({c} * 100 as hugeint) as {c}" for c in MONEY]
        + [f"cast({c} * 1000 as hugeint) as {c}" for c in VOLUMES]
    )
    rows = dbt.ref("int_bvo_variance_ytd").project(select).fetchall()
    n_key, n_text, n_money = len(KEY), len(TEXT), len(MONEY)
    out: dict[str, list] = {name: [] for name in KEY + SENTENCES}
    for values in rows:
        record = dict(zip(KEY + TEXT, values[: n_key + n_text], strict=True))
        money = values[n_key + n_text : n_key + n_text + n_money]
        volumes = values[n_key + n_text + n_money :]
        record.update({c: Decimal(v).scaleb(-2) for c, v in zip(MONEY, money, strict=True)})
        record.update(
            {
                c: None if v is None else Decimal(v).scaleb(-3)
                for c, v in zip(VOLUMES, volumes, strict=True)
            }
        )
        for name in KEY:
            out[name].append(record[name])
        out["sentence_sv"].append(sentence_for_row(record, "sv", "month"))
        out["sentence_en"].append(sentence_for_row(record, "en", "month"))
        out["sentence_ytd_sv"].append(sentence_for_row(record, "sv", "ytd"))
        out["sentence_ytd_en"].append(sentence_for_row(record, "en", "ytd"))
    return pd.DataFrame(out, columns=KEY + SENTENCES)
