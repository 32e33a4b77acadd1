"""The users file, password checks and the Principal that every query takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.lib.auth import (
    Principal,
    UsersFileError,
    authenticate,
    load_users,
    parse_users,
    principal_for_email,
    users_file,
)
from pipelines.lib.demo.users import DEMO_USERS_FILE
from tests.dashboards.helpers import DEMO_USERS, new_app

# The demo users are documented with the demo, in the project's README.
README = Path(__file__).resolve().parents[2] / "README.md"


def test_demo_users_file_has_the_documented_users() -> None:
    users = load_users()
    assert set(users) == set(DEMO_USERS)
    for username, (_, role, orgs) in DEMO_USERS.items():
        assert users[username].role == role
        assert (frozenset(users[username].orgs) or None) == orgs


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_documented_demo_password_logs_in(username: str) -> None:
    password, role, orgs = DEMO_USERS[username]
    principal = authenticate(username, password, load_users())
    assert principal is not None
    assert principal.role == role
    assert principal.allowed_orgs == orgs
    readme = README.read_text(encoding="utf-8")
    assert f"`{username}`" in readme and f"`{password}`" in readme


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ledning", "wrong"),
        ("ledning", ""),
        ("ledning", "ledning-demo" * 10),  # over bcrypt's 72 bytes: refused, not an error
        ("nobody", "ledning-demo"),
        ("", ""),
        ("ledning' --", "x"),
    ],
)
def test_wrong_credentials_are_refused(username: str, password: str) -> None:
    assert authenticate(username, password, load_users()) is None


def test_controller_without_orgs_sees_nothing_not_everything() -> None:
    principal = Principal("x", "controller", "X")
    assert principal.is_restricted
    assert principal.org_list == []


def test_unrestricted_roles_ignore_an_org_list() -> None:
    principal = Principal("x", "management", "X", allowed_orgs=frozenset({"N131"}))
    assert not principal.is_restricted
    assert principal.allowed_orgs is None


def test_unknown_role_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        Principal("x", "admin", "X")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"role": "boss"}, "role 'boss'"),
        ({"role": "controller"}, "at least one organisation"),
        ({"role": "controller", "orgs": "N131"}, "list of organisation codes"),
        ({"role": "management", "password_hash": "plain-text"}, "bcrypt hash"),
    ],
)
def test_malformed_users_file_names_the_entry(entry: dict[str, object], message: str) -> None:
    with pytest.raises(UsersFileError, match=message) as info:
        parse_users({"users": {"eva": entry}}, "users.toml")
    assert "[users.eva]" in str(info.value)


def test_oidc_email_maps_to_role_case_insensitively() -> None:
    users = load_users()
    principal = principal_for_email("Angered@Fordela.Example", users)
    assert principal is not None
    assert principal.role == "controller"
    assert principal.allowed_orgs == frozenset({"N131"})
    assert principal.auth_method == "oidc"
    assert principal_for_email("stranger@example.com", users) is None
    assert principal_for_email(None, users) is None


def test_the_users_file_is_a_setting_beside_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FORDELA_USERS_FILE")
    assert users_file() == tmp_path / "users.toml"
    monkeypatch.setenv("FORDELA_USERS_FILE", str(tmp_path / "elsewhere.toml"))
    assert users_file() == tmp_path / "elsewhere.toml"
    # Nothing in the dashboards names a city's users: the demo's live with the demo generator.
    assert DEMO_USERS_FILE.parent.name == "demo"
    assert not (Path(__file__).resolve().parents[2] / "dashboards" / "users.toml").exists()


@pytest.mark.parametrize(
    "content", [None, "[users.eva]\nrole = 'boss'\n"], ids=["missing", "malformed"]
)
def test_login_page_says_what_is_wrong_with_the_users_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing_snapshot: Path, content: str | None
) -> None:
    path = tmp_path / "users.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("FORDELA_USERS_FILE", str(path))
    at = new_app().run()
    assert not at.exception
    assert not at.text_input  # no form nobody could use
    (error,) = [e.value for e in at.error]
    assert error.startswith("Ingen kan logga in ännu: ")
    assert str(path) in error
    assert ("fordela demo-data" in error) if content is None else ("role 'boss'" in error)
