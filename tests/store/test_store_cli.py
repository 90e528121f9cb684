"""`thrive-ml keys ...` and `thrive-ml audit ...` against a real store at THRIVE_DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from thrive_ml.cli import app
from thrive_ml.config import get_settings
from thrive_ml.datasets import load_labelled_jsonl
from thrive_ml.store import AuditStore, KeyStore, NewPrediction, ReviewDecision, Role


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose commands use the test database (settings are re-read for each test)."""
    monkeypatch.setenv("THRIVE_DATABASE_URL", store_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def filled(store_url: str, make_result) -> Iterator[AuditStore]:
    """A store with three predictions, one of them reviewed."""
    store = AuditStore(store_url)
    store.migrate()
    items = [
        NewPrediction(f"referral {n}", make_result(reasons=("risk:self_harm",)), "desk")
        for n in range(3)
    ]
    first, *_ = store.append_predictions(items)
    store.append_review(first.prediction_id, ReviewDecision("getting_risk_support", ["risk"]), "r")
    yield store
    store.dispose()


def test_keys_create_prints_the_key_on_its_last_line(cli, store_url):
    result = cli.invoke(app, ["keys", "create", "--role", "reviewer", "--name", "rev-1"])

    assert result.exit_code == 0, result.output
    key = result.output.rstrip("\n").splitlines()[-1]
    store = AuditStore(store_url)
    info = KeyStore(store).authenticate(key)
    store.dispose()
    assert info is not None
    assert (info.name, info.role) == ("rev-1", Role.REVIEWER)


def test_keys_create_refuses_an_unknown_role_in_one_line(cli):
    result = cli.invoke(app, ["keys", "create", "--role", "boss", "--name", "x"])
    assert result.exit_code == 2
    assert "--role must be one of triage, reviewer, admin" in result.output


def test_keys_list_and_revoke(cli):
    created = cli.invoke(app, ["keys", "create", "--role", "admin", "--name", "ops"])
    key = created.output.rstrip("\n").splitlines()[-1]

    revoked = cli.invoke(app, ["keys", "revoke", "ops"])
    listed = cli.invoke(app, ["keys", "list"])
    unknown = cli.invoke(app, ["keys", "revoke", "nobody"])

    assert revoked.exit_code == 0
    assert "revoked key 'ops'" in revoked.output
    assert listed.exit_code == 0
    assert "ops" in listed.output
    assert "admin" in listed.output
    assert key not in listed.output
    assert unknown.exit_code == 2
    assert "no API key named 'nobody'" in unknown.output


@pytest.mark.usefixtures("filled")
def test_audit_verify_passes_an_intact_chain(cli):
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "chain intact: 4 records" in result.output


def test_audit_verify_exits_1_and_names_the_record_after_tampering(cli, filled):
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET text = 'changed' WHERE seq = 2"))

    result = cli.invoke(app, ["audit", "verify"])

    assert result.exit_code == 1
    assert "record 2: hash does not match its contents (edited?)" in result.output


@pytest.mark.usefixtures("filled")
def test_audit_export_writes_reviewed_cases(cli, tmp_path: Path):
    out = tmp_path / "feedback.jsonl"

    result = cli.invoke(app, ["audit", "export", "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "wrote 1 reviewed cases" in result.output
    df = load_labelled_jsonl(out)
    assert df["thrive_group"].tolist() == ["getting_risk_support"]
    assert df["text"].tolist() == ["referral 0"]
