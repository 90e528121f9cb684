"""Batch triage of a file: CSV or JSONL in, JSONL out, same order, streamed in chunks.

Memory stays flat whatever the file size: rows are read, triaged and written a chunk at a
time. A bad row (missing or empty text, wrong type) gets an error object on its output line
with its id, and the run goes on; a problem with the file itself stops the run before any
output is written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thrive_ml.datasets import jsonl_objects
from thrive_ml.errors import InputFormatError, OutputPathError
from thrive_ml.triage import Triager

CHUNK = 512
MAX_TEXT_CHARS = 50_000


@dataclass(frozen=True)
class Row:
    line: int
    id: str | None
    text: Any


def _read_jsonl(path: Path) -> Iterator[Row]:
    for n, obj in jsonl_objects(path):
        if not isinstance(obj, dict):  # not JSON, or not an object
            yield Row(n, None, _BadJSON())
            continue
        rid = obj.get("id")
        yield Row(n, None if rid is None else str(rid), obj.get("text", _Missing()))


def _read_csv(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise InputFormatError(
                f"{path} has no 'text' column (columns: {reader.fieldnames}); add one, with an optional 'id'"
            )
        for n, rec in enumerate(reader, start=2):
            rid = rec.get("id")
            yield Row(n, rid if rid not in (None, "") else None, rec.get("text"))


class _Missing:
    pass


class _BadJSON:
    pass


def read_rows(path: Path) -> Iterator[Row]:
    """Check the file up front (exists, known format), then stream its rows."""
    path = Path(path)
    if not path.is_file():
        raise InputFormatError(
            f"no input file at {path}; give a .csv or .jsonl with a 'text' field"
        )
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        reader = _read_jsonl(path)
    elif suffix == ".csv":
        reader = _read_csv(path)
    else:
        raise InputFormatError(f"{path}: unsupported input format '{suffix}'; use .csv or .jsonl")
    return _decoding_checked(reader, path)


def _decoding_checked(reader: Iterator[Row], path: Path) -> Iterator[Row]:
    try:
        yield from reader
    except UnicodeDecodeError:
        raise InputFormatError(f"{path} is not UTF-8 text; re-save it as UTF-8") from None


def row_error(row: Row) -> str | None:
    """Why a row cannot be triaged, in words a person can act on; None if it can."""
    if isinstance(row.text, _BadJSON):
        return f"line {row.line} is not a JSON object"
    if isinstance(row.text, _Missing) or row.text is None:
        return "missing 'text'"
    if not isinstance(row.text, str):
        return f"'text' must be a string, got {type(row.text).__name__}"
    if not row.text.strip():
        return "'text' is empty"
    if len(row.text) > MAX_TEXT_CHARS:
        return f"'text' is {len(row.text)} characters; the limit is {MAX_TEXT_CHARS}"
    return None


def predict_file(
    triager: Triager,
    input_path: Path,
    output_path: Path,
    on_rows: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Triage every row; returns (rows written, rows with errors)."""
    rows = read_rows(input_path)
    output_path = Path(output_path)
    try:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = output_path.with_name(output_path.name + ".part")
        handle = tmp.open("w", encoding="utf-8")
    except OSError as exc:
        raise OutputPathError(
            f"cannot write to {output_path} ({exc.strerror or exc}); choose another --output"
        ) from None
    written = errors = 0
    try:
        with handle:
            chunk: list[Row] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    e = _flush(triager, chunk, handle)
                    written, errors = written + len(chunk), errors + e
                    if on_rows:
                        on_rows(len(chunk))
                    chunk = []
            if chunk:
                e = _flush(triager, chunk, handle)
                written, errors = written + len(chunk), errors + e
                if on_rows:
                    on_rows(len(chunk))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(output_path)
    return written, errors


def _flush(triager: Triager, chunk: list[Row], handle: Any) -> int:
    problems = [row_error(r) for r in chunk]
    good = [r for r, p in zip(chunk, problems, strict=True) if p is None]
    results = iter(triager.triage_many([r.text for r in good], [r.id for r in good]))
    for row, problem in zip(chunk, problems, strict=True):
        if problem is None:
            handle.write(next(results).model_dump_json() + "\n")
        else:
            handle.write(json.dumps({"id": row.id, "error": problem}) + "\n")
    return sum(p is not None for p in problems)
