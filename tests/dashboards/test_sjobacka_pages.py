"""The dashboards on the second demo city, Sjöbacka kommun, as published by a real pipeline run.

Sjöbacka's users come from its own users file (`fordela demo-data --city sjobacka`); its
producer (the shared-service centre) is named in its organisation register, not in code. Its
controllers must see only their own organisations, and behind their charges the producer's
ledger rows.
"""

from __future__ import annotations

import tomllib
from datetime import date

import duckdb
import pytest

from dashboards.lib.auth import Principal
from dashboards.lib.navigation import PAGES as SPECS
from tests.conftest import PipelineRun
from tests.dashboards.helpers import PAGES, login, new_app, open_page

pytestmark = pytest.mark.slow


def _users(run: PipelineRun) -> dict[str, dict]:
    with (run.data_dir / "users.toml").open("rb") as handle:
        return tomllib.load(handle)["users"]


@pytest.fixture
def sjobacka(sjobacka_run: PipelineRun, monkeypatch: pytest.MonkeyPatch) -> PipelineRun:
    assert sjobacka_run.success
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(sjobacka_run.snapshot))
    monkeypatch.setenv("FORDELA_USERS_FILE", str(sjobacka_run.data_dir / "users.toml"))
    return sjobacka_run


def _logged_in(username: str):
    # The demo passwords of Sjöbacka's users file: sjobacka-<username>.
    at = login(new_app().run(), username, f"sjobacka-{username}")
    assert not at.exception
    assert not at.text_input or "login_username" not in [w.key for w in at.text_input]
    return at


def test_every_user_opens_every_page_of_their_role(sjobacka: PipelineRun) -> None:
    users = _users(sjobacka)
    assert {u["role"] for u in users.values()} == {"management", "controller", "data_engineer"}
    for username, user in users.items():
        visible = {spec.path for spec in SPECS if user["role"] in spec.roles}
        at = _logged_in(username)
        for page, path in PAGES.items():
            if path not in visible:
                continue
            open_page(at, page)
            assert not at.exception, (
                username,
                page,
                at.exception[0].message if at.exception else "",
            )
            assert not at.error, (username, page, [e.value for e in at.error])


def test_controllers_see_only_their_organisations(sjobacka: PipelineRun) -> None:
    users = _users(sjobacka)
    controllers = {name: set(u["orgs"]) for name, u in users.items() if u["role"] == "controller"}
    assert controllers
    with duckdb.connect(str(sjobacka.snapshot), read_only=True) as con:
        every_org = {
            code
            for (code,) in con.execute("select org_code from marts.dim_organisation").fetchall()
        }
    for username, orgs in controllers.items():
        assert orgs < every_org  # a controller's organisations are some, not all
        at = _logged_in(username)
        open_page(at, "my_organisation")
        offered = {str(o).split(" ", 1)[0] for o in at.selectbox(key="filter_org").options}
        assert offered == orgs, username
        open_page(at, "budget")
        assert not at.exception
        shown = at.dataframe[-1].value  # the organisation table: only theirs
        assert len(shown) <= len(orgs), username


def test_a_controllers_charge_shows_the_producers_ledger_rows(sjobacka: PipelineRun) -> None:
    from dashboards.lib.explain import explain_charge

    users = _users(sjobacka)
    username, user = next((n, u) for n, u in users.items() if u["role"] == "controller")
    orgs = frozenset(user["orgs"])
    with duckdb.connect(str(sjobacka.snapshot), read_only=True) as con:
        producers = {
            cc
            for (cc,) in con.execute(
                "select cc.cost_centre_code from marts.dim_cost_centre as cc "
                "join marts.dim_organisation as o using (org_code) where o.is_producer"
            ).fetchall()
        }
        # The controller's largest outcome charge in the last month of the latest year, on a
        # service whose pool is ledger rows (not a price list).
        row = con.execute(
            "select a.fiscal_year, a.period_month, a.service_id, a.consumer_cost_centre_code "
            "from marts.fct_allocation as a "
            "where a.scenario = 'outcome' and list_contains(?, a.consumer_org_code) "
            "and a.allocation_method <> 'price_list' "
            "and exists (select 1 from marts.fct_pool_ledger_row as l "
            "            where l.service_id = a.service_id and l.period_month = a.period_month) "
            "order by a.period_month desc, a.amount_sek desc limit 1",
            [sorted(orgs)],
        ).fetchone()
    assert producers and row is not None
    fiscal_year, period_month, service_id, cost_centre = row
    principal = Principal(username, "controller", username, allowed_orgs=orgs)
    result = explain_charge(
        principal,
        fiscal_year=fiscal_year,
        scenario="outcome",
        period_month=period_month if isinstance(period_month, date) else period_month.date(),
        service_id=service_id,
        cost_centre_code=cost_centre,
        lang="sv",
    )
    assert result is not None
    vouchers = result.tables.get("vouchers")
    assert vouchers is not None and len(vouchers)
    booked_on = {str(c) for c in vouchers["cost_centre_code"] if c is not None}
    assert booked_on & producers  # the producer's ledger rows are behind the charge
    # ... and nothing booked on another organisation's cost centres.
    with duckdb.connect(str(sjobacka.snapshot), read_only=True) as con:
        own = {
            cc
            for (cc,) in con.execute(
                "select cost_centre_code from marts.dim_cost_centre where list_contains(?, org_code)",
                [sorted(orgs)],
            ).fetchall()
        }
    assert booked_on <= producers | own
