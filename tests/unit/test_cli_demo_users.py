"""`fordela demo-data` writes the demo city's dashboard users beside its landing files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.lib.demo.users import DEMO_USERS_FILE

SMALL = ["--scale", "0.01", "--ledger-formats", "csv"]


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FORDELA_USERS_FILE", raising=False)
    return tmp_path


def test_demo_data_writes_its_users_beside_the_landing_folder_and_keeps_a_city_s_own(
    data_dir: Path,
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["demo-data", *SMALL])
    assert result.exit_code == 0, result.output
    users = data_dir / "users.toml"
    assert users.read_bytes() == DEMO_USERS_FILE.read_bytes()
    assert f"Demo users for the dashboards written to {users}" in result.output
    assert (data_dir / "landing" / "organisations" / "org_groups.csv").exists()

    # A city's own users are never replaced by the demo's without --force.
    users.write_text("# our own users\n", encoding="utf-8")
    result = runner.invoke(app, ["demo-data", *SMALL, "--force"])
    assert result.exit_code == 0, result.output
    assert users.read_bytes() == DEMO_USERS_FILE.read_bytes()
    users.write_text("# our own users\n", encoding="utf-8")
    other = data_dir / "elsewhere" / "landing"
    result = runner.invoke(app, ["demo-data", *SMALL, "--out", str(other)])
    assert result.exit_code == 0, result.output
    # --out: the users go beside that landing folder; the data folder's file is untouched.
    assert (other.parent / "users.toml").read_bytes() == DEMO_USERS_FILE.read_bytes()
    assert users.read_text(encoding="utf-8") == "# our own users\n"
    result = runner.invoke(app, ["demo-data", *SMALL, "--out", str(other), "--force"])
    assert result.exit_code == 0, result.output


def test_demo_data_keeps_an_existing_users_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = data_dir / "config" / "users.toml"
    own.parent.mkdir()
    own.write_text("# our own users\n", encoding="utf-8")
    monkeypatch.setenv("FORDELA_USERS_FILE", str(own))
    result = CliRunner().invoke(app, ["demo-data", *SMALL])
    assert result.exit_code == 0, result.output
    assert own.read_text(encoding="utf-8") == "# our own users\n"
    assert f"Kept the users file {own} (pass --force" in result.output
    assert not (data_dir / "users.toml").exists()
