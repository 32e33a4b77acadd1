"""Budget-versus-outcome variance: the exact decomposition (a reference for the SQL) and the
Swedish/English sentence that explains a variance line.

The decomposition is computed in dbt (`int_bvo_variance_decomposed`); `decompose_service_month`
here is an independent re-implementation in plain integers, used by the tests to check the
SQL row by row. The sentences are generated here, both by the dbt Python model
`int_bvo_variance_sentences` (stored in `rpt_budget_vs_outcome_monthly`) and by the dashboards
on rows they aggregate themselves (`sentence_for_row`).

The rule, per service x month, between a plan scenario (0) and the outcome (1), amounts in öre:

* ``driver`` (driver_share / price_list in both): a consumer pays ``A = u * v`` with unit cost
  ``u = C / V`` (C: the service's amount charged to consumers, V: their driver volume).
  volume = ``u0 * (v1 - v0)``, price = ``(u1 - u0) * v1``, key = 0.
* ``key`` (fixed keys and everything else with a plan): ``A = C * s`` with share ``s = A / C``.
  price (cost level) = ``(C1 - C0) * s0``, key = ``C0 * (s1 - s0)``; the interaction
  ``(C1 - C0) * (s1 - s0)`` is left to mix/residual. A side with nothing charged keeps the
  other side's shares (no key change claimed).
* ``unplanned`` (no plan amount in the service x month): everything is mix/residual.
* The part of a service's cost that is not charged to any consumer (price-list surplus or
  deficit, pools not allocated) is its own line (``is_uncharged``): price effect when the
  service has a plan, otherwise mix/residual.

Each of volume, price and key is rounded to the öre (half away from zero); mix/residual is
``total - volume - price - key``, so the four always add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Literal

from babel import numbers as babel_numbers

Lang = Literal["sv", "en"]
Method = Literal["driver", "key", "unplanned"]
Period = Literal["month", "ytd"]

LOCALES: dict[Lang, str] = {"sv": "sv_SE", "en": "en_GB"}
NBSP = "\u00a0"
TKR: dict[Lang, str] = {"sv": "tkr", "en": "kSEK"}
# Lines whose largest figure is below this many SEK are written with one decimal (tkr).
WHOLE_TKR_FROM_SEK = Decimal(100_000)

_WORDS: dict[Lang, dict[str, str]] = {
    "sv": {
        "volume": "volym",
        "price_driver": "pris",
        "price_key": "kostnadsnivå",
        "key": "ändrad fördelning",
        "residual": "övrigt",
        "unplanned": "ej i planen",
        "none": "ingen avvikelse",
    },
    "en": {
        "volume": "volume",
        "price_driver": "price",
        "price_key": "cost level",
        "key": "key change",
        "residual": "other",
        "unplanned": "not in the plan",
        "none": "no variance",
    },
}


# --------------------------------------------------------------------------- decomposition


def round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero."""
    if denominator == 0:
        raise ZeroDivisionError("round_div by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True)
class ConsumerAmounts:
    """One consumer's side of a service x month comparison, in öre and milli-units.

    `plan_volume_milli_annual` is the planned annual driver quantity (the plan charges a
    monthly pool by the annual volume share, so a month's planned volume is a twelfth of it);
    `outcome_volume_milli` is the month's actual quantity.
    """

    consumer: str
    plan_ore: int
    outcome_ore: int
    plan_volume_milli_annual: int = 0
    outcome_volume_milli: int = 0
    is_uncharged: bool = False


@dataclass(frozen=True)
class Components:
    """Variance components of one line, in öre; they add up to `total_ore` exactly."""

    volume_ore: int
    price_ore: int
    key_ore: int
    residual_ore: int

    @property
    def total_ore(self) -> int:
        return self.volume_ore + self.price_ore + self.key_ore + self.residual_ore


def decompose_service_month(
    rows: Sequence[ConsumerAmounts], method: Method
) -> dict[str, Components]:
    """The variance of every consumer line of one service x month (see the module docstring)."""
    charged = [r for r in rows if not r.is_uncharged]
    c0 = sum(r.plan_ore for r in charged)
    c1 = sum(r.outcome_ore for r in charged)
    w0 = sum(r.plan_volume_milli_annual for r in charged)
    w1 = sum(r.outcome_volume_milli for r in charged)
    has_plan = method != "unplanned"
    out: dict[str, Components] = {}
    for r in rows:
        total = r.outcome_ore - r.plan_ore
        volume = price = key = 0
        if r.is_uncharged:
            price = total if has_plan else 0
        elif method == "driver" and w0 > 0:
            # u0 = 12 C0 / W0 per milli-unit and month; v0 = x0 / 12.
            volume = round_div(c0 * (12 * r.outcome_volume_milli - r.plan_volume_milli_annual), w0)
            if w1 > 0:
                price = round_div(r.outcome_volume_milli * (c1 * w0 - 12 * c0 * w1), w1 * w0)
        elif has_plan:
            if c0 != 0:
                price = round_div((c1 - c0) * r.plan_ore, c0)
            if c1 != 0:
                key = round_div(c0 * r.outcome_ore, c1) - r.plan_ore
        out[r.consumer] = Components(volume, price, key, total - volume - price - key)
    return out


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class VarianceLine:
    """What a sentence needs: amounts in SEK (outcome - plan and its four components)."""

    label: str
    variance_sek: Decimal
    volume_effect_sek: Decimal = Decimal(0)
    price_effect_sek: Decimal = Decimal(0)
    key_effect_sek: Decimal = Decimal(0)
    mix_residual_sek: Decimal = Decimal(0)
    decomposition_method: str = "key"
    has_plan: bool = True
    volume_change: Decimal | None = None
    unit_sv: str | None = None
    unit_en: str | None = None


def _dec(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


_QUANTUM = {0: Decimal(1), 1: Decimal("0.1")}


def _rounded(value: Decimal, decimals: int) -> Decimal:
    rounded = value.quantize(_QUANTUM[decimals], rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded.is_zero() else rounded


@lru_cache(maxsize=1 << 17)
def _format_rounded(rounded: Decimal, decimals: int, lang: Lang) -> str:
    """'+1 180', '-412', '0' (sv, with a no-break space) or '+1,180' (en) of a rounded value.
    Cached: the sentences model formats the same few thousand values over and over."""
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    if rounded.is_zero():
        return babel_numbers.format_decimal(rounded, body, locale=LOCALES[lang])
    return babel_numbers.format_decimal(rounded, f"+{body};-{body}", locale=LOCALES[lang])


def _tkr_rounded(amount_sek: Decimal, decimals: int) -> Decimal:
    return _rounded(amount_sek.scaleb(-3), decimals)


def _tkr_text(rounded_tkr: Decimal, decimals: int, lang: Lang) -> str:
    return f"{_format_rounded(rounded_tkr, decimals, lang)}{NBSP}{TKR[lang]}"


def plural_unit(unit: str, lang: Lang) -> str:
    """The plural of a driver unit as the drivers table writes it (singular)."""
    if lang == "en":
        return unit if unit.endswith("s") else unit + "s"
    if unit.endswith("månad"):
        return unit + "er"  # arbetsplatsmånad -> arbetsplatsmånader
    if unit.endswith("faktura"):
        return unit[:-1] + "or"  # e-faktura -> e-fakturor
    return unit


def _volume_note(line: VarianceLine, lang: Lang) -> str:
    unit = line.unit_sv if lang == "sv" else line.unit_en
    change = line.volume_change
    if unit is None or change is None:
        return ""
    rounded = _rounded(_dec(change), 0)
    if rounded.is_zero():
        return ""
    name = unit if abs(rounded) == 1 else plural_unit(unit, lang)
    return f" ({_format_rounded(rounded, 0, lang)} {name})"


def variance_sentence(line: VarianceLine, lang: Lang = "sv") -> str:
    """'IT-arbetsplats +412 tkr: +260 tkr volym (+1 180 arbetsplatsmånader), +120 tkr pris,
    +32 tkr ändrad fördelning'. Components that round to zero are left out; figures are whole
    tkr, or tkr with one decimal for lines below 100 tkr."""
    words = _WORDS[lang]
    parts_sek = {
        "volume": _dec(line.volume_effect_sek),
        "price": _dec(line.price_effect_sek),
        "key": _dec(line.key_effect_sek),
        "residual": _dec(line.mix_residual_sek),
    }
    total = _dec(line.variance_sek)
    largest = max([abs(total), *(abs(v) for v in parts_sek.values())])
    decimals = 0 if largest >= WHOLE_TKR_FROM_SEK else 1
    head = f"{line.label} {_tkr_text(_tkr_rounded(total, decimals), decimals, lang)}"
    if not line.has_plan:
        return f"{head}: {words['unplanned']}"
    price_word = (
        words["price_driver"] if line.decomposition_method == "driver" else words["price_key"]
    )
    labels = {
        "volume": words["volume"],
        "price": price_word,
        "key": words["key"],
        "residual": words["residual"],
    }
    parts = []
    for name, amount in parts_sek.items():
        rounded = _tkr_rounded(amount, decimals)
        if rounded.is_zero():
            continue
        text = f"{_tkr_text(rounded, decimals, lang)} {labels[name]}"
        if name == "volume":
            text += _volume_note(line, lang)
        parts.append(text)
    if not parts:
        return f"{head}: {words['none']}"
    return f"{head}: " + ", ".join(parts)


_COLUMNS: dict[Period, dict[str, str]] = {
    "month": {
        "variance_sek": "variance_sek",
        "volume_effect_sek": "volume_effect_sek",
        "price_effect_sek": "price_effect_sek",
        "key_effect_sek": "key_effect_sek",
        "mix_residual_sek": "mix_residual_sek",
        "plan_volume": "plan_volume",
        "outcome_volume": "outcome_volume",
    },
    "ytd": {
        "variance_sek": "variance_ytd_sek",
        "volume_effect_sek": "volume_effect_ytd_sek",
        "price_effect_sek": "price_effect_ytd_sek",
        "key_effect_sek": "key_effect_ytd_sek",
        "mix_residual_sek": "mix_residual_ytd_sek",
        "plan_volume": "plan_volume_ytd",
        "outcome_volume": "outcome_volume_ytd",
    },
}


def line_from_row(
    row: Mapping[str, Any], period: Period = "month", label: str | None = None
) -> VarianceLine:
    """A VarianceLine from a row of `rpt_budget_vs_outcome_monthly` (or a sum of its rows with
    the same column names). `label` defaults to the row's service name."""
    cols = _COLUMNS[period]
    plan_volume, outcome_volume = row.get(cols["plan_volume"]), row.get(cols["outcome_volume"])
    change = (
        _dec(outcome_volume) - _dec(plan_volume)
        if plan_volume is not None or outcome_volume is not None
        else None
    )
    has_plan = row.get("has_plan")
    return VarianceLine(
        label=str(
            label if label is not None else row.get("service_name_sv") or row.get("service_id")
        ),
        variance_sek=_dec(row.get(cols["variance_sek"])),
        volume_effect_sek=_dec(row.get(cols["volume_effect_sek"])),
        price_effect_sek=_dec(row.get(cols["price_effect_sek"])),
        key_effect_sek=_dec(row.get(cols["key_effect_sek"])),
        mix_residual_sek=_dec(row.get(cols["mix_residual_sek"])),
        decomposition_method=str(row.get("decomposition_method") or "key"),
        has_plan=True if has_plan is None else bool(has_plan),
        volume_change=change if row.get("driver_code") else None,
        unit_sv=row.get("unit_sv"),
        unit_en=row.get("unit_en"),
    )


def sentence_for_row(
    row: Mapping[str, Any], lang: Lang = "sv", period: Period = "month", label: str | None = None
) -> str:
    """The sentence for a row of `rpt_budget_vs_outcome_monthly` (what the dashboards call)."""
    return variance_sentence(line_from_row(row, period, label), lang)
