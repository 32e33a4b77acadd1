"""The demo ledger's months: every service books its designed outcome along its profiles, so a
half year's outcome says what the whole year will be (the year-end forecast's premise)."""

from __future__ import annotations

import csv
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from pipelines.lib.demo import GenerationSummary, generate
from pipelines.lib.demo.catalogue import DIRECT_CHARGE, SUPPORT_IDS, load_catalogue
from pipelines.lib.demo.ledger import (
    MISCODED_ACTIVITY,
    PROFILE_GENERAL,
    RENT_SERVICE,
    RENT_SHARE,
    LedgerYear,
    _profile,
    _year_mix,
    cost_mix,
    generate_ledger,
)

YEARS = (2016, 2017)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    out = tmp_path_factory.mktemp("demo-ledger")
    return out, generate(out, seed=2017, scale=0.1, ledger_formats="csv")


def _monthly_cost(root: Path, year: int) -> dict[str, list[int]]:
    """Öre per activity code and month (cost and revenue rows)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for m in range(1, 13):
        for r in _read(root / "ledger" / f"ledger_{year}-{m:02d}.csv"):
            if r["account"] >= "3000":
                out[r["activity_code"]][m - 1] += round(Fraction(r["amount_sek"]) * 100)
    return out


def _expected_months(sid: str, year: int, total: int) -> list[Fraction]:
    """A service's months as its cost mix and the kinds' profiles say (before rounding)."""
    cat = load_catalogue(years=YEARS)
    period = cat.period(sid, year)
    rent = round(total * RENT_SHARE / 100) * 100 if sid == RENT_SERVICE else 0
    mix = _year_mix(cost_mix(sid, period), year, total)
    weight = sum(Fraction(w) for w in mix.values())
    months = [Fraction(rent, 12)] * 12
    for kind, share in mix.items():
        profile = [Fraction(p) for p in _profile(kind, period.cost_type, sid).tolist()]
        for m in range(12):
            months[m] += (total - rent) * Fraction(share) / weight * profile[m] / sum(profile)
    return months


def test_months_follow_the_profiles_to_the_ore(city: tuple[Path, GenerationSummary]) -> None:
    """Services the anomalies never touch (support pools, direct charges, development): each
    month is the mix x profile share of the designed outcome, give or take a few öre of
    rounding (one per kind and month, one for the kinds' split)."""
    root, summary = city
    cat = load_catalogue(years=YEARS)
    checked = 0
    for year in YEARS:
        booked = _monthly_cost(root, year)
        for sid, total in summary.outcomes[year].outcome.items():
            period = cat.period(sid, year)
            if total == 0 or not (
                sid in SUPPORT_IDS or sid in DIRECT_CHARGE or period.cost_type == "development"
            ):
                continue
            assert sum(booked[sid]) == total, sid
            expected = _expected_months(sid, year, total)
            slack = 2 * len(cost_mix(sid, period)) + 2
            for m in range(12):
                assert abs(booked[sid][m] - expected[m]) <= slack, (sid, year, m + 1)
            checked += 1
    assert checked > 20


def test_licences_in_january_a_quiet_july_and_a_december_peak(
    city: tuple[Path, GenerationSummary],
) -> None:
    root, _ = city
    for year in YEARS:
        rows = [
            r
            for m in range(1, 13)
            for r in _read(root / "ledger" / f"ledger_{year}-{m:02d}.csv")
            if r["account"] in ("5460", "5465")
        ]
        by_month = [0] * 12
        for r in rows:
            by_month[int(r["period"][5:]) - 1] += round(Fraction(r["amount_sek"]) * 100)
        assert by_month[0] > 4 * by_month[1] and by_month[6] < by_month[5]
        city_months = [sum(v[m] for v in _monthly_cost(root, year).values()) for m in range(12)]
        # The city: licence renewals in January, the December peak above every other month,
        # July the quietest.
        assert city_months[0] > city_months[11] > max(city_months[1:11])
        assert city_months[6] == min(city_months)


def test_june_run_rate_predicts_the_year_within_two_percent(
    city: tuple[Path, GenerationSummary],
) -> None:
    """The year-end forecast's arithmetic on the city total: 2017's outcome to June over 2016's
    share of the year to June (`rpt_year_end_forecast`, tolerance in `tests/bvo`)."""
    root, _ = city
    months = {
        year: [sum(v[m] for v in _monthly_cost(root, year).values()) for m in range(12)]
        for year in YEARS
    }
    share_2016 = Fraction(sum(months[2016][:6]), sum(months[2016]))
    forecast = sum(months[2017][:6]) / share_2016
    error = float(forecast / sum(months[2017]) - 1)
    assert abs(error) < 0.02, error
    assert error < 0  # the WAN price rise from May and the growing development: H2 is heavier


def _by_service(ledger: LedgerYear, sid: str) -> tuple[list[int], list[int]]:
    """`sid`'s months with the anomalies undone (the only service in `ledger`), and its number
    of cost rows per month."""
    months, rows = [0] * 12, [0] * 12
    corrected = {id(v.corrects[0]) for v in ledger.vouchers if v.corrects is not None}
    for v in ledger.vouchers:
        if v.corrects is not None:
            continue
        for i, r in enumerate(v.rows):
            if r.account < "3000":
                continue
            assert r.activity == sid or r.activity == MISCODED_ACTIVITY or id(v) in corrected
            assert i == 0 or r.activity == sid
            months[v.day.month - 1] += r.amount
            rows[v.day.month - 1] += 1
    return months, rows


@pytest.mark.parametrize("year", YEARS)
def test_wan_price_rise_shows_from_may_2017(year: int) -> None:
    cat = load_catalogue(years=YEARS)
    total = 50_000_000_00
    ledger = generate_ledger(cat, year, {"IT-WAN": total}, 0.1, np.random.default_rng([1, year]))
    months, rows = _by_service(ledger, "IT-WAN")
    assert sum(months) == total
    assert all(n >= 3 for n in rows)  # telecom, IT operations and salaries every month
    steps = [Fraction(1)] * 4 + [Fraction(1075, 1000) if year == 2017 else Fraction(1)] * 8
    weights = [Fraction(p) * s for p, s in zip(PROFILE_GENERAL.tolist(), steps, strict=True)]
    for m in range(12):
        assert abs(months[m] - total * weights[m] / sum(weights)) <= 4, m + 1
    rise = Fraction(months[4], months[3]) / Fraction(PROFILE_GENERAL[4] / PROFILE_GENERAL[3])
    assert abs(rise - (Fraction(1075, 1000) if year == 2017 else 1)) < Fraction(1, 10**6)


def test_rows_grow_with_the_scale_but_every_month_of_every_kind_has_one() -> None:
    cat = load_catalogue(years=YEARS)
    outcome = {"IS-ADM": 10_000_000_00}  # salary, consultant, travel, other; no anomalies
    rows = {}
    for scale in (0.1, 1.0, 3.0):
        ledger = generate_ledger(cat, 2017, outcome, scale, np.random.default_rng(7))
        cost = [
            (v.day.month, r.account)
            for v in ledger.vouchers
            for r in v.rows
            if r.account >= "3000" and r.account != "5060"  # social fees: the salary's twin
        ]
        assert {(m, a) for m, a in cost} == {
            (m, a) for m in range(1, 13) for a in ("5010", "6560", "7010", "6590")
        }
        rows[scale] = len(cost)
    assert rows[0.1] == 48 and 48 <= rows[1.0] < rows[3.0]
    assert 90 <= rows[3.0] <= 200


def test_same_rng_same_vouchers() -> None:
    cat = load_catalogue(years=YEARS)
    outcome = {"IT-WAN": 40_000_000_00, "IS-ADM": 10_000_000_00}

    def dump(seed: int) -> list[tuple[object, ...]]:
        ledger = generate_ledger(cat, 2017, outcome, 0.5, np.random.default_rng(seed))
        return [
            (v.series, v.number, v.day, *vars(r).values()) for v in ledger.vouchers for r in v.rows
        ]

    assert dump(3) == dump(3) != dump(4)
