"""The dashboard under AppTest: log-in, language, the budget page, access, snapshot states."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.lib.auth import SESSION_KEY
from tests.dashboards.helpers import (
    DEMO_USERS,
    EXTERNAL_SNAPSHOT,
    all_text,
    logged_in,
    login,
    metrics,
    new_app,
    open_page,
)
from tests.dashboards.snapshot_fixture import EXPECTED_SV

NB = "\u00a0"


def _org_table(at: AppTest) -> pd.DataFrame:
    """The per-organisation table: the last dataframe on the budget page."""
    return at.dataframe[-1].value


def _group_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[1].value


def _area_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


# --- Log-in -------------------------------------------------------------------------------------


def test_signed_out_visitor_sees_only_the_log_in(any_snapshot: Path) -> None:
    at = new_app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["fordela – kommungemensamma tjänster"]
    assert not at.metric and not at.dataframe
    # The budget page is not even registered for a signed-out session.
    with pytest.raises(ValueError):
        at.switch_page("app_pages/budget.py")


LANDING = {
    "management": "Översikt – kostnad mot budget och prognos",
    "data_engineer": "Översikt – kostnad mot budget och prognos",
    "controller": "Min organisation – vad vi betalar",
}


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_each_demo_role_logs_in_and_lands_on_its_page(any_snapshot: Path, username: str) -> None:
    _, role, orgs = DEMO_USERS[username]
    at = logged_in(username)
    assert not at.exception
    principal = at.session_state[SESSION_KEY]
    assert principal.role == role
    assert principal.allowed_orgs == orgs
    # Management and data engineers land on the overview, controllers on their statement.
    assert [t.value for t in at.title] == [LANDING[role]]
    assert at.sidebar.button(key="logout").label == "Logga ut"
    open_page(at, "budget")
    assert not at.exception
    assert "Budget per tjänsteområde och organisation" in [t.value for t in at.title]
    assert set(metrics(at)) >= {"Totalt", "Vidmakthållande", "Utveckling"}


def test_wrong_password_is_refused_with_a_message(any_snapshot: Path) -> None:
    at = login(new_app().run(), "ledning", "not-the-password")
    assert not at.exception
    assert [e.value for e in at.error] == ["Fel användarnamn eller lösenord."]
    assert SESSION_KEY not in at.session_state
    assert not at.metric


def test_unknown_user_is_refused_with_the_same_message(any_snapshot: Path) -> None:
    at = login(new_app().run(), "mallory", "ledning-demo")
    assert [e.value for e in at.error] == ["Fel användarnamn eller lösenord."]
    assert SESSION_KEY not in at.session_state


def test_log_out_returns_to_the_log_in(any_snapshot: Path) -> None:
    at = logged_in("ledning")
    at.sidebar.button(key="logout").click().run()
    assert not at.exception
    assert SESSION_KEY not in at.session_state
    assert at.text_input(key="login_username")
    assert not at.metric


# --- The budget page on the fixture ------------------------------------------------------------


def test_budget_page_shows_fixture_totals_in_swedish(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    assert not at.exception
    assert at.selectbox(key="budget_plan_version").value == "P0 2017"  # latest adopted budget
    expected = EXPECTED_SV["Budget 2017"]
    assert metrics(at) == {
        "Totalt": expected["total"],
        "Vidmakthållande": expected["maintenance"],
        "Utveckling": expected["development"],
    }
    groups = _group_table(at)
    assert dict(zip(groups["Grupp"], groups["Belopp"], strict=True)) == expected["groups"]
    areas = _area_table(at)
    vard = areas[areas["Tjänsteområde"] == "Vård och omsorg"].iloc[0]
    assert vard["Utveckling"] == expected["VARD_OMSORG"]
    assert vard["Vidmakthållande"] == "–"  # no row: not applicable, not 0
    orgs = _org_table(at)
    assert len(orgs) == 9
    assert orgs.set_index("Kod").loc["N131", "Belopp"] == expected["N131"]
    assert orgs.set_index("Kod").loc["N131", "Andel"] == f"40,1{NB}%"
    assert "9 organisationer" in all_text(at)
    # Each of the three tables (areas, groups, organisations) as CSV and as Excel.
    buttons = at.get("download_button")
    assert sorted(b.label for b in buttons) == ["Ladda ner CSV"] * 3 + ["Ladda ner Excel"] * 3
    assert {b.key for b in buttons if b.label == "Ladda ner Excel"} == {
        f"{b.key}_xlsx" for b in buttons if b.label == "Ladda ner CSV"
    }
    assert len(at.get("vega_lite_chart")) == 1


def test_choosing_another_plan_version_changes_the_figures(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    at.selectbox(key="budget_plan_version").set_value("P0 2016").run()
    assert not at.exception
    assert metrics(at) == {
        "Totalt": EXPECTED_SV["P0 2016"]["total"],
        "Vidmakthållande": EXPECTED_SV["P0 2016"]["maintenance"],
        "Utveckling": EXPECTED_SV["P0 2016"]["development"],
    }
    assert at.selectbox(key="budget_plan_version").options == [
        "P0 2016",
        "P1 2016",
        "Utfall 2016",
        "Budget 2017",
        "P0 2017",
    ]


@pytest.mark.parametrize(
    ("plan_version", "line"), [("P1 2016", "Reglering"), ("Utfall 2016", "Ej fördelat")]
)
def test_line_outside_the_areas_gets_its_own_metric_and_row(
    fixture_snapshot: Path, plan_version: str, line: str
) -> None:
    at = logged_in("ledning", "budget")
    at.selectbox(key="budget_plan_version").set_value(plan_version).run()
    assert not at.exception
    expected = EXPECTED_SV[plan_version]
    shown = metrics(at)
    assert shown["Totalt"] == expected["total"]
    assert shown["Vidmakthållande"] == expected["maintenance"]
    assert shown[line] == expected[line]
    last = _area_table(at).iloc[-1]
    assert last["Tjänsteområde"] == line
    assert (last["Vidmakthållande"], last["Utveckling"], last["Totalt"]) == (
        "–",
        "–",
        expected[line],
    )
    assert f"{line} ingår i totalen men inte i diagrammet" in all_text(at)


def test_outcome_groups_close_to_the_headline_with_their_own_lines(fixture_snapshot: Path) -> None:
    """The headline is the whole cost, the groups what organisations were charged: the
    unallocated pool is a line of its own under the groups, and the total row is the headline."""
    at = logged_in("ledning", "budget")
    at.selectbox(key="budget_plan_version").set_value("Utfall 2016").run()
    assert not at.exception
    expected = EXPECTED_SV["Utfall 2016"]
    groups = _group_table(at)
    assert list(groups["Grupp"])[-2:] == ["Ej fördelat", "Totalt"]
    assert list(groups["Belopp"])[-2:] == [expected["Ej fördelat"], expected["total"]]
    assert metrics(at)["Totalt"] == expected["total"]


def test_a_controller_gets_no_city_wide_lines_under_the_groups(fixture_snapshot: Path) -> None:
    at = logged_in("angered", "budget")
    at.selectbox(key="budget_plan_version").set_value("Utfall 2016").run()
    assert not at.exception
    assert not {"Ej fördelat", "Totalt"} & set(_group_table(at)["Grupp"])


def test_amounts_in_sek_on_demand(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    # One switch in the sidebar for every page.
    at.sidebar.toggle(key="show_sek").set_value(True).run()
    assert not at.exception
    assert metrics(at)["Totalt"] == f"498{NB}813{NB}499,99{NB}kr"


def test_switching_to_english_changes_labels_and_number_format(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert "Budget per service area and organisation" in [t.value for t in at.title]
    assert metrics(at) == {
        "Total": f"498,813.5{NB}kSEK",
        "Maintenance": f"456,338.0{NB}kSEK",
        "Development": f"42,475.5{NB}kSEK",
    }
    groups = _group_table(at)
    assert list(groups.columns) == ["Group", "Organisations", "Amount", "Share"]
    assert "District administrations" in list(groups["Group"])
    assert at.sidebar.button(key="logout").label == "Log out"
    # The chosen plan version survives the switch.
    assert at.selectbox(key="budget_plan_version").value == "P0 2017"  # latest adopted budget


def test_language_can_be_chosen_before_logging_in(any_snapshot: Path) -> None:
    at = new_app().run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.text_input(key="login_username").label == "Username"
    at = login(at, "ledning", "wrong")
    assert [e.value for e in at.error] == ["Wrong username or password."]


def test_organisation_search_filters_the_table(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    at.text_input(key="budget_org_search").input("göteborg").run()
    assert set(_org_table(at)["Kod"]) == {"N132", "B110", "K171"}
    at.multiselect(key="budget_org_groups").set_value(["Bolag"]).run()
    assert list(_org_table(at)["Kod"]) == ["B110"]
    assert not at.exception


# --- Controllers -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["angered", "controller-multi"])
def test_controller_sees_only_her_organisations(any_snapshot: Path, username: str) -> None:
    allowed = DEMO_USERS[username][2]
    assert allowed
    at = logged_in(username, "budget")
    assert not at.exception
    assert set(_org_table(at)["Kod"]) == allowed
    # Whatever she types into the filters.
    for text in ["", "göteborg", "' or 1=1 --", "%"]:
        at.text_input(key="budget_org_search").input(text).run()
        assert not at.exception
        assert set(_org_table(at)["Kod"]) <= allowed
    assert "Visar bara dina organisationer" in all_text(at)


def test_controller_group_totals_cover_only_her_organisations(fixture_snapshot: Path) -> None:
    at = logged_in("angered", "budget")
    groups = _group_table(at)
    assert list(groups["Grupp"]) == ["Stadsdelsförvaltningar"]
    assert list(groups["Belopp"]) == [EXPECTED_SV["Budget 2017"]["N131"]]
    # The area budget is the city's published figure, the same for every role.
    assert metrics(at)["Totalt"] == EXPECTED_SV["Budget 2017"]["total"]


# --- OIDC (production) -------------------------------------------------------------------------

OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "fordela",
        "client_secret": "x",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
}


def test_oidc_user_is_mapped_to_a_role_by_email(fixture_snapshot: Path) -> None:
    at = new_app()
    at.secrets.update(OIDC_SECRETS)
    at.user = {"is_logged_in": True, "email": "Angered@fordela.example"}
    at.run()
    assert not at.exception
    open_page(at, "budget")
    assert "login_username" not in [w.key for w in at.text_input]  # no password form
    assert set(_org_table(at)["Kod"]) == {"N131"}
    assert SESSION_KEY not in at.session_state  # identity comes from st.user, not the form


def test_oidc_signed_out_gets_the_provider_button_not_the_form(fixture_snapshot: Path) -> None:
    at = new_app()
    at.secrets.update(OIDC_SECRETS)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert not at.text_input
    assert at.button(key="login_oidc").label == "Logga in med ditt konto"
    assert not at.metric


def test_oidc_account_without_role_is_told_so(fixture_snapshot: Path) -> None:
    at = new_app()
    at.secrets.update(OIDC_SECRETS)
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert not at.exception
    assert "stranger@example.com" in at.error[0].value
    assert not at.metric


# --- Snapshot states and the data page ---------------------------------------------------------


def test_missing_snapshot_shows_the_friendly_message(missing_snapshot: Path) -> None:
    at = logged_in("ledning")
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Det finns ingen publicerad ögonblicksbild ännu – kör `make pipeline`."
    ]
    assert not at.metric


def test_unreadable_snapshot_shows_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "current.duckdb"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(bad))
    at = logged_in("data")
    assert not at.exception
    assert at.error[0].value.startswith("Den publicerade ögonblicksbilden kunde inte läsas")
    assert "not a valid DuckDB database" in at.code[0].value  # details for the data engineer


def test_about_data_page_lists_tables_and_publish_time(fixture_snapshot: Path) -> None:
    at = logged_in("data", "about_data")
    assert not at.exception
    tables = at.dataframe[0].value
    counts = dict(zip(tables["Schema"] + "." + tables["Tabell"], tables["Rader"], strict=True))
    assert counts["marts.dim_organisation"] == "10"  # 9 with budget rows + B111 (2016 only)
    assert counts["marts.dim_scenario"] == "6"
    assert counts["ops.publish_log"] == "1"
    assert metrics(at)["Publicerad"] == "1 mars 2017 12:30:00"
    assert metrics(at)["Körning"] == "fixture-run"


# --- A real published snapshot (FORDELA_TEST_SNAPSHOT) -----------------------------------------


@pytest.mark.skipif(
    not EXTERNAL_SNAPSHOT, reason="set FORDELA_TEST_SNAPSHOT to a published snapshot"
)
def test_real_snapshot_shows_the_published_budget_2017(any_snapshot: Path) -> None:
    at = logged_in("ledning", "budget")
    assert not at.exception
    assert at.selectbox(key="budget_plan_version").value == "P0 2017"  # latest adopted budget
    assert metrics(at) == {
        "Totalt": f"689{NB}695,0{NB}tkr",
        "Vidmakthållande": f"620{NB}000,0{NB}tkr",
        "Utveckling": f"69{NB}695,0{NB}tkr",
    }
    groups = _group_table(at)
    assert dict(zip(groups["Grupp"], groups["Belopp"], strict=True)) == {
        "Stadsdelsförvaltningar": f"501{NB}055,0{NB}tkr",
        "Fackförvaltningar": f"156{NB}325,0{NB}tkr",
        "Bolag": f"28{NB}222,0{NB}tkr",
        "Kommunalförbund": f"4{NB}093,0{NB}tkr",
    }
    # 61 organisations are charged in 2017: B111 and B115 were wound up at the end of 2016.
    assert len(_org_table(at)) == 61
