"""Batch triage of files: order kept, bad rows reported in place, bad files refused up front."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from thrive_ml.batch import predict_file
from thrive_ml.errors import InputFormatError

GOOD = "Year 8 boy, worries most days since September, still attending school, would like support."


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_in_jsonl_out_same_order_with_errors_in_place(triager, tmp_path: Path):
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": GOOD},
        {"id": "b", "text": ""},
        {"id": "c"},
        {"id": "d", "text": 42},
        {"id": "e", "text": GOOD + " Denies self-harm."},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    written, errors = predict_file(triager, src, out)
    got = _lines(out)
    assert (written, errors) == (6, 4)
    assert [g.get("id") for g in got] == ["a", "b", "c", "d", "e", None]
    assert "thrive_group" in got[0]
    assert got[1]["error"] == "'text' is empty"
    assert got[2]["error"] == "missing 'text'"
    assert "must be a string" in got[3]["error"]
    assert "thrive_group" in got[4]
    assert "not a JSON object" in got[5]["error"]


def test_csv_with_optional_id_column(triager, tmp_path: Path):
    src = tmp_path / "in.csv"
    with src.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["text"])
        w.writerow([GOOD])
        w.writerow(["hello"])
    out = tmp_path / "out.jsonl"
    predict_file(triager, src, out)
    got = _lines(out)
    assert len(got) == 2
    assert got[0]["id"] is None
    assert "not_a_referral" in got[1]["review_reasons"]


def test_more_rows_than_one_chunk_keep_their_order(triager, tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": GOOD}) + "\n" for i in range(1100)))
    out = tmp_path / "out.jsonl"
    predict_file(triager, src, out)
    assert [g["id"] for g in _lines(out)] == [str(i) for i in range(1100)]


def test_missing_file_is_refused_before_writing(triager, tmp_path: Path):
    with pytest.raises(InputFormatError, match="no input file"):
        predict_file(triager, tmp_path / "nope.jsonl", tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_unknown_format_is_refused(triager, tmp_path: Path):
    src = tmp_path / "in.txt"
    src.write_text("hello")
    with pytest.raises(InputFormatError, match=r"use \.csv or \.jsonl"):
        predict_file(triager, src, tmp_path / "out.jsonl")


def test_csv_without_text_column_is_refused_and_leaves_no_output(triager, tmp_path: Path):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n")
    with pytest.raises(InputFormatError, match="no 'text' column"):
        predict_file(triager, src, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_non_utf8_file_is_refused_with_a_fix(triager, tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "caf\xe9"}\n')
    with pytest.raises(InputFormatError, match="UTF-8"):
        predict_file(triager, src, tmp_path / "out.jsonl")
