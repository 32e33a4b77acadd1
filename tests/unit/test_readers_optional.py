"""Optional columns: a file may leave one out; fast path and reader then give the same rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.lib.landing import fast_read_csv
from pipelines.lib.readers import CONTRACT_COLUMNS, ReaderError, read_table
from pipelines.lib.readers.columns import OPTIONAL_COLUMNS, optional_columns

COLUMNS = CONTRACT_COLUMNS["organisations"]
REQUIRED_HEADER = "org_code,org_name,org_group,valid_from,valid_to"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _fast_records(path: Path) -> tuple[list[dict[str, str | None]], list[int]]:
    fast = fast_read_csv("organisations", path)
    assert fast is not None, "a canonical file must take the fast path"
    rows = fast.to_pylist()
    return [{c: r[c] for c in COLUMNS} for r in rows], [r["_source_row"] for r in rows]


def test_every_optional_column_is_a_contract_column_with_a_default() -> None:
    for table, defaults in OPTIONAL_COLUMNS.items():
        assert set(defaults) <= set(CONTRACT_COLUMNS[table]), table
        assert all(isinstance(d, str) for d in defaults.values()), table
    assert optional_columns("organisations") == {"is_producer": "false"}
    assert optional_columns("ledger") == {}


@pytest.mark.parametrize(
    ("case", "text"),
    [
        (
            "left out",
            REQUIRED_HEADER + "\n"
            "A1,Alfa,Förvaltningar,2031-01-01,\n"
            "B2,Beta,Bolag,2031-01-01,2031-12-31\n",
        ),
        (
            "given",
            REQUIRED_HEADER + ",is_producer\n"
            "A1,Alfa,Förvaltningar,2031-01-01,,false\n"
            "B2,Beta,Bolag,2031-01-01,2031-12-31,true\n",
        ),
        (
            "given, one empty",
            REQUIRED_HEADER + ",is_producer\n"
            "A1,Alfa,Förvaltningar,2031-01-01,,\n"
            "B2,Beta,Bolag,2031-01-01,2031-12-31,true\n",
        ),
    ],
)
def test_fast_path_and_reader_agree_with_and_without_the_optional_column(
    tmp_path: Path, case: str, text: str
) -> None:
    path = _write(tmp_path / "organisations.csv", text)
    read = read_table(path, "organisations", COLUMNS)
    fast, rows = _fast_records(path)
    assert fast == read.records, case
    assert rows == read.row_numbers == [2, 3]
    assert not read.row_problems
    producer = [r["is_producer"] for r in read.records]
    assert producer == (["false", "false"] if case == "left out" else ["false", "true"])
    assert all(list(r) == COLUMNS for r in read.records)


def test_optional_column_may_stand_anywhere_for_the_reader(tmp_path: Path) -> None:
    """Not in contract order: the reader maps it by name; the fast path steps aside."""
    text = (
        "is_producer;org_code;org_name;org_group;valid_from;valid_to\n"
        "ja;A1;Alfa;Förvaltningar;2031-01-01;\n"
    )
    path = _write(tmp_path / "organisations.csv", text)
    assert fast_read_csv("organisations", path) is None
    read = read_table(path, "organisations", COLUMNS)
    assert read.records == [
        {
            "org_code": "A1",
            "org_name": "Alfa",
            "org_group": "Förvaltningar",
            "valid_from": "2031-01-01",
            "valid_to": None,
            "is_producer": "true",
        }
    ]


def test_xlsx_without_the_optional_column_reads_the_default(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "organisations.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(REQUIRED_HEADER.split(","))
    sheet.append(["A1", "Alfa", "Förvaltningar", "2031-01-01", None])
    book.save(path)
    read = read_table(path, "organisations", COLUMNS)
    assert [r["is_producer"] for r in read.records] == ["false"]


def test_a_required_column_is_still_required(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "organisations.csv",
        "org_code,org_name,valid_from,valid_to,is_producer\nA1,Alfa,2031-01-01,,true\n",
    )
    assert fast_read_csv("organisations", path) is None
    with pytest.raises(ReaderError) as error:
        read_table(path, "organisations", COLUMNS)
    message = str(error.value)
    assert "missing column(s) org_group" in message
    assert "is_producer may be left out" in message


def test_an_invalid_value_in_an_optional_column_is_a_row_problem(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "organisations.csv",
        REQUIRED_HEADER + ",is_producer\nA1,Alfa,Förvaltningar,2031-01-01,,kanske\n",
    )
    assert fast_read_csv("organisations", path) is None
    read = read_table(path, "organisations", COLUMNS)
    assert [(p.row, p.column, p.check) for p in read.row_problems] == [
        (2, "is_producer", "boolean")
    ]
