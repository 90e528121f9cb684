"""Many writers at once: the chain stays gap-free; group commit resolves only after commit."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from thrive_ml.errors import StoreUnavailableError
from thrive_ml.store import AuditStore, AuditWriter, NewPrediction, ReviewDecision
from thrive_ml.store.tables import ChainHead

THREADS = 8
ROUNDS = 15
WAIT = 60  # seconds: a bound on a condition, not a sleep


def _item(make_result, n: int) -> NewPrediction:
    return NewPrediction(f"referral number {n}", make_result(reasons=("risk:self_harm",)), "desk")


def _assert_whole_chain(store: AuditStore, expected: int) -> None:
    report = store.verify()
    assert report.ok, report.problems
    assert report.records == expected


def test_concurrent_appends_from_threads_make_one_gap_free_chain(store, make_result):
    def work(worker: int) -> list[int]:
        seqs = []
        for r in range(ROUNDS):
            batch = [_item(make_result, worker * 1000 + r * 10 + i) for i in range(1 + r % 3)]
            seqs += [p.seq for p in store.append_predictions(batch)]
            if r % 5 == 0:
                store.append_review(
                    store.append_predictions([_item(make_result, -1)])[0].prediction_id,
                    ReviewDecision("getting_help", [], ""),
                    f"reviewer-{worker}",
                )
        return seqs

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))

    per_worker = sum(1 + r % 3 for r in range(ROUNDS)) + 2 * len(range(0, ROUNDS, 5))
    total = THREADS * per_worker
    _assert_whole_chain(store, total)
    all_seqs = [s for seqs in results for s in seqs]
    assert len(all_seqs) == len(set(all_seqs))
    for seqs in results:
        assert seqs == sorted(seqs)


def test_writer_with_many_submitters_records_every_item_in_one_chain(store, make_result):
    submitters, each = 16, 25
    with AuditWriter(store) as writer, ThreadPoolExecutor(submitters) as pool:
        futures = [
            f
            for batch in pool.map(
                lambda s: [writer.submit(_item(make_result, s * 100 + i)) for i in range(each)],
                range(submitters),
            )
            for f in batch
        ]
        stored = [f.result(timeout=WAIT) for f in futures]

    assert sorted(p.seq for p in stored) == list(range(1, submitters * each + 1))
    assert store.get_prediction(stored[-1].prediction_id) == stored[-1]
    _assert_whole_chain(store, submitters * each)


def test_writer_commits_waiting_requests_together_and_only_then_resolves(store, make_result):
    commits = []
    event.listen(store.engine, "commit", lambda conn: commits.append(1))
    with AuditWriter(store) as writer:
        # Hold the chain head's write lock, as a slow transaction would.
        with store.write_engine.begin() as blocker:
            blocker.execute(select(ChainHead.seq).with_for_update())
            futures = [writer.submit(_item(make_result, n)) for n in range(50)]
            assert not any(f.done() for f in futures)  # nothing answered before its commit
            commits_while_blocked = len(commits)
        stored = [f.result(timeout=WAIT) for f in futures]

    assert [p.seq for p in stored] == list(range(1, 51))
    # The blocker's commit, the writer's blocked one, then everything queued behind it in one more.
    assert 2 <= len(commits) - commits_while_blocked <= 3
    _assert_whole_chain(store, 50)


def _break_database(store: AuditStore, request: pytest.FixtureRequest) -> None:
    """Make the database really unreachable: remove the SQLite file, or drop the PG database."""
    url = make_url(store.url)
    store.dispose()
    if url.get_backend_name() == "sqlite":
        db = Path(url.database)
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            leftover.unlink(missing_ok=True)
        db.mkdir()  # a directory where the file was: SQLite cannot open it
        request.addfinalizer(lambda: shutil.rmtree(db, ignore_errors=True))
    else:
        admin = request.getfixturevalue("postgres_admin")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{url.database}" WITH (FORCE)')


def test_writer_fails_every_waiting_future_when_the_database_is_gone(store, make_result, request):
    with AuditWriter(store) as writer:
        assert writer.submit(_item(make_result, 0)).result(timeout=WAIT).seq == 1
        _break_database(store, request)

        futures = [writer.submit(_item(make_result, n)) for n in range(1, 6)]

        for future in futures:
            error = future.exception(timeout=WAIT)
            assert isinstance(error, StoreUnavailableError)
            assert "referral number" not in str(error)
        # The writer survives a failed commit: the next item fails too, it does not hang.
        later = writer.submit(_item(make_result, 99))
        assert isinstance(later.exception(timeout=WAIT), StoreUnavailableError)


def test_a_closed_writer_refuses_new_items_after_committing_the_queued_ones(store, make_result):
    writer = AuditWriter(store)
    futures = [writer.submit(_item(make_result, n)) for n in range(10)]
    writer.close()

    assert all(f.done() for f in futures)
    assert [f.result().seq for f in futures] == list(range(1, 11))
    with pytest.raises(StoreUnavailableError, match="closed"):
        writer.submit(_item(make_result, 11))
    writer.close()  # twice is fine
