"""The SIE 4 reader and writer: tokens, records, changed vouchers, errors, round trip."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.readers import (
    CONTRACT_COLUMNS,
    DEFAULT_DIMENSIONS,
    ReaderError,
    SieDimensions,
    SieFile,
    SieObject,
    SieTrans,
    SieVoucher,
    read_sie4,
    read_table,
    vouchers_from_records,
    write_sie4,
)
from pipelines.lib.readers.sie4 import parse_fields, parse_sie4, sie4_text, tokenize

LEDGER = CONTRACT_COLUMNS["ledger"]

HEAD = """#FLAGGA 0
#PROGRAM "Visma Förvaltning" 7.1
#FORMAT PC8
#GEN 20170405 "anna"
#SIETYP 4
#FNAMN "Intraservice"
#RAR 0 20170101 20171231
#RAR -1 20160101 20161231
#KONTO 5460 "Licenser och programvara"
#KONTO 7010 "Lön till tjänstemän"
#KONTO 5410 "Förbrukningsinventarier"
#KONTO 2440 "Leverantörsskulder"
#KTYP 5460 K
#KTYP 2440 S
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#DIM 20 "Verksamhet"
#OBJEKT 1 "N131-0001" "Angered kansli"
#OBJEKT 20 "IT-ARB" "IT-arbetsplats"
#IB 0 2440 -5000.00
#UB 0 2440 -7000.00
#RES 0 5460 2000.00
#PSALDO 0 201703 5460 {1 "I060-9001"} 1234.50
#OUB 0 2440 {1 "I060-9001"} -12.00 3
"""  # 24 lines: a voucher appended starts on line 25


def sie_bytes(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("cp437")


def parse(body: str, head: str = HEAD, dimensions: SieDimensions = DEFAULT_DIMENSIONS) -> SieFile:
    return parse_sie4(sie_bytes(head + body), "ledger_2017-03.se", dimensions)


def row(**values: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = dict.fromkeys(LEDGER)
    base.update(values)
    return base


# -- tokenizer ---------------------------------------------------------------------------------


def test_tokenize_keeps_quoted_fields_with_spaces_and_escaped_quotes_whole() -> None:
    assert tokenize('5460 {1 "I060-9001" 20 "IT ARB"} 1234.50 20170315 "a \\"b\\" c"') == [
        "5460",
        "{",
        "1",
        '"I060-9001"',
        "20",
        '"IT ARB"',
        "}",
        "1234.50",
        "20170315",
        '"a \\"b\\" c"',
    ]


def test_parse_fields_turns_object_lists_into_pairs_and_unescapes() -> None:
    assert parse_fields('5460 {} -1.5 "" "say \\"hej\\""') == ["5460", (), "-1.5", "", 'say "hej"']
    assert parse_fields('0 201703 5460 {1 "A" 6 B}\t10') == [
        "0",
        "201703",
        "5460",
        ((1, "A"), (6, "B")),
        "10",
    ]


# -- header records and rows ---------------------------------------------------------------------


def test_reads_header_records_dimensions_objects_and_balances() -> None:
    sie = parse("")
    assert sie.accounts["7010"] == "Lön till tjänstemän"
    assert sie.accounts["5410"] == "Förbrukningsinventarier"
    assert sie.account_types == {"5460": "K", "2440": "S"}
    assert sie.dimensions == {1: "Ansvar", 6: "Projekt", 20: "Verksamhet"}
    assert sie.objects == [
        SieObject(1, "N131-0001", "Angered kansli"),
        SieObject(20, "IT-ARB", "IT-arbetsplats"),
    ]
    assert sie.fiscal_years == {0: ("2017-01-01", "2017-12-31"), -1: ("2016-01-01", "2016-12-31")}
    kinds = [(b.kind, b.account, b.amount, b.period, b.objects, b.line) for b in sie.balances]
    assert kinds == [
        ("IB", "2440", "-5000.00", None, (), 20),
        ("UB", "2440", "-7000.00", None, (), 21),
        ("RES", "5460", "2000.00", None, (), 22),
        ("PSALDO", "5460", "1234.50", "2017-03", ((1, "I060-9001"),), 23),
        ("OUB", "2440", "-12.00", None, ((1, "I060-9001"),), 24),
    ]
    assert sie.metadata["program"] == "Visma Förvaltning 7.1"
    assert sie.metadata["company"] == "Intraservice"
    assert sie.metadata["encoding"] == "cp437"


def test_reads_vouchers_into_canonical_ledger_rows_with_their_line_numbers() -> None:
    sie = parse(
        """#VER A 12 20170315 "Faktura \\"Atea\\"" 20170316
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB" 6 "VO-2" 9 "Atea Sverige AB"} 1234.50 20170315 "Licenser"
#TRANS 2440 {} -1234.50
}
#VER B 3 20170331 ""
{
#TRANS 7010 {1 I060-9002} +10 20170331 ""
#TRANS 2440 {} -10.00
}
"""
    )
    assert sie.records == [
        row(
            voucher_series="A",
            voucher_number="12",
            voucher_date="2017-03-15",
            period="2017-03",
            account="5460",
            cost_centre_code="I060-9001",
            activity_code="IT-ARB",
            project_code="VO-2",
            counterparty="Atea Sverige AB",
            amount_sek="1234.50",
            text="Licenser",
        ),
        row(
            voucher_series="A",
            voucher_number="12",
            voucher_date="2017-03-15",
            period="2017-03",
            account="2440",
            amount_sek="-1234.50",
            text='Faktura "Atea"',
        ),
        row(
            voucher_series="B",
            voucher_number="3",
            voucher_date="2017-03-31",
            period="2017-03",
            account="7010",
            cost_centre_code="I060-9002",
            amount_sek="10",
        ),
        row(
            voucher_series="B",
            voucher_number="3",
            voucher_date="2017-03-31",
            period="2017-03",
            account="2440",
            amount_sek="-10.00",
        ),
    ]
    assert sie.row_numbers == [27, 28, 32, 33]
    assert sie.rows_read == 4 and sie.row_problems == []


def test_dimension_numbers_are_configurable() -> None:
    body = """#VER A 1 20170301 "x"
{
#TRANS 5460 {1 "I060-9001" 2 "IT-ARB" 20 "other" 7 "P1"} 5
#TRANS 2440 {} -5
}
"""
    sie = parse(
        body, dimensions=SieDimensions(cost_centre=1, activity=2, project=7, counterparty=None)
    )
    first = sie.records[0]
    assert (first["activity_code"], first["project_code"], first["counterparty"]) == (
        "IT-ARB",
        "P1",
        None,
    )


def test_cp437_swedish_letters_are_decoded() -> None:
    data = sie_bytes(HEAD)
    assert "Lön till tjänstemän".encode("cp437") in data
    assert b"\x94" in data and b"\x84" in data  # ö and ä in codepage 437
    sie = parse_sie4(data, "x.se")
    assert sie.accounts["7010"] == "Lön till tjänstemän"


def test_a_windows_1252_file_that_claims_pc8_is_read_as_windows_1252_with_a_warning() -> None:
    sie = parse_sie4(HEAD.encode("cp1252"), "x.se")
    assert sie.accounts["7010"] == "Lön till tjänstemän"
    assert sie.metadata["encoding"] == "cp1252"
    assert sie.warnings == [
        "x.se: the file is Windows-1252 although SIE 4 requires PC8 (codepage 437); it was "
        "read as Windows-1252. Check that å, ä and ö look right, and ask for a PC8 export."
    ]


def test_the_encoding_can_be_forced_when_the_guess_would_be_wrong() -> None:
    data = sie_bytes('#FORMAT PC8\n#KONTO 5460 "Licenser \u2500 Office"\n')  # ─ is 0xC4 (Ä in 1252)
    assert parse_sie4(data, "x.se").accounts["5460"] == "Licenser Ä Office"
    assert parse_sie4(data, "x.se", encoding="cp437").accounts["5460"] == "Licenser \u2500 Office"


def test_unknown_records_outside_vouchers_are_skipped_and_counted() -> None:
    sie = parse('#FOO 1 2\n#SRU 5460 7513\n#ADRESS "a" "b" "c" "d"\n')
    assert sie.metadata["skipped_records"] == {"#FOO": 1, "#SRU": 1, "#ADRESS": 1}


def test_curly_brace_at_end_of_ver_line_is_accepted() -> None:
    sie = parse('#VER A 1 20170301 "x" {\n#TRANS 5460 {} 5\n#TRANS 2440 {} -5\n}\n')
    assert sie.row_numbers == [26, 27]


# -- changed vouchers --------------------------------------------------------------------------


def test_rtrans_counts_once_its_trans_twin_is_skipped_and_btrans_is_not_in_the_balance() -> None:
    sie = parse(
        """#VER A 3 20170320 "Ändrad"
{
#TRANS 5460 {1 "I060-9001"} 600.00
#BTRANS 5460 {1 "I060-9002"} 400.00 20170320 "Fel" 1 "anna"
#RTRANS 5460 {1 "I060-9003"} 400.00 20170322 "Rätt" 1 "anna"
#TRANS 5460 {1 I060-9003} 400.00 20170322 "Rätt" 1 anna
#TRANS 2440 {} -1000.00
}
"""
    )
    assert sie.row_numbers == [27, 29, 31]
    assert [r["amount_sek"] for r in sie.records] == ["600.00", "400.00", "-1000.00"]
    assert sie.records[1]["cost_centre_code"] == "I060-9003"
    assert sie.rows_read == 3 and sie.row_problems == [] and sie.warnings == []
    assert sie.metadata["rtrans_twins_skipped"] == 1
    removed = sie.removed_rows
    assert [(r.line, r.account, r.amount, r.objects, r.text) for r in removed] == [
        (28, "5460", "400.00", ((1, "I060-9002"),), "Fel")
    ]


def test_rtrans_without_its_twin_is_counted_once_and_reported() -> None:
    sie = parse(
        """#VER A 3 20170320 "x"
{
#RTRANS 5460 {} 400.00
#TRANS 2440 {} -400.00
}
"""
    )
    assert [r["amount_sek"] for r in sie.records] == ["400.00", "-400.00"]
    assert sie.warnings == [
        "ledger_2017-03.se line 27: #RTRANS in voucher A 3 is not followed by an identical "
        "#TRANS as SIE 4B requires; the added row was counted once and the next row read as is"
    ]


# -- row problems --------------------------------------------------------------------------------


def test_an_unbalanced_voucher_is_held_back_row_by_row_and_the_others_are_kept() -> None:
    sie = parse(
        """#VER A 1 20170301 "ok"
{
#TRANS 5460 {} 5
#TRANS 2440 {} -5
}
#VER A 2 20170302 "fel"
{
#TRANS 5460 {} 100.00
#TRANS 5410 {} 0.50
#TRANS 2440 {} -90.00
}
"""
    )
    assert sie.row_numbers == [27, 28]
    problems = sie.row_problems
    assert [(p.row, p.column, p.value, p.check) for p in problems] == [
        (32, "amount_sek", "100.00", "voucher_balanced"),
        (33, "amount_sek", "0.50", "voucher_balanced"),
        (34, "amount_sek", "-90.00", "voucher_balanced"),
    ]
    assert problems[0].message == (
        "ledger_2017-03.se line 32: voucher A 2 opened at line 30 does not balance: its 3 rows "
        "sum to 10.50 SEK instead of 0; correct the voucher in the ledger system and export the "
        "file again. The whole voucher is held back."
    )
    assert sorted(sie.problem_records) == [32, 33, 34]
    assert sie.problem_records[33]["account"] == "5410"
    assert sie.rows_read == 5


def test_a_non_numeric_amount_is_a_row_problem_that_holds_back_its_voucher() -> None:
    sie = parse(
        """#VER A 5 20170315 "x"
{
#TRANS 5460 {} 12,50
#TRANS 2440 {} -12.50
}
"""
    )
    assert sie.records == []
    assert [(p.row, p.column, p.value, p.check) for p in sie.row_problems] == [
        (27, "amount_sek", "12,50", "number"),
        (28, None, None, "voucher_incomplete"),
    ]
    assert sie.row_problems[0].message == (
        "ledger_2017-03.se line 27: the amount '12,50' is not a number (voucher A 5 opened at "
        "line 25); SIE amounts are written with a point and no thousands separator (-1234.50); "
        "correct the export and load it again. The whole voucher is held back so the ledger "
        "stays balanced."
    )
    assert sie.rows_read == 2


@pytest.mark.parametrize(
    ("trans", "column", "what"),
    [
        ('#TRANS 5460 {1 "A" 20} 5', "objects", "dimension/object pairs"),
        ('#TRANS 5460 {1 "A" 1 "B"} 5', "objects", "dimension 1 appears twice"),
        ('#TRANS 5460 {1 "A"} 5 20170301 "unterminated', None, "no closing quote"),
        ('#TRANS 5460 {1 "A"} 5 20170301 "x" 1 "sign', None, "no closing quote"),
        ('#TRANS 5460 {"1 "A"} 5', None, "no closing quote"),
        ("#TRANS 5460 {} 5 {}", None, "outside the object list"),
        ("#TRANS 5460 {1 A", None, "not closed with }"),
        ("#TRANS 5460 {}", "amount_sek", "no amount"),
    ],
)
def test_rows_that_cannot_be_tokenized_are_syntax_problems(
    trans: str, column: str | None, what: str
) -> None:
    sie = parse(f'#VER A 1 20170301 "x"\n{{\n{trans}\n#TRANS 2440 {{}} -5\n}}\n')
    first = sie.row_problems[0]
    assert (first.row, first.column, first.check) == (27, column, "syntax")
    assert what in first.message and "ledger_2017-03.se line 27" in first.message
    assert sie.rows_read == 2 and sie.records == []


def test_a_voucher_with_an_invalid_date_is_held_back() -> None:
    sie = parse('#VER A 1 20170231 "x"\n{\n#TRANS 5460 {} 5\n#TRANS 2440 {} -5\n}\n')
    assert [(p.row, p.column, p.value, p.check) for p in sie.row_problems] == [
        (27, "voucher_date", "20170231", "date"),
        (28, "voucher_date", "20170231", "date"),
    ]


# -- file errors -------------------------------------------------------------------------------


def error_of(body: str, head: str = HEAD) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        parse(body, head)
    return caught.value


def test_a_truncated_file_names_the_open_voucher_and_its_line() -> None:
    error = error_of('#VER A 12 20170315 "x"\n{\n#TRANS 5460 {} 5\n')
    assert str(error) == (
        "ledger_2017-03.se: file ends inside voucher A 12 opened at line 25; the export was cut "
        "off, export it again."
    )
    assert error.line == 25


def test_a_file_that_ends_after_ver_is_truncated_too() -> None:
    error = error_of('#VER A 12 20170315 "x"\n')
    assert str(error) == (
        "ledger_2017-03.se: file ends after #VER A 12 at line 25, before its rows; the export was "
        "cut off, export it again."
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '#VER A 1 20170301 "x"\n{\n#TRANS 5460 {} 5\n#UB 0 2440 5\n}\n',
            "ledger_2017-03.se line 28: unexpected record '#UB' inside voucher A 1 (opened at line "
            "25); only #TRANS, #RTRANS and #BTRANS may appear between { and }",
        ),
        (
            '#VER A 1 20170301 "x"\n{\n#TRANS 5460 {} 5\n#VER A 2 20170301 "y"\n',
            "ledger_2017-03.se line 28: voucher A 1 opened at line 25 is not closed with } before "
            "the next #VER",
        ),
        ("#TRANS 5460 {} 5\n", "ledger_2017-03.se line 25: #TRANS outside a voucher"),
        ("}\n", "ledger_2017-03.se line 25: a } without an open voucher"),
        (
            '#KONTO 5470 "Licenser\n',
            "ledger_2017-03.se line 25: cannot read #KONTO: a quoted field has no closing quote",
        ),
        (
            "#VALUTA EUR\n",
            "ledger_2017-03.se line 25: #VALUTA is 'EUR', but ledger amounts must be in SEK; export the ledger in SEK.",
        ),
    ],
)
def test_structural_damage_rejects_the_file(body: str, expected: str) -> None:
    assert str(error_of(body)).startswith(expected)


def test_wrong_format_rejects_the_file() -> None:
    error = error_of("", HEAD.replace("#FORMAT PC8", "#FORMAT UTF8"))
    assert str(error) == (
        "ledger_2017-03.se line 3: #FORMAT is 'UTF8', but SIE 4 files are written in PC8 "
        "(codepage 437); export the file again with the character set PC8 / IBM 437, as the SIE "
        "standard requires."
    )


def test_a_sie_type_without_vouchers_is_rejected() -> None:
    error = error_of("", HEAD.replace("#SIETYP 4", "#SIETYP 3"))
    assert str(error) == (
        "ledger_2017-03.se line 5: #SIETYP is 3: a type 3 file has balances but no vouchers; "
        "export SIE type 4 (with vouchers) from the ledger system."
    )


def test_a_file_that_is_not_sie_is_rejected() -> None:
    with pytest.raises(
        ReaderError, match=r"x\.se line 1: the file does not start with a SIE record"
    ):
        parse_sie4(b"konto;belopp\n5460;12\n", "x.se")
    with pytest.raises(
        ReaderError, match=r"^x\.se: the file is empty; export it again or remove it\.$"
    ):
        parse_sie4(b"\r\n  \r\n", "x.se")


def test_read_table_on_sie_without_vouchers_is_an_error_for_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger_2017-03.se"
    path.write_bytes(sie_bytes(HEAD))
    with pytest.raises(ReaderError, match="has no voucher rows"):
        read_table(path, "ledger", LEDGER)
    with pytest.raises(ReaderError, match="not the volumes table"):
        read_table(path, "volumes", CONTRACT_COLUMNS["volumes"])


def test_read_table_gives_the_chart_of_accounts_of_a_sie_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts_2017.SE"
    path.write_bytes(sie_bytes(HEAD))
    result = read_table(path, "accounts", CONTRACT_COLUMNS["accounts"])
    assert result.records == [
        {
            "fiscal_year": "2017",
            "account": "5460",
            "account_name": "Licenser och programvara",
            "account_class": "cost",
        },
        {
            "fiscal_year": "2017",
            "account": "7010",
            "account_name": "Lön till tjänstemän",
            "account_class": None,
        },
        {
            "fiscal_year": "2017",
            "account": "5410",
            "account_name": "Förbrukningsinventarier",
            "account_class": None,
        },
        {
            "fiscal_year": "2017",
            "account": "2440",
            "account_name": "Leverantörsskulder",
            "account_class": "balance",
        },
    ]
    assert result.row_numbers == [9, 10, 11, 12]
    assert result.warnings == [
        "accounts_2017.SE: 2 account(s) have no #KTYP (e.g. 7010); their account_class is left empty"
    ]


# -- writer --------------------------------------------------------------------------------------


def test_writer_output_is_codepage_437_with_crlf_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.se"
    voucher = SieVoucher(
        "A",
        1,
        date(2017, 3, 15),
        'Faktura "Atea"',
        [
            SieTrans(
                "5410",
                Decimal("1234.50"),
                {1: "I060-9001", 20: "IT-ARB"},
                "2017-03-15",
                "Förbrukningsinventarier",
            ),
            SieTrans("2440", "-1234.50"),
        ],
        registered=date(2017, 3, 16),
    )
    write_sie4(
        path,
        "Göteborgs Stad",
        2017,
        {"5410": "Förbrukningsinventarier", "2440": "Leverantörsskulder"},
        [(1, "I060-9001", "IT-drift")],
        [voucher],
    )
    data = path.read_bytes()
    assert "Förbrukningsinventarier".encode("cp437") in data and b"\r\n" in data
    text = data.decode("cp437")
    assert '#VER A 1 20170315 "Faktura \\"Atea\\"" 20170316\r\n{\r\n' in text
    assert (
        '#TRANS 5410 {1 "I060-9001" 20 "IT-ARB"} 1234.50 20170315 "Förbrukningsinventarier"\r\n'
        in text
    )
    assert "#TRANS 2440 {} -1234.50\r\n}\r\n" in text
    assert "#GEN 20170315\r\n" in text  # deterministic: the last voucher date
    sie = read_sie4(path)
    assert sie.objects == [SieObject(1, "I060-9001", "IT-drift")]
    assert [r["text"] for r in sie.records] == ["Förbrukningsinventarier", 'Faktura "Atea"']


def test_writer_rejects_characters_outside_codepage_437(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no character '€'"):
        write_sie4(tmp_path / "x.se", "Bolag", 2017, {"5460": "Licenser i €"}, [], [])


def test_writer_writes_rtrans_with_its_twin_and_btrans() -> None:
    text = sie4_text(
        "X",
        2017,
        {},
        [],
        [
            SieVoucher(
                "A",
                1,
                "2017-03-01",
                "x",
                [
                    SieTrans("5460", 5, kind="RTRANS"),
                    SieTrans("5460", 7, kind="BTRANS"),
                    SieTrans("2440", -5),
                ],
            )
        ],
    )
    assert (
        "#RTRANS 5460 {} 5\r\n#TRANS 5460 {} 5\r\n#BTRANS 5460 {} 7\r\n#TRANS 2440 {} -5\r\n"
        in text
    )
    sie = parse_sie4(text.encode("cp437"), "x.se")
    assert [r["amount_sek"] for r in sie.records] == ["5", "-5"]


def test_vouchers_from_records_refuses_a_period_that_is_not_the_month_of_the_date() -> None:
    with pytest.raises(ValueError, match="period 2017-02 is not the month of its date 2017-03-02"):
        vouchers_from_records(
            [
                row(
                    voucher_series="A",
                    voucher_number="1",
                    voucher_date="2017-03-02",
                    period="2017-02",
                    account="5460",
                    amount_sek="1",
                )
            ]
        )


def random_ledger(vouchers: int, seed: int) -> list[dict[str, str | None]]:
    rng = random.Random(seed)
    texts = [
        'Faktura "Atea"',
        "Lön till tjänstemän",
        "Förbrukningsinventarier",
        None,
        "a \\ b",
        "{x}",
    ]
    records = []
    for number in range(1, vouchers + 1):
        day = date(2017, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        lines = rng.randint(1, 4)
        amounts = [Decimal(rng.randint(-(10**8), 10**8)) / 100 for _ in range(lines)]
        amounts.append(-sum(amounts, Decimal(0)))
        for index, amount in enumerate(amounts):
            last = index == len(amounts) - 1
            records.append(
                row(
                    voucher_series=rng.choice(["A", "B", "LÖN"]),
                    voucher_number=str(number),
                    voucher_date=day,
                    period=day[:7],
                    account="2440" if last else rng.choice(["5460", "5410", "7010"]),
                    cost_centre_code=None if last else f"I060-{rng.randint(1, 9999):04d}",
                    activity_code=None if last else rng.choice(["IT-ARB", "EH-FAKT", None]),
                    project_code=rng.choice(["VO-2", None, None]),
                    counterparty=rng.choice(["Atea Sverige AB", "Microsoft", None]),
                    amount_sek=format(amount, "f"),
                    text=rng.choice(texts),
                )
            )
        # one series per voucher number so that series+number identifies the voucher
        series = records[-1]["voucher_series"]
        for record in records[-len(amounts) :]:
            record["voucher_series"] = series
    return records


def test_round_trip_of_1000_generated_vouchers(tmp_path: Path) -> None:
    records = random_ledger(1000, seed=2017)
    path = tmp_path / "ledger_2017.se"
    write_sie4(
        path,
        "Intraservice",
        2017,
        {
            "5460": "Licenser",
            "5410": "Förbrukningsinventarier",
            "7010": "Lön till tjänstemän",
            "2440": "Leverantörsskulder",
        },
        [],
        vouchers_from_records(records),
    )
    result = read_table(path, "ledger", LEDGER)
    assert result.row_problems == [] and result.warnings == []
    assert result.records == records
    assert result.rows_read == len(records)
    assert result.metadata["vouchers"] == 1000
    assert len(set(result.row_numbers)) == len(records)


# Ledger text: printable ASCII (quotes, backslashes and braces included) and Swedish letters.
# Box-drawing and Greek symbols of codepage 437 are left out on purpose: alone, they are the
# bytes of Windows-1252 Swedish letters, and the encoding guess would take them as such.
printable_cp437 = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("åäöÅÄÖéÉüÜ"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None, database=None)
@given(text=printable_cp437, code=printable_cp437, series=printable_cp437)
def test_any_printable_codepage_437_text_survives_the_round_trip(
    text: str, code: str, series: str
) -> None:
    records = [
        row(
            voucher_series=series,
            voucher_number="1",
            voucher_date="2017-03-01",
            period="2017-03",
            account="5460",
            cost_centre_code=code,
            amount_sek="1.00",
            text=text,
        ),
        row(
            voucher_series=series,
            voucher_number="1",
            voucher_date="2017-03-01",
            period="2017-03",
            account="2440",
            amount_sek="-1.00",
            text=text,
        ),
    ]
    data = sie4_text("X", 2017, {}, [], vouchers_from_records(records)).encode("cp437")
    sie = parse_sie4(data, "x.se")
    # Quoted values come back exactly as written, a blank series included.
    assert sie.records == records
