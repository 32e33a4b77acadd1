"""The budget-versus-outcome sentences, from the one generator (dbt macros/sentences.sql), run
in DuckDB as dbt renders them: Swedish and English words, babel's number formats (no-break
space and decimal comma in Swedish), whole or one-decimal tkr, halves away from zero, plural
units, unplanned and zero lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb
import pytest

from tests.dbt_macros import SENTENCE_MACROS, render

NB = "\u00a0"
AMOUNTS = ("variance", "volume_effect", "price_effect", "key_effect", "mix_residual")
COLUMNS = (
    "label",
    "decomposition_method",
    "has_plan",
    "unit_sv",
    "unit_en",
    "driver_code",
    *(f"{a}_sek" for a in AMOUNTS),
    "plan_volume",
    "outcome_volume",
    *(f"{a}_ytd_sek" for a in AMOUNTS),
    "plan_volume_ytd",
    "outcome_volume_ytd",
)
TYPES = {"has_plan": "boolean", "plan_volume": "decimal(18, 3)", "outcome_volume": "decimal(18, 3)"}


def sentences(**line: Any) -> dict[str, str]:
    """The four sentences of one line; the month's figures also stand for the year to date
    unless given (`*_ytd_sek`, `*_volume_ytd`)."""
    row = {"decomposition_method": "key", "has_plan": True} | line
    for name in list(row):
        if name.endswith("_sek") and not name.endswith("_ytd_sek"):
            row.setdefault(name.replace("_sek", "_ytd_sek"), row[name])
    for name in ("plan_volume", "outcome_volume"):
        if name in row:
            row.setdefault(f"{name}_ytd", row[name])
    con = duckdb.connect()
    types = [
        TYPES.get(c.removesuffix("_ytd")) or ("decimal(18, 2)" if c.endswith("_sek") else "varchar")
        for c in COLUMNS
    ]
    con.execute(
        "create table line (k integer, "
        + ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, types, strict=True))
        + ")"
    )
    values = [row.get(c, Decimal(0) if c.endswith("_sek") else None) for c in COLUMNS]
    con.execute(f"insert into line values (1, {', '.join('?' * len(COLUMNS))})", values)
    sql = render("{{ variance_sentences('line', ['k']) }}", SENTENCE_MACROS)
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    result = dict(zip(names, cursor.fetchone() or (), strict=True))
    return {k: v for k, v in result.items() if k.startswith("sentence")}


def test_the_issue_example_in_swedish_and_english() -> None:
    got = sentences(
        label="IT-arbetsplats",
        variance_sek=Decimal("412000"),
        volume_effect_sek=Decimal("260000"),
        price_effect_sek=Decimal("120000"),
        key_effect_sek=Decimal("32000"),
        decomposition_method="driver",
        driver_code="WORKPLACE",
        plan_volume=Decimal("10000"),
        outcome_volume=Decimal("11180"),
        unit_sv="arbetsplatsmånad",
        unit_en="workplace-month",
    )
    assert got["sentence_sv"] == (
        f"IT-arbetsplats +412{NB}tkr: +260{NB}tkr volym (+1{NB}180 arbetsplatsmånader), "
        f"+120{NB}tkr pris, +32{NB}tkr ändrad fördelning"
    )
    assert got["sentence_en"] == (
        f"IT-arbetsplats +412{NB}kSEK: +260{NB}kSEK volume (+1,180 workplace-months), "
        f"+120{NB}kSEK price, +32{NB}kSEK key change"
    )
    assert got["sentence_ytd_sv"] == got["sentence_sv"]


def test_negative_small_and_key_lines() -> None:
    got = sentences(
        label="Vård och omsorg",
        variance_sek=Decimal("-15234.49"),
        price_effect_sek=Decimal("-20000"),
        key_effect_sek=Decimal("5000"),
        mix_residual_sek=Decimal("-234.49"),
    )
    assert got["sentence_sv"] == (
        f"Vård och omsorg -15,2{NB}tkr: -20,0{NB}tkr kostnadsnivå, +5,0{NB}tkr ändrad fördelning, "
        f"-0,2{NB}tkr övrigt"
    )
    assert got["sentence_en"] == (
        f"Vård och omsorg -15.2{NB}kSEK: -20.0{NB}kSEK cost level, +5.0{NB}kSEK key change, "
        f"-0.2{NB}kSEK other"
    )


def test_unplanned_and_zero_lines() -> None:
    unplanned = sentences(
        label="Intraservice lokaler",
        variance_sek=Decimal("9000000"),
        mix_residual_sek=Decimal("9000000"),
        has_plan=False,
    )
    assert unplanned["sentence_sv"] == f"Intraservice lokaler +9{NB}000{NB}tkr: ej i planen"
    assert unplanned["sentence_en"] == f"Intraservice lokaler +9,000{NB}kSEK: not in the plan"
    zero = sentences(label="Domino", variance_sek=Decimal("0.04"), mix_residual_sek=Decimal("0.04"))
    assert zero["sentence_sv"] == f"Domino 0,0{NB}tkr: ingen avvikelse"
    assert zero["sentence_en"] == f"Domino 0.0{NB}kSEK: no variance"


def test_half_tkr_rounds_up_and_one_unit_is_singular() -> None:
    got = sentences(
        label="Stadsnätet WAN",
        variance_sek=Decimal("150500"),
        volume_effect_sek=Decimal("150500"),
        decomposition_method="driver",
        driver_code="WAN",
        plan_volume=Decimal("40"),
        outcome_volume=Decimal("41"),
        unit_sv="anslutningsmånad",
        unit_en="connection-month",
    )
    assert (
        got["sentence_sv"] == f"Stadsnätet WAN +151{NB}tkr: +151{NB}tkr volym (+1 anslutningsmånad)"
    )


@pytest.mark.parametrize(
    ("unit", "lang", "plural"),
    [
        ("arbetsplatsmånad", "sv", "arbetsplatsmånader"),
        ("GB-månad", "sv", "GB-månader"),
        ("e-faktura", "sv", "e-fakturor"),
        ("pappersfaktura", "sv", "pappersfakturor"),
        ("faktura", "sv", "fakturor"),
        ("workplace-month", "en", "workplace-months"),
        ("e-invoice", "en", "e-invoices"),
        ("GB-month", "en", "GB-months"),
    ],
)
def test_plural_units(unit: str, lang: str, plural: str) -> None:
    got = sentences(
        label="X",
        variance_sek=Decimal("2000"),
        volume_effect_sek=Decimal("2000"),
        decomposition_method="driver",
        driver_code="D",
        plan_volume=Decimal("1"),
        outcome_volume=Decimal("3"),
        **{f"unit_{lang}": unit},
    )
    assert got[f"sentence_{lang}"].endswith(f" (+2 {plural})")


def test_month_and_year_to_date_of_a_mart_row() -> None:
    got = sentences(
        label="IT-arbetsplats",
        decomposition_method="driver",
        driver_code="WORKPLACE",
        unit_sv="arbetsplatsmånad",
        unit_en="workplace-month",
        variance_sek=Decimal("57200.00"),
        volume_effect_sek=Decimal("57190.00"),
        price_effect_sek=Decimal("10.00"),
        plan_volume=Decimal("1000.000"),
        outcome_volume=Decimal("1200.000"),
        variance_ytd_sek=Decimal("-2292000.00"),
        volume_effect_ytd_sek=Decimal("0.00"),
        price_effect_ytd_sek=Decimal("-2292000.00"),
        plan_volume_ytd=Decimal("12000.000"),
        outcome_volume_ytd=Decimal("12000.000"),
    )
    assert got["sentence_sv"] == (
        f"IT-arbetsplats +57,2{NB}tkr: +57,2{NB}tkr volym (+200 arbetsplatsmånader)"
    )
    assert got["sentence_ytd_en"] == f"IT-arbetsplats -2,292{NB}kSEK: -2,292{NB}kSEK price"
