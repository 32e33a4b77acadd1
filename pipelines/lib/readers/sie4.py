"""Read and write SIE 4 files (the Swedish ledger export, codepage 437) as canonical ledger rows.

SIE 4B in brief: one record per line, a label (`#VER`) then fields separated by spaces or tabs;
a field with spaces is quoted (`"Lön till tjänstemän"`, a quote inside written `\\"`); an object
list is `{dimension object ...}` (`{1 "SSC-9001" 20 "IT-DRIFT"}`, possibly `{}`); trailing
optional fields may be left out. A voucher is `#VER series number date text [regdate] [sign]`
followed by its rows between a line `{` and a line `}`.

Rows of changed vouchers (how this reader counts them, following SIE 4B):

- `#TRANS`: a row of the voucher as it now stands. Counted.
- `#RTRANS`: a row added after the voucher was first registered. Counted. The standard requires
  every `#RTRANS` to be followed immediately by an identical `#TRANS`, so that a program that
  does not know `#RTRANS` still sees the row; that duplicate is skipped, so the row counts once.
  An `#RTRANS` without its duplicate is still counted once, and a warning says so.
- `#BTRANS`: a row removed after registration. Not part of the voucher, its balance or the
  ledger; kept in `SieFile.removed_rows` for the record.

Balances (`#IB #UB #OIB #OUB #RES #PSALDO #PBUDGET`) are kept in `SieFile.balances`; they are not
ledger rows. Records the standard defines but fordela does not need (`#ADRESS`, `#SRU`, ...) and
records unknown to this reader are skipped outside vouchers (the standard asks readers to
ignore what they do not know) and counted in `metadata["skipped_records"]`; inside a voucher
only `#TRANS`, `#RTRANS` and `#BTRANS` are allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipelines.lib.readers.columns import CONTRACT_COLUMNS
from pipelines.lib.readers.common import ReaderError, ReadResult, Record, RowProblem

LEDGER_COLUMNS = CONTRACT_COLUMNS["ledger"]
ACCOUNT_COLUMNS = CONTRACT_COLUMNS["accounts"]


@dataclass(frozen=True)
class SieDimensions:
    """Which SIE dimension (`#DIM` number) carries which canonical ledger column."""

    cost_centre: int = 1  # SIE reserves 1 for kostnadsställe / resultatenhet: the ansvar
    project: int = 6  # SIE reserves 6 for projekt
    activity: int = 20  # 20 and up are free; the verksamhet (service) code
    counterparty: int | None = 9  # SIE reserves 9 for leverantör; None: no counterparty

    def names(self) -> dict[int, str]:
        """Default `#DIM` names the writer uses."""
        names = {self.cost_centre: "Ansvar", self.project: "Projekt", self.activity: "Verksamhet"}
        if self.counterparty is not None:
            names[self.counterparty] = "Motpart"
        return names


DEFAULT_DIMENSIONS = SieDimensions()


@dataclass(frozen=True)
class SieObject:
    """One `#OBJEKT`: a code of a dimension and its name (`1 "SKO-0001" "Skola kansli"`)."""

    dimension: int
    code: str
    name: str


@dataclass(frozen=True)
class SieBalance:
    """One `#IB #UB #OIB #OUB #RES #PSALDO #PBUDGET` record, as read."""

    kind: str  # IB, UB, OIB, OUB, RES, PSALDO, PBUDGET
    year: int  # 0 = the file's fiscal year, -1 = the year before, ...
    period: str | None  # YYYY-MM for PSALDO / PBUDGET
    account: str
    objects: tuple[tuple[int, str], ...]
    amount: str
    quantity: str | None
    line: int


@dataclass(frozen=True)
class RemovedRow:
    """One `#BTRANS`: a row removed from a voucher after registration (not in the ledger)."""

    line: int
    voucher_series: str
    voucher_number: str
    account: str
    objects: tuple[tuple[int, str], ...]
    amount: str
    text: str | None


@dataclass(frozen=True)
class SieTrans:
    """One row of a voucher to write. `kind` RTRANS writes `#RTRANS` plus its `#TRANS` twin."""

    account: str
    amount: Decimal | int | str | float
    objects: Mapping[int, str] = field(default_factory=dict)
    trans_date: date | str | None = None
    text: str | None = None
    quantity: Decimal | int | str | float | None = None
    kind: str = "TRANS"


@dataclass
class SieVoucher:
    """One voucher to write."""

    series: str
    number: str | int
    voucher_date: date | str
    text: str = ""
    rows: list[SieTrans] = field(default_factory=list)
    registered: date | str | None = None


@dataclass
class SieFile:
    """Everything read from one SIE 4 file. Ledger rows are in `records` (canonical columns)."""

    source: str
    records: list[Record] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    problem_records: dict[int, Record] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    account_lines: dict[str, int] = field(default_factory=dict)
    account_types: dict[str, str] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)
    objects: list[SieObject] = field(default_factory=list)
    balances: list[SieBalance] = field(default_factory=list)
    removed_rows: list[RemovedRow] = field(default_factory=list)
    fiscal_years: dict[int, tuple[str, str]] = field(default_factory=dict)
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.row_problems})

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.problem_rows)


# --------------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------------

# A quoted string (with \" escapes), a brace, a bare field, or a lone quote (unterminated string).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|[^\s"{}]+|"')
_ESCAPE = re.compile(r'\\(["\\])')
_CANONICAL_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")
_LOOSE_AMOUNT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_SIE_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_BARE = re.compile(r'[^\s"{}\\]+')
_Q = r'"(?:[^"\\]|\\.)*"'
_F = rf'(?:{_Q}|[^\s"{{}}]+)'
# The common shape of a row: account {objects} amount [date [text [quantity [sign]]]].
# Anything else (no object list, a brace inside a quoted object, damage) takes the general path.
_FAST_ROW = re.compile(
    rf"({_F})\s*\{{([^{{}}]*)\}}\s*({_F})(?:\s+{_F}(?:\s+({_F})(?:\s+{_F}(?:\s+{_F})?)?)?)?\s*"
)


class _Unterminated(Exception):
    pass


def tokenize(text: str) -> list[str]:
    """Split the fields of one record into raw tokens (quoted tokens keep their quotes)."""
    return _TOKEN.findall(text)


def unquote(token: str) -> str:
    """A raw token's value: quotes removed, `\\"` and `\\\\` unescaped."""
    if token[:1] == '"':
        if len(token) == 1:
            raise _Unterminated
        inner = token[1:-1]
        return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner
    return token


def parse_fields(text: str) -> list[str | tuple[tuple[int, str], ...]]:
    """The fields of one record: strings, and object lists as tuples of (dimension, object)."""
    tokens = tokenize(text)
    fields: list[str | tuple[tuple[int, str], ...]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "{":
            end = _closing_brace(tokens, i)
            fields.append(_object_pairs(tokens[i + 1 : end]))
            i = end + 1
        elif token == "}":
            raise _FieldError("a } without an opening {")
        else:
            try:
                fields.append(unquote(token))
            except _Unterminated:
                raise _FieldError("a quoted field has no closing quote") from None
            i += 1
    return fields


class _FieldError(Exception):
    """A record whose fields cannot be read; carries the offending column when known."""

    def __init__(self, what: str, column: str | None = None, value: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.column = column
        self.value = value


def _closing_brace(tokens: list[str], start: int) -> int:
    for end in range(start + 1, len(tokens)):
        if tokens[end] == "}":
            return end
        if tokens[end] == "{":
            break
    raise _FieldError("the object list opened with { is not closed with }")


def _object_pairs(inner: list[str]) -> tuple[tuple[int, str], ...]:
    if len(inner) % 2:
        raise _FieldError(
            'the object list must hold dimension/object pairs, e.g. {1 "SKO-0001" 20 "IT-DRIFT"}',
            "objects",
            " ".join(inner),
        )
    pairs = []
    try:
        values = [unquote(t) for t in inner]
    except _Unterminated:
        raise _FieldError("a quoted object has no closing quote") from None
    seen: set[int] = set()
    for k in range(0, len(values), 2):
        if not values[k].isdigit():
            raise _FieldError(
                f"'{values[k]}' in the object list is not a dimension number", "objects", values[k]
            )
        dimension = int(values[k])
        if dimension in seen:
            raise _FieldError(
                f"dimension {dimension} appears twice in the object list", "objects", values[k]
            )
        seen.add(dimension)
        pairs.append((dimension, values[k + 1]))
    return tuple(pairs)


def _trans_fields(tokens: list[str]) -> tuple[str, tuple[tuple[int, str], ...], str, str]:
    """(account, objects, amount, text) of a #TRANS/#RTRANS/#BTRANS; date/quantity unused."""
    n = len(tokens)
    if '"' in tokens:
        raise _FieldError("a quoted field has no closing quote")
    if n == 0 or tokens[0] in ("{", "}"):
        raise _FieldError("the row has no account", "account")
    try:
        account = unquote(tokens[0])
        i = 1
        objects: tuple[tuple[int, str], ...] = ()
        if n > 1 and tokens[1] == "{":
            end = _closing_brace(tokens, 1)
            objects = _object_pairs(tokens[2:end])
            i = end + 1
        if "{" in tokens[i:] or "}" in tokens[i:]:
            raise _FieldError("a { or } outside the object list")
        if i >= n:
            raise _FieldError("the row has no amount", "amount_sek")
        amount = unquote(tokens[i])
        # tokens[i + 1] is the transaction date: the canonical row takes the voucher's date.
        text = unquote(tokens[i + 2]) if i + 2 < n else ""
    except _Unterminated:
        raise _FieldError("a quoted field has no closing quote") from None
    return account, objects, amount, text


def _value(token: str) -> str:
    """A complete token's value (the fast path: the regex guarantees closing quotes)."""
    if token[0] == '"':
        inner = token[1:-1]
        return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner
    return token


_PAIRS_OK = re.compile(rf'(?:\s*(?:\d+|"\d+")\s+{_F})*\s*')
_PAIR = re.compile(r'"?(\d+)"?\s+(?:"((?:[^"\\]|\\.)*)"|([^\s"{}]+))')


def _row_fields(rest: str) -> tuple[str, dict[int, str], str, str]:
    """(account, {dimension: object}, amount, text) of a #TRANS/#RTRANS/#BTRANS record."""
    match = _FAST_ROW.fullmatch(rest)
    if match is not None and _PAIRS_OK.fullmatch(match[2]):
        objects: dict[int, str] = {}
        pairs = 0
        for dim, quoted, bare in _PAIR.findall(match[2]):
            pairs += 1
            if "\\" in quoted:
                quoted = _ESCAPE.sub(r"\1", quoted)
            objects[int(dim)] = quoted or bare
        if len(objects) == pairs:  # else a dimension twice: the general path says so
            account, amount, text = match[1], match[3], match[4]
            if account[0] == '"':
                account = _value(account)
            if amount[0] == '"':
                amount = _value(amount)
            return account, objects, amount, _value(text) if text else ""
    account, pairs_found, amount, text = _trans_fields(tokenize(rest))
    return account, dict(pairs_found), amount, text


def _same_fields(a: list[str], b: list[str]) -> bool:
    try:
        return [unquote(t) for t in a] == [unquote(t) for t in b]
    except _Unterminated:
        return False


# --------------------------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------------------------

_PC8_SWEDISH = bytes([0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82, 0x81, 0x90])  # åäöÅÄÖéüÉ
_CP1252_SWEDISH = bytes([0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9, 0xFC, 0xC9])

_BALANCE_KINDS = {"#IB", "#UB", "#RES", "#OIB", "#OUB", "#PSALDO", "#PBUDGET"}
_KNOWN_SKIPPED = {
    "#ADRESS",
    "#BKOD",
    "#ENHET",
    "#FNR",
    "#FTYP",
    "#KPTYP",
    "#OMFATTN",
    "#PROSA",
    "#SRU",
    "#TAXAR",
    "#KSUMMA",
}
_ROW_LABELS = {"#TRANS", "#RTRANS", "#BTRANS"}
_DAMAGED = "the export is damaged or was changed by hand; export it again from the ledger system"


def _decode(data: bytes, source: str) -> tuple[str, str, str | None]:
    """Text, encoding and a warning when the file is not in the PC8 (codepage 437) it must be."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.isascii():
        return data.decode("ascii"), "cp437", None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return (
            text,
            "utf-8",
            (
                f"{source}: the file is UTF-8 although SIE 4 requires PC8 (codepage 437); it was read "
                "as UTF-8. Check that å, ä and ö look right, and ask for a PC8 export."
            ),
        )
    pc8 = sum(data.count(b) for b in _PC8_SWEDISH)
    windows = sum(data.count(b) for b in _CP1252_SWEDISH)
    if windows > pc8:
        return (
            data.decode("cp1252", errors="replace"),
            "cp1252",
            (
                f"{source}: the file is Windows-1252 although SIE 4 requires PC8 (codepage 437); it "
                "was read as Windows-1252. Check that å, ä and ö look right, and ask for a PC8 export."
            ),
        )
    return data.decode("cp437"), "cp437", None


def _iso_date(value: str) -> str | None:
    match = _SIE_DATE.fullmatch(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


@dataclass
class _Voucher:
    series: str
    number: str
    date_raw: str
    voucher_date: str | None
    text: str
    line: int
    rows: list[tuple[int, Record, Decimal | None]] = field(default_factory=list)
    problems: dict[int, RowProblem] = field(default_factory=dict)
    twin: tuple[str, int] | None = None  # an #RTRANS (fields, line) awaiting its #TRANS twin

    @property
    def name(self) -> str:
        return f"{self.series} {self.number}".strip()


class _SieReader:
    def __init__(self, source: str, dimensions: SieDimensions) -> None:
        self.source = source
        self.dims = dimensions
        self.out = SieFile(source=source)
        self.skipped: Counter[str] = Counter()
        self.twins_skipped = 0
        self.vouchers = 0

    # -- errors -------------------------------------------------------------------------------

    def fail(self, line: int | None, what: str, fix: str = _DAMAGED) -> ReaderError:
        return ReaderError(self.source, what, fix, line=line)

    def warn(self, line: int, what: str) -> None:
        self.out.warnings.append(f"{self.source} line {line}: {what}")

    def fields(self, label: str, rest: str, line: int) -> list[str | tuple[tuple[int, str], ...]]:
        try:
            return parse_fields(rest)
        except _FieldError as error:
            raise self.fail(line, f"cannot read {label}: {error.what}") from None

    # -- top level ----------------------------------------------------------------------------

    def read(self, text: str) -> SieFile:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        voucher: _Voucher | None = None  # open: between { and }
        pending: _Voucher | None = None  # #VER read, its { not yet
        seen_record = False
        last = 0
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            last = number
            if voucher is not None:
                if line == "}":
                    self.close(voucher, number)
                    voucher = None
                    continue
                if line[:7] == "#TRANS ":  # by far the most common line: skip the split
                    self.row(voucher, "#TRANS", line[7:], number)
                    continue
                parts = line.split(None, 1)
                label = parts[0].upper()
                if label in _ROW_LABELS:
                    self.row(voucher, label, parts[1] if len(parts) > 1 else "", number)
                    continue
                if label == "#VER":
                    raise self.fail(
                        number,
                        f"voucher {voucher.name} opened at line {voucher.line} is not closed "
                        "with } before the next #VER",
                    )
                raise self.fail(
                    number,
                    f"unexpected record '{parts[0]}' inside voucher {voucher.name} (opened at "
                    f"line {voucher.line}); only #TRANS, #RTRANS and #BTRANS may appear between "
                    "{ and }",
                )
            if line == "{":
                if pending is None:
                    raise self.fail(number, "a { that does not follow a #VER")
                voucher, pending = pending, None
                continue
            if pending is not None:
                self.warn(
                    pending.line,
                    f"voucher {pending.name} has no {{ }} block with rows; it was read as an "
                    "empty voucher",
                )
                pending = None
            if line == "}":
                raise self.fail(number, "a } without an open voucher")
            if not line.startswith("#"):
                if not seen_record:
                    raise self.fail(
                        number,
                        f"the file does not start with a SIE record (#FLAGGA, #FORMAT, ...) but "
                        f"with '{line[:40]}'; this is not a SIE file",
                        "export the ledger as SIE type 4, or deliver it as CSV/XLSX with the "
                        "ledger columns (docs/input-formats.md)",
                    )
                raise self.fail(number, f"a line that is not a SIE record: '{line[:40]}'")
            seen_record = True
            parts = line.split(None, 1)
            label = parts[0].upper()
            rest = parts[1] if len(parts) > 1 else ""
            if label == "#VER":
                opened, opens_block = self.ver(rest, number)
                if opens_block:  # `{` written at the end of the #VER line
                    voucher = opened
                else:
                    pending = opened
            elif label in _ROW_LABELS:
                raise self.fail(number, f"{parts[0]} outside a voucher (no #VER and {{ before it)")
            else:
                self.header(label, rest, number)
        if voucher is not None:
            raise ReaderError(
                self.source,
                f"file ends inside voucher {voucher.name} opened at line {voucher.line}",
                "the export was cut off, export it again.",
                line=voucher.line,
                location="",
            )
        if pending is not None:
            raise ReaderError(
                self.source,
                f"file ends after #VER {pending.name} at line {pending.line}, before its rows",
                "the export was cut off, export it again.",
                line=pending.line,
                location="",
            )
        if not seen_record:
            raise self.fail(None, "the file is empty", "export it again or remove it")
        self.out.metadata.update(
            {
                "vouchers": self.vouchers,
                "rtrans_twins_skipped": self.twins_skipped,
                "removed_rows": len(self.out.removed_rows),
                "balances": len(self.out.balances),
                "skipped_records": dict(self.skipped),
                "lines": last,
            }
        )
        return self.out

    def header(self, label: str, rest: str, number: int) -> None:
        meta = self.out.metadata
        if label in _BALANCE_KINDS:
            self.balance(label, rest, number)
            return
        if label in _KNOWN_SKIPPED or label not in _HEADER_LABELS:
            self.skipped[label] += 1
            return
        fields = [f for f in self.fields(label, rest, number) if isinstance(f, str)]
        first = fields[0] if fields else ""
        if label == "#FORMAT":
            meta["sie_format"] = first
            if first.upper() != "PC8":
                raise self.fail(
                    number,
                    f"#FORMAT is '{first}', but SIE 4 files are written in PC8 (codepage 437)",
                    "export the file again with the character set PC8 / IBM 437, as the SIE "
                    "standard requires",
                )
        elif label == "#SIETYP":
            meta["sie_type"] = first
            if not first.startswith("4"):
                raise self.fail(
                    number,
                    f"#SIETYP is {first or 'empty'}: a type {first} file has balances but no vouchers",
                    "export SIE type 4 (with vouchers) from the ledger system",
                )
        elif label == "#VALUTA":
            meta["currency"] = first
            if first.upper() != "SEK":
                raise self.fail(
                    number,
                    f"#VALUTA is '{first}', but ledger amounts must be in SEK",
                    "export the ledger in SEK",
                )
        elif label == "#FLAGGA":
            meta["flag"] = first
        elif label == "#PROGRAM":
            meta["program"] = " ".join(fields)
        elif label == "#GEN":
            meta["generated"] = _iso_date(first) or first
        elif label == "#FNAMN":
            meta["company"] = first
        elif label == "#ORGNR":
            meta["orgnr"] = first
        elif label == "#RAR":
            start, end = (fields + ["", "", ""])[1:3]
            if not first.lstrip("-").isdigit() or not _iso_date(start) or not _iso_date(end):
                self.warn(number, f"#RAR {rest} is not a year number with two dates; skipped")
                return
            self.out.fiscal_years[int(first)] = (_iso_date(start) or "", _iso_date(end) or "")
        elif label == "#KONTO":
            if not first:
                raise self.fail(number, "cannot read #KONTO: no account number")
            self.out.accounts[first] = fields[1] if len(fields) > 1 else ""
            self.out.account_lines[first] = number
        elif label == "#KTYP":
            if len(fields) >= 2:
                self.out.account_types[first] = fields[1].upper()
        elif label in ("#DIM", "#UNDERDIM"):
            if not first.isdigit():
                raise self.fail(number, f"cannot read {label}: '{first}' is not a dimension number")
            self.out.dimensions[int(first)] = fields[1] if len(fields) > 1 else ""
        elif label == "#OBJEKT":
            if not first.isdigit() or len(fields) < 2:
                raise self.fail(
                    number, "cannot read #OBJEKT: expected a dimension number, a code and a name"
                )
            name = fields[2] if len(fields) > 2 else ""
            self.out.objects.append(SieObject(int(first), fields[1], name))

    def balance(self, label: str, rest: str, number: int) -> None:
        fields = self.fields(label, rest, number)
        try:
            year = int(str(fields[0]))
            period: str | None = None
            i = 1
            if label in ("#PSALDO", "#PBUDGET"):
                raw_period = str(fields[1])
                period = f"{raw_period[:4]}-{raw_period[4:6]}"
                i = 2
            account = str(fields[i])
            objects: tuple[tuple[int, str], ...] = ()
            if label not in ("#IB", "#UB", "#RES"):
                found = fields[i + 1]
                if not isinstance(found, tuple):
                    raise ValueError("no object list")
                objects = found
                i += 1
            amount = str(fields[i + 1])
            Decimal(amount)
            quantity = str(fields[i + 2]) if len(fields) > i + 2 else None
        except (IndexError, ValueError, InvalidOperation):
            self.warn(
                number, f"{label} {rest} cannot be read; skipped (balances are not ledger rows)"
            )
            return
        self.out.balances.append(
            SieBalance(label[1:], year, period, account, objects, amount, quantity, number)
        )

    def ver(self, rest: str, number: int) -> tuple[_Voucher, bool]:
        tokens = tokenize(rest)
        opens_block = bool(tokens) and tokens[-1] == "{"
        if opens_block:
            tokens = tokens[:-1]
        try:
            values = [unquote(t) for t in tokens]
        except _Unterminated:
            raise self.fail(
                number, "cannot read #VER: a quoted field has no closing quote"
            ) from None
        if "{" in tokens or "}" in tokens:
            raise self.fail(number, "cannot read #VER: unexpected { or }")
        values += [""] * (4 - len(values))
        series, voucher_number, date_raw, text = values[:4]
        voucher = _Voucher(series, voucher_number, date_raw, _iso_date(date_raw), text, number)
        self.vouchers += 1
        return voucher, opens_block

    # -- voucher rows -------------------------------------------------------------------------

    def row(self, voucher: _Voucher, label: str, rest: str, number: int) -> None:
        if voucher.twin is not None:
            twin_rest, twin_line = voucher.twin
            voucher.twin = None
            if label == "#TRANS" and _same_fields(tokenize(rest), tokenize(twin_rest)):
                self.twins_skipped += 1
                return
            self.warn(
                twin_line,
                f"#RTRANS in voucher {voucher.name} is not followed by an identical #TRANS as "
                "SIE 4B requires; the added row was counted once and the next row read as is",
            )
        if label == "#BTRANS":
            try:
                account, objects, amount, text = _row_fields(rest)
            except _FieldError as error:
                self.warn(number, f"#BTRANS cannot be read ({error.what}); skipped")
                return
            self.out.removed_rows.append(
                RemovedRow(
                    number,
                    voucher.series,
                    voucher.number,
                    account,
                    tuple(objects.items()),
                    amount,
                    text or None,
                )
            )
            return
        if label == "#RTRANS":
            voucher.twin = (rest, number)
        try:
            account, by_dim, amount, text = _row_fields(rest)
        except _FieldError as error:
            record = self.record(voucher, None, {}, None, None)
            value = error.value if error.value is not None else rest
            self.problem(
                voucher,
                number,
                record,
                error.column,
                value,
                "syntax",
                f"{label} cannot be read: {error.what}",
                _DAMAGED,
            )
            return
        record = self.record(voucher, account, by_dim, amount, text)
        number_value: Decimal
        if _CANONICAL_AMOUNT.fullmatch(amount):
            number_value = Decimal(amount)
        elif _LOOSE_AMOUNT.fullmatch(amount):
            number_value = Decimal(amount)
            record["amount_sek"] = format(number_value, "f")
        else:
            self.problem(
                voucher,
                number,
                record,
                "amount_sek",
                amount,
                "number",
                f"the amount '{amount}' is not a number",
                "SIE amounts are written with a point and no thousands separator (-1234.50); "
                "correct the export and load it again",
            )
            return
        voucher.rows.append((number, record, number_value))

    def record(
        self,
        voucher: _Voucher,
        account: str | None,
        by_dim: dict[int, str],
        amount: str | None,
        text: str | None,
    ) -> Record:
        dims = self.dims
        return {
            "voucher_series": voucher.series or None,
            "voucher_number": voucher.number or None,
            "voucher_date": voucher.voucher_date or voucher.date_raw or None,
            "period": voucher.voucher_date[:7] if voucher.voucher_date else None,
            "account": account or None,
            "cost_centre_code": by_dim.get(dims.cost_centre) or None,
            "activity_code": by_dim.get(dims.activity) or None,
            "project_code": by_dim.get(dims.project) or None,
            "counterparty": (
                by_dim.get(dims.counterparty) or None if dims.counterparty is not None else None
            ),
            "amount_sek": amount or None,
            "text": text or voucher.text or None,
        }

    def problem(
        self,
        voucher: _Voucher,
        number: int,
        record: Record,
        column: str | None,
        value: str | None,
        check: str,
        what: str,
        fix: str,
    ) -> None:
        message = (
            f"{self.source} line {number}: {what} (voucher {voucher.name} opened at line "
            f"{voucher.line}); {fix}. The whole voucher is held back so the ledger stays balanced."
        )
        voucher.problems[number] = RowProblem(number, column, value, check, message)
        voucher.rows.append((number, record, None))

    def close(self, voucher: _Voucher, number: int) -> None:
        out = self.out
        if voucher.twin is not None:
            self.warn(
                voucher.twin[1],
                f"#RTRANS in voucher {voucher.name} is not followed by an identical #TRANS as "
                "SIE 4B requires; the added row was counted once",
            )
            voucher.twin = None
        rows = voucher.rows
        if not rows:
            return
        reason: tuple[str | None, str, str] | None = None  # column, check, message
        if voucher.voucher_date is None:
            reason = (
                "voucher_date",
                "date",
                f"voucher {voucher.name} opened at line {voucher.line} has the date "
                f"'{voucher.date_raw}', which is not a date YYYYMMDD; {_DAMAGED}.",
            )
        elif voucher.problems:
            lines = ", ".join(str(n) for n in sorted(voucher.problems))
            reason = (
                None,
                "voucher_incomplete",
                f"voucher {voucher.name} opened at line {voucher.line} has rows that cannot be read "
                f"(line {lines}); the whole voucher is held back so the ledger stays balanced. "
                "Correct those rows and load the file again.",
            )
        else:
            total = sum((value for _, _, value in rows if value is not None), Decimal(0))
            if total != 0:
                reason = (
                    "amount_sek",
                    "voucher_balanced",
                    f"voucher {voucher.name} opened at line {voucher.line} does not balance: its "
                    f"{len(rows)} rows sum to {format(total, 'f')} SEK instead of 0; correct "
                    "the voucher in the ledger system and export the file again. The whole "
                    "voucher is held back.",
                )
        if reason is None:
            for line, record, _ in rows:
                out.records.append(record)
                out.row_numbers.append(line)
            return
        column, check, message = reason
        for line, record, _ in rows:
            own = voucher.problems.get(line)
            if own is not None:
                out.row_problems.append(own)
            if own is None or check == "date":
                value = record.get(column) if column else None
                out.row_problems.append(
                    RowProblem(line, column, value, check, f"{self.source} line {line}: {message}")
                )
            out.problem_records[line] = record


_HEADER_LABELS = {
    "#FLAGGA",
    "#FORMAT",
    "#SIETYP",
    "#PROGRAM",
    "#GEN",
    "#FNAMN",
    "#ORGNR",
    "#VALUTA",
    "#RAR",
    "#KONTO",
    "#KTYP",
    "#DIM",
    "#UNDERDIM",
    "#OBJEKT",
}


def parse_sie4(
    data: bytes,
    source: str,
    dimensions: SieDimensions = DEFAULT_DIMENSIONS,
    *,
    encoding: str | None = None,
) -> SieFile:
    """Read SIE 4 bytes. Raises ReaderError for a file that cannot be read as a whole.

    `encoding=None` detects it: PC8 (codepage 437) as the standard says, unless the bytes are
    valid UTF-8, or Swedish letters only make sense as Windows-1252 (a common mislabelling; a
    warning says so). The guess can only be fooled by a PC8 file whose sole non-ASCII
    characters are box-drawing or Greek symbols; pass `encoding="cp437"` to trust the label.
    """
    if not data.strip():
        raise ReaderError(source, "the file is empty", "export it again or remove it.")
    if encoding is None:
        text, encoding, warning = _decode(data, source)
    else:
        text, warning = data.removeprefix(b"\xef\xbb\xbf").decode(encoding, errors="replace"), None
    reader = _SieReader(source, dimensions)
    if warning:
        reader.out.warnings.append(warning)
    result = reader.read(text)
    result.metadata["encoding"] = encoding
    result.metadata["format"] = "sie4"
    result.metadata["dimensions_used"] = {
        "cost_centre": dimensions.cost_centre,
        "activity": dimensions.activity,
        "project": dimensions.project,
        "counterparty": dimensions.counterparty,
    }
    return result


def read_sie4(
    path: Path,
    *,
    dimensions: SieDimensions = DEFAULT_DIMENSIONS,
    display_name: str | None = None,
    encoding: str | None = None,
) -> SieFile:
    """Read one SIE 4 file (see the module docstring for what is counted)."""
    return parse_sie4(path.read_bytes(), display_name or path.name, dimensions, encoding=encoding)


_ACCOUNT_CLASS = {"T": "balance", "S": "balance", "I": "revenue", "K": "cost"}


def to_read_result(sie: SieFile, table: str, expected_columns: list[str]) -> ReadResult:
    """The ledger (`table="ledger"`) or chart of accounts (`"accounts"`) of a read SIE file."""
    produced = {"ledger": LEDGER_COLUMNS, "accounts": ACCOUNT_COLUMNS}.get(table)
    if produced is None:
        raise ReaderError(
            sie.source,
            f"a SIE file holds the ledger and the chart of accounts, not the {table} table",
            "deliver this table as CSV or XLSX (docs/input-formats.md)",
        )
    if set(expected_columns) != set(produced):
        raise ReaderError(
            sie.source,
            f"the {table} contract expects columns {', '.join(expected_columns)}, but SIE yields "
            f"{', '.join(produced)}",
            "update pipelines/lib/readers/sie4.py together with the contract",
        )
    metadata: dict[str, object] = {
        "encoding": None,
        "delimiter": None,
        "sheet": None,
        "header_row": None,
        **sie.metadata,
    }
    result = ReadResult(
        source=sie.source,
        table=table,
        columns=list(expected_columns),
        metadata=metadata,
        warnings=list(sie.warnings),
    )
    if table == "ledger":
        if not sie.records and not sie.row_problems:
            raise ReaderError(
                sie.source,
                "the file has no voucher rows (#VER with #TRANS)",
                "export SIE type 4 with the vouchers of the period, or remove the file",
            )
        result.records = [{c: r[c] for c in expected_columns} for r in sie.records]
        result.row_numbers = list(sie.row_numbers)
        result.row_problems = list(sie.row_problems)
        result.problem_records = dict(sie.problem_records)
        return result
    if not sie.accounts:
        raise ReaderError(
            sie.source,
            "the file has no accounts (#KONTO)",
            "export SIE type 4 including the chart of accounts",
        )
    start = sie.fiscal_years.get(0, ("", ""))[0]
    fiscal_year = start[:4] or None
    untyped = [a for a in sie.accounts if a not in sie.account_types]
    if untyped:
        result.warnings.append(
            f"{sie.source}: {len(untyped)} account(s) have no #KTYP (e.g. {untyped[0]}); their "
            "account_class is left empty"
        )
    for account, name in sie.accounts.items():
        row = {
            "fiscal_year": fiscal_year,
            "account": account,
            "account_name": name or None,
            "account_class": _ACCOUNT_CLASS.get(sie.account_types.get(account, "")),
        }
        result.records.append({c: row[c] for c in expected_columns})
        result.row_numbers.append(sie.account_lines[account])
    return result


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def _quoted(value: str) -> str:
    clean = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in value)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _field(value: str) -> str:
    return value if _BARE.fullmatch(value) else _quoted(value)


def _sie_date_text(value: date | str) -> str:
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    compact = value.replace("-", "")
    if not _iso_date(compact):
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD or YYYYMMDD)")
    return compact


def _number_text(value: Decimal | int | str | float) -> str:
    if isinstance(value, float):
        value = Decimal(repr(value))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' is not a finite number")
    return format(number, "f")


def _trans_line(label: str, row: SieTrans) -> str:
    objects = " ".join(f"{dim} {_quoted(code)}" for dim, code in row.objects.items())
    parts = [label, _field(row.account), "{" + objects + "}", _number_text(row.amount)]
    tail = [
        _sie_date_text(row.trans_date) if row.trans_date else '""',
        _quoted(row.text) if row.text else '""',
        _number_text(row.quantity) if row.quantity is not None else '""',
    ]
    while tail and tail[-1] == '""':  # optional trailing fields are left out
        tail.pop()
    return " ".join(parts + tail)


def sie4_text(
    company: str,
    fiscal_year: int | tuple[date, date],
    accounts: Mapping[str, str] | Iterable[tuple[str, str]],
    objects: Iterable[SieObject | tuple[int, str, str]],
    vouchers: Iterable[SieVoucher],
    *,
    dimensions: SieDimensions = DEFAULT_DIMENSIONS,
    dimension_names: Mapping[int, str] | None = None,
    account_types: Mapping[str, str] | None = None,
    generated: date | None = None,
    program: tuple[str, str] = ("fordela", "1.0"),
    orgnr: str | None = None,
    declared_dimensions: Iterable[int] = (),
) -> str:
    """The SIE 4 text `write_sie4` encodes (lines end in CR LF).

    `#DIM` is written for every dimension a row or `#OBJEKT` uses, and for `declared_dimensions`
    (e.g. a project dimension the receiving ledger expects even when no row carries one)."""
    if isinstance(fiscal_year, int):
        year_start, year_end = date(fiscal_year, 1, 1), date(fiscal_year, 12, 31)
    else:
        year_start, year_end = fiscal_year
    account_items = list(accounts.items() if isinstance(accounts, Mapping) else accounts)
    object_items = [o if isinstance(o, SieObject) else SieObject(*o) for o in objects]
    voucher_items = list(vouchers)
    names = {**dimensions.names(), **(dimension_names or {})}
    used = {o.dimension for o in object_items} | set(declared_dimensions)
    for voucher in voucher_items:
        for row in voucher.rows:
            used.update(row.objects)
    if generated is None:
        # Deterministic by default: the same vouchers give the same bytes (and content hash).
        dates = [_sie_date_text(v.voucher_date) for v in voucher_items]
        generated_text = max(dates) if dates else year_end.strftime("%Y%m%d")
    else:
        generated_text = generated.strftime("%Y%m%d")

    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        f"#PROGRAM {_quoted(program[0])} {_quoted(program[1])}",
        f"#GEN {generated_text}",
        f"#FNAMN {_quoted(company)}",
    ]
    if orgnr:
        lines.append(f"#ORGNR {_field(orgnr)}")
    lines.append(f"#RAR 0 {year_start:%Y%m%d} {year_end:%Y%m%d}")
    lines.append("#VALUTA SEK")
    for dim in sorted(used):
        lines.append(f"#DIM {dim} {_quoted(names.get(dim, f'Dimension {dim}'))}")
    for account, name in account_items:
        lines.append(f"#KONTO {_field(str(account))} {_quoted(name)}")
    for account, kind in (account_types or {}).items():
        lines.append(f"#KTYP {_field(str(account))} {kind}")
    for obj in object_items:
        lines.append(f"#OBJEKT {obj.dimension} {_quoted(obj.code)} {_quoted(obj.name)}")
    for voucher in voucher_items:
        head = (
            f"#VER {_field(voucher.series)} {_field(str(voucher.number))} "
            f"{_sie_date_text(voucher.voucher_date)} {_quoted(voucher.text)}"
        )
        if voucher.registered:
            head += f" {_sie_date_text(voucher.registered)}"
        lines.append(head)
        lines.append("{")
        for row in voucher.rows:
            if row.kind == "TRANS":
                lines.append(_trans_line("#TRANS", row))
            elif row.kind == "RTRANS":
                lines.append(_trans_line("#RTRANS", row))
                lines.append(_trans_line("#TRANS", row))
            elif row.kind == "BTRANS":
                lines.append(_trans_line("#BTRANS", row))
            else:
                raise ValueError(f"row kind '{row.kind}' is not TRANS, RTRANS or BTRANS")
        lines.append("}")
    return "\r\n".join(lines) + "\r\n"


def write_sie4(
    path: Path,
    company: str,
    fiscal_year: int | tuple[date, date],
    accounts: Mapping[str, str] | Iterable[tuple[str, str]],
    objects: Iterable[SieObject | tuple[int, str, str]],
    vouchers: Iterable[SieVoucher],
    *,
    dimensions: SieDimensions = DEFAULT_DIMENSIONS,
    dimension_names: Mapping[int, str] | None = None,
    account_types: Mapping[str, str] | None = None,
    generated: date | None = None,
    program: tuple[str, str] = ("fordela", "1.0"),
    orgnr: str | None = None,
    declared_dimensions: Iterable[int] = (),
) -> Path:
    """Write a SIE 4 file in PC8 (codepage 437), CR LF, that `read_sie4` reads back unchanged.

    `account_types` writes `#KTYP` (T, S, K, I); `generated` defaults to the last voucher date
    so that the same vouchers give the same bytes. Raises ValueError for a character codepage
    437 cannot hold (e.g. `€`), an invalid date or a non-numeric amount.
    """
    text = sie4_text(
        company,
        fiscal_year,
        accounts,
        objects,
        vouchers,
        dimensions=dimensions,
        dimension_names=dimension_names,
        account_types=account_types,
        generated=generated,
        program=program,
        orgnr=orgnr,
        declared_dimensions=declared_dimensions,
    )
    try:
        data = text.encode("cp437")
    except UnicodeEncodeError as error:
        start = text.rfind("\n", 0, error.start) + 1
        end = text.find("\r", error.start)
        raise ValueError(
            f"SIE 4 is written in codepage 437, which has no character "
            f"'{text[error.start]}' (in: {text[start:end]}); replace it before writing"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def vouchers_from_records(
    records: Iterable[Mapping[str, str | None]],
    dimensions: SieDimensions = DEFAULT_DIMENSIONS,
) -> list[SieVoucher]:
    """Group canonical ledger rows into vouchers (by series and number, in order of appearance).

    SIE has no period of its own: the period is the month of the voucher date, so a row whose
    `period` is another month cannot be written (ValueError).
    """
    vouchers: dict[tuple[str, str], SieVoucher] = {}
    texts: dict[tuple[str, str], set[str | None]] = {}
    for record in records:
        key = (record["voucher_series"] or "", record["voucher_number"] or "")
        voucher_date = record["voucher_date"] or ""
        if record.get("period") and record["period"] != voucher_date[:7]:
            raise ValueError(
                f"voucher {key[0]} {key[1]}: period {record['period']} is not the month of its "
                f"date {voucher_date}; SIE takes the period from the date"
            )
        voucher = vouchers.get(key)
        if voucher is None:
            voucher = vouchers[key] = SieVoucher(key[0], key[1], voucher_date)
            texts[key] = set()
        elif voucher.voucher_date != voucher_date:
            raise ValueError(f"voucher {key[0]} {key[1]} has rows with different dates")
        objects: dict[int, str] = {}
        for dim, column in (
            (dimensions.cost_centre, "cost_centre_code"),
            (dimensions.activity, "activity_code"),
            (dimensions.project, "project_code"),
            (dimensions.counterparty, "counterparty"),
        ):
            value = record.get(column)
            if dim is not None and value:
                objects[dim] = value
        text = record.get("text") or None
        texts[key].add(text)
        voucher.rows.append(
            SieTrans(
                account=record["account"] or "",
                amount=record["amount_sek"] or "0",
                objects=objects,
                trans_date=voucher_date or None,
                text=text,
            )
        )
    for key, voucher in vouchers.items():
        shared = texts[key]
        only = next(iter(shared)) if len(shared) == 1 else None
        voucher.text = only or ""
    return list(vouchers.values())
