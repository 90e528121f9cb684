"""Reading labelled referral sets: our generated CSVs and the team's hand-written JSONL sets.

One loader per format, both returning the same columns, so training and evaluation code never
cares where a row came from. Errors name the file and what to do; they never echo text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from thrive_ml.errors import InputFormatError
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

LABEL_COLUMNS = ("id", "text", "voice", "thrive_group", "exclusion_factors")


def _check_labels(df: pd.DataFrame, source: Path) -> pd.DataFrame:
    groups = set(ThriveGroup)
    bad = df.loc[~df["thrive_group"].isin(groups), "id"].tolist()
    if bad:
        raise InputFormatError(
            f"{source}: unknown thrive_group in rows {bad[:5]}; allowed: {[g.value for g in ThriveGroup]}"
        )
    factors = set(ExclusionFactor)
    for rid, fs in zip(df["id"], df["exclusion_factors"], strict=True):
        unknown = set(fs) - factors
        if unknown:
            raise InputFormatError(
                f"{source}: row {rid} has unknown exclusion factors {sorted(unknown)}"
            )
    return df


def load_generated(path: Path | str) -> pd.DataFrame:
    """A CSV written by `thrive-ml generate`, with list columns parsed."""
    path = Path(path)
    if not path.is_file():
        raise InputFormatError(
            f"no data file at {path}; run `thrive-ml generate --out {path}` or `make data`"
        )
    try:
        df = pd.read_csv(
            path, dtype={"id": str, "text": str, "thrive_alt": str}, keep_default_na=False
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFormatError(
            f"{path} is not a readable CSV ({type(exc).__name__}); regenerate it"
        ) from None
    missing = [c for c in LABEL_COLUMNS if c not in df.columns]
    if missing:
        raise InputFormatError(f"{path} lacks columns {missing}; expected the generator's CSV")
    df["exclusion_factors"] = df["exclusion_factors"].map(json.loads)
    if "risk_indicators" in df.columns:
        df["risk_indicators"] = df["risk_indicators"].map(json.loads)
    return _check_labels(df, path)


def load_labelled_jsonl(path: Path | str) -> pd.DataFrame:
    """A hand-written evaluation set (shared/eval/*.jsonl format)."""
    path = Path(path)
    if not path.is_file():
        raise InputFormatError(f"no evaluation file at {path}")
    df = pd.DataFrame([row for _, row in _jsonl_rows(path)])
    if "thrive_group" in df.columns:
        df["exclusion_factors"] = df["exclusion_factors"].map(lambda v: list(v or []))
        return _check_labels(df, path)
    return df


def load_reader_snippets(blind: list[Path], training: list[Path]) -> pd.DataFrame:
    """The risk reader's hand-written data: blind sets (`set` = file stem, used to choose its
    threshold) and training-only snippets (`set` None)."""
    sets = load_risk_snippets(blind)
    extra = load_risk_snippets(training).assign(set=None)
    return pd.concat([sets, extra], ignore_index=True) if not extra.empty else sets


def load_risk_snippets(folders: list[Path]) -> pd.DataFrame:
    """Hand-written risk snippets (`text`, `routes`) from every `*.jsonl` in the folders.

    Columns: text, routes (bool), set (the file's stem: rows of one set are written by one
    author, so cross-validation keeps a set together). A missing folder is skipped; a row
    without a text or a true/false `routes` is an error naming file and line."""
    rows: list[dict[str, object]] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.jsonl")):
            for n, row in _jsonl_rows(path):
                text, routes = row.get("text"), row.get("routes")
                if not isinstance(text, str) or not text.strip() or not isinstance(routes, bool):
                    raise InputFormatError(
                        f"{path}: line {n} needs a non-empty 'text' and 'routes' true or false"
                    )
                rows.append({"text": text, "routes": routes, "set": path.stem})
    return pd.DataFrame(rows, columns=["text", "routes", "set"])


# What `jsonl_objects` yields for a line that is not JSON at all.
NOT_JSON = object()


def jsonl_objects(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line of a JSONL file, `NOT_JSON` for a
    line that does not parse. Callers decide what a bad line means: a training or evaluation
    file stops (`_jsonl_rows`), a batch to triage gets an error line and goes on (batch.py)."""
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError:
                yield n, NOT_JSON


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object is an
    error naming file and line (never its text)."""
    for n, row in jsonl_objects(path):
        if row is NOT_JSON:
            raise InputFormatError(f"{path}: line {n} is not valid JSON")
        if not isinstance(row, dict):
            raise InputFormatError(f"{path}: line {n} is not a JSON object")
        yield n, row
