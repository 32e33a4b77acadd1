"""Who is looking: the log-in (demo users file or OIDC via st.login) and the Principal every query takes."""

from __future__ import annotations

import hmac
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from getpass import getpass
from pathlib import Path
from typing import Literal, cast, get_args

import bcrypt
import streamlit as st

from dashboards.lib.i18n import t
from pipelines.lib.settings import get_settings

Role = Literal["management", "controller", "data_engineer"]
ROLES: tuple[Role, ...] = get_args(Role)

SESSION_KEY = "principal"

# Checked when the username is unknown, so that a wrong username costs as long as a wrong password
# (bcrypt of a random, discarded password; it matches nothing anyone can type).
_DUMMY_HASH = b"$2b$12$GboqkoPob2ZZJYA/GE07TuiGa7kP4N4Vg.DR5JIsVL4Azr06JEmhu"


class UsersFileError(ValueError):
    """The users file is missing or malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the query layer sees them.

    `allowed_orgs` is None for roles that see every organisation and a (possibly empty) set of
    organisation codes for controllers; queries filter on it with bound parameters.
    """

    username: str
    role: Role
    display_name: str
    allowed_orgs: frozenset[str] | None = None
    auth_method: Literal["demo", "oidc", "test"] = "demo"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (known roles: {', '.join(ROLES)})")
        if self.role == "controller" and self.allowed_orgs is None:
            # A controller without a list must see nothing, never everything.
            object.__setattr__(self, "allowed_orgs", frozenset())
        if self.role != "controller" and self.allowed_orgs is not None:
            object.__setattr__(self, "allowed_orgs", None)

    @property
    def is_restricted(self) -> bool:
        return self.allowed_orgs is not None

    @property
    def org_list(self) -> list[str]:
        """Allowed organisation codes, sorted; empty for unrestricted principals."""
        return sorted(self.allowed_orgs or ())


@dataclass(frozen=True)
class UserRecord:
    username: str
    role: Role
    display_name: str
    orgs: tuple[str, ...]
    email: str | None
    password_hash: bytes | None

    def principal(self, auth_method: Literal["demo", "oidc"]) -> Principal:
        return Principal(
            username=self.username,
            role=self.role,
            display_name=self.display_name,
            allowed_orgs=frozenset(self.orgs) if self.role == "controller" else None,
            auth_method=auth_method,
        )


def users_file() -> Path:
    """The users file: the setting `FORDELA_USERS_FILE`, default `<data dir>/users.toml` (where
    `fordela demo-data` writes the demo city's users)."""
    return get_settings().users_file


def parse_users(data: Mapping[str, object], source: str = "users.toml") -> dict[str, UserRecord]:
    """User records from the parsed TOML (`[users.<username>]` tables)."""
    users = data.get("users")
    if not isinstance(users, Mapping):
        raise UsersFileError(f"{source}: no [users.<name>] tables found")
    records: dict[str, UserRecord] = {}
    for username, entry in users.items():
        where = f"{source} [users.{username}]"
        if not isinstance(entry, Mapping):
            raise UsersFileError(f"{where}: expected a table")
        role = entry.get("role")
        if role not in ROLES:
            raise UsersFileError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        orgs = entry.get("orgs", [])
        if not isinstance(orgs, list) or not all(isinstance(o, str) and o for o in orgs):
            raise UsersFileError(f"{where}: orgs must be a list of organisation codes")
        if role == "controller" and not orgs:
            raise UsersFileError(f"{where}: a controller needs at least one organisation in orgs")
        password_hash = entry.get("password_hash")
        if password_hash is not None and (
            not isinstance(password_hash, str) or not password_hash.startswith("$2")
        ):
            raise UsersFileError(
                f"{where}: password_hash must be a bcrypt hash "
                "(make one with `uv run python -m dashboards.lib.auth`)"
            )
        email = entry.get("email")
        records[username] = UserRecord(
            username=username,
            role=cast(Role, role),
            display_name=str(entry.get("display_name", username)),
            orgs=tuple(orgs),
            email=str(email).strip().lower() if email else None,
            password_hash=password_hash.encode() if password_hash else None,
        )
    return records


def load_users(path: Path | None = None) -> dict[str, UserRecord]:
    path = path or users_file()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise UsersFileError(
            f"{path}: no users file; write one (`fordela demo-data` writes the demo city's "
            "users) or point FORDELA_USERS_FILE at yours"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_users(data, str(path))


def _password_matches(password: str, password_hash: bytes) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), password_hash)
    except ValueError:
        # bcrypt refuses passwords over 72 bytes and malformed hashes: neither is a match.
        return False


def authenticate(username: str, password: str, users: Mapping[str, UserRecord]) -> Principal | None:
    """The principal for a correct username and password, else None."""
    record = users.get(username.strip())
    if record is None or record.password_hash is None:
        _password_matches(password, _DUMMY_HASH)
        return None
    if not _password_matches(password, record.password_hash):
        return None
    return record.principal("demo")


def principal_for_email(email: str | None, users: Mapping[str, UserRecord]) -> Principal | None:
    """The principal mapped to an identity provider's e-mail claim, else None."""
    if not email:
        return None
    wanted = email.strip().lower()
    for record in users.values():
        if record.email is not None and hmac.compare_digest(record.email, wanted):
            return record.principal("oidc")
    return None


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


# --- Streamlit side ---------------------------------------------------------------------------


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section: then st.login() is the only way in."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no or unreadable secrets file means no OIDC
        return False


def current_principal() -> Principal | None:
    """The signed-in principal of this session, or None."""
    if oidc_configured():
        if not st.user.is_logged_in:
            return None
        return principal_for_email(cast(str | None, st.user.get("email")), load_users())
    principal = st.session_state.get(SESSION_KEY)
    return principal if isinstance(principal, Principal) else None


def require_principal() -> Principal:
    """For pages: the principal, or stop the page (the router shows the log-in instead)."""
    principal = current_principal()
    if principal is None:
        st.stop()
    return cast(Principal, principal)


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def login_page() -> None:
    """The only page a signed-out visitor can reach."""
    st.title(t("app_title"))
    st.write(t("login_intro"))
    if oidc_configured():
        if st.user.is_logged_in:
            st.error(t("login_unknown_account", email=st.user.get("email", "?")))
            st.button(t("logout"), on_click=st.logout, key="logout_unknown")
        else:
            st.button(t("login_oidc_button"), on_click=st.login, type="primary", key="login_oidc")
        return

    # Without a readable users file nobody can log in: say why and what to do, not a traceback.
    try:
        users = load_users()
    except UsersFileError as error:
        st.error(t("users_file_problem", problem=str(error)))
        return
    with st.form("login_form"):
        username = st.text_input(t("username"), key="login_username")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_button"), type="primary")
    if submitted:
        principal = authenticate(username, password, users)
        if principal is None:
            st.error(t("login_failed"))
        else:
            st.session_state[SESSION_KEY] = principal
            st.rerun()
    st.caption(t("login_demo_hint"))


def sidebar_user_box(principal: Principal) -> None:
    """Who is signed in, what they may see, and the log-out button."""
    with st.sidebar:
        st.markdown(
            t("signed_in_as", name=principal.display_name, role=t(f"role_{principal.role}"))
        )
        if principal.is_restricted:
            st.caption(t("your_orgs", orgs=", ".join(principal.org_list) or "–"))
        if principal.auth_method == "oidc":
            st.button(t("logout"), on_click=st.logout, key="logout")
        else:
            st.caption(t("demo_mode"))
            st.button(t("logout"), on_click=_sign_out, key="logout")


def main() -> None:
    """`uv run python -m dashboards.lib.auth`: print a bcrypt hash for a new users.toml entry."""
    password = sys.argv[1] if len(sys.argv) > 1 else getpass("Password: ")
    print(hash_password(password))


if __name__ == "__main__":
    main()
