"""The hash chain's pure functions: canonical, covering every column, chaining."""

from __future__ import annotations

import re

import pytest

from thrive_ml.store.chain import GENESIS, HASHED_COLUMNS, canonical_json, record_hash, utc_stamp
from thrive_ml.store.tables import AuditRecord

FIELDS = {
    "seq": 1,
    "kind": "prediction",
    "prediction_id": "a" * 32,
    "created_at": "2026-01-31T09:00:00.000001Z",
    "key_name": "desk",
    "model_version": "3",
    "rules_version": "2026.11.1",
    "text": "café",
    "payload": "{}",
    "thrive_group": "getting_help",
    "needs_review": False,
    "review_reasons": "[]",
    "prev_hash": GENESIS,
}


def test_every_column_but_hash_is_hashed():
    columns = {c.name for c in AuditRecord.__table__.columns}
    assert set(HASHED_COLUMNS) == columns - {"hash"}


@pytest.mark.parametrize("column", [c for c in HASHED_COLUMNS if c != "prev_hash"])
def test_changing_any_column_changes_the_hash(column):
    changed = dict(FIELDS)
    changed[column] = True if column == "text" else ("x" if isinstance(FIELDS[column], str) else 2)
    assert record_hash(GENESIS, changed) != record_hash(GENESIS, FIELDS)


def test_the_previous_hash_is_part_of_the_hash():
    assert record_hash(GENESIS, FIELDS) != record_hash("1" * 64, FIELDS)


def test_the_hash_ignores_a_hash_field_and_key_order():
    reordered = dict(reversed(list(FIELDS.items())))
    reordered["hash"] = "whatever"
    assert record_hash(GENESIS, reordered) == record_hash(GENESIS, FIELDS)


def test_missing_fields_are_refused():
    with pytest.raises(ValueError, match="payload"):
        record_hash(GENESIS, {k: v for k, v in FIELDS.items() if k != "payload"})


def test_canonical_json_is_compact_sorted_and_keeps_unicode():
    assert canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'


def test_timestamps_are_utc_with_microseconds_and_sort_as_text():
    first, second = utc_stamp(), utc_stamp()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", first)
    assert first <= second
