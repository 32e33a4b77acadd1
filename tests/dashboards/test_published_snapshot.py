"""The budget page on a snapshot published by a real in-process pipeline run (no fixture data)."""

from __future__ import annotations

import pytest

from tests.dashboards.helpers import logged_in, metrics

pytestmark = pytest.mark.slow
NB = "\u00a0"


@pytest.fixture
def published(pipeline_run, monkeypatch: pytest.MonkeyPatch):
    assert pipeline_run.success
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(pipeline_run.snapshot))
    return pipeline_run.snapshot


def test_budget_2017_as_published(published) -> None:
    at = logged_in("ledning")
    assert not at.exception
    assert at.selectbox(key="budget_plan_version").value == "Budget 2017"
    assert metrics(at) == {
        "Totalt": f"689{NB}695,0{NB}tkr",
        "Vidmakthållande": f"620{NB}000,0{NB}tkr",
        "Utveckling": f"69{NB}695,0{NB}tkr",
    }
    groups = at.dataframe[1].value
    assert dict(zip(groups["Grupp"], groups["Belopp"], strict=True)) == {
        "Stadsdelsförvaltningar": f"501{NB}055,0{NB}tkr",
        "Fackförvaltningar": f"156{NB}325,0{NB}tkr",
        "Bolag": f"28{NB}222,0{NB}tkr",
        "Kommunalförbund": f"4{NB}093,0{NB}tkr",
    }
    # 61 organisations are charged in 2017: B111 and B115 were wound up at the end of 2016.
    organisations = at.dataframe[-1].value
    assert len(organisations) == 61


def test_controller_of_angered_sees_only_angered(published) -> None:
    at = logged_in("angered")
    assert not at.exception
    organisations = at.dataframe[-1].value
    assert len(organisations) == 1
    assert organisations.iloc[0].astype(str).str.contains("Angered").any()
