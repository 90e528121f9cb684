"""No unaudited suggestion: an answer implies a committed record, even when the server dies.

Each test here breaks something real (renames the audit table under a running server, kills
the server with SIGKILL mid-burst) and then reads the audit store directly.
"""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, text

from thrive_ml.store import AuditStore
from thrive_ml.store.db import parse_url

REFERRAL = (
    "GP letter: 14 year old with low mood since moving school, sleeping poorly, stopped "
    "seeing friends. No self-harm reported. Family supportive and keen for help."
)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_server(request, launch, tmp_path):
    """A server on an empty store of each kind, with a triage key; one per test."""
    if request.param == "sqlite":
        return launch(f"sqlite:///{tmp_path / 'audit.db'}")
    return launch(request.getfixturevalue("postgres_database"))


def _rename_audit_table(database_url: str, old: str, new: str) -> None:
    engine = create_engine(parse_url(database_url))
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
    engine.dispose()


def test_when_the_record_cannot_be_written_the_caller_gets_503_and_no_result(fresh_server):
    marker = f"Unrecorded{uuid.uuid4().hex}"
    with fresh_server.client("triage") as client:
        assert client.post("/v1/triage", json={"text": REFERRAL}).status_code == 200
        _rename_audit_table(fresh_server.database_url, "audit_records", "audit_records_away")
        try:
            failed = client.post("/v1/triage", json={"text": f"{REFERRAL} {marker}"})
            batch = client.post("/v1/triage/batch", json={"items": [{"text": REFERRAL}]})
            ready = client.get("/readyz")
        finally:
            _rename_audit_table(fresh_server.database_url, "audit_records_away", "audit_records")
        after = client.post("/v1/triage", json={"text": REFERRAL})
    assert failed.status_code == 503
    assert "thrive_group" not in failed.json()
    assert "could not record" in failed.json()["detail"]
    assert batch.status_code == 503
    assert "results" not in batch.json()
    assert ready.status_code in (200, 503)  # the connection works; the write path did not
    assert after.status_code == 200, "the service recovers once the store is back"
    store = AuditStore(fresh_server.database_url)
    report = store.verify()
    texts = [p.text for p in store.search(limit=100)]
    store.dispose()
    assert report.ok, report.problems
    assert report.records == 2
    assert not any(marker in t for t in texts)


def test_sigkill_mid_burst_every_answered_request_has_its_record_and_the_chain_verifies(
    fresh_server,
):
    answered: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()

    def client_loop(n: int) -> None:
        try:
            with fresh_server.client("triage", timeout=30) as client:
                i = 0
                while not stop.is_set():
                    i += 1
                    try:
                        response = client.post(
                            "/v1/triage", json={"text": f"{REFERRAL} Client {n}, referral {i}."}
                        )
                    except httpx.HTTPError:
                        return  # the server is gone
                    if response.status_code == 200:
                        with lock:
                            answered.append(response.json()["prediction_id"])
                            if len(answered) >= 120:
                                enough.set()
        finally:
            enough.set()  # a client that stops for any reason ends the wait

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    assert enough.wait(timeout=300), "the burst never reached 120 answers"
    fresh_server.kill()  # mid-burst: requests are in flight in every client thread
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    with lock:
        got = list(answered)

    store = AuditStore(fresh_server.database_url)
    report = store.verify()
    missing = [pid for pid in got if store.get_prediction(pid) is None]
    counts = store.counts()
    store.dispose()
    assert report.ok, report.problems
    assert not missing, f"{len(missing)} answered requests have no audit record"
    assert counts["predictions"] >= len(got) >= 120
