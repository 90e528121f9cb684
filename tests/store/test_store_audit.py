"""AuditStore behaviour on SQLite and PostgreSQL: records, tamper evidence, reviews, queue, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from thrive_ml.datasets import load_labelled_jsonl
from thrive_ml.errors import (
    InputFormatError,
    InvalidReviewError,
    PredictionNotFoundError,
    StoreUnavailableError,
)
from thrive_ml.store import AuditStore, Decision, NewPrediction, ReviewDecision
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

REFERRAL = 'Amira (14) has been low since the move.\nShe says "nothing helps" — café, 日本語 🙂'
RISK = ("risk:self_harm",)


def _tamper(store: AuditStore, sql: str, **params: object) -> None:
    """Change the database behind the store's back, as someone with database access could."""
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def _append(store: AuditStore, make_result, n: int = 1, **result_args) -> list:
    items = [
        NewPrediction(
            text=f"referral {i}: {REFERRAL}", result=make_result(**result_args), key_name="desk"
        )
        for i in range(n)
    ]
    return store.append_predictions(items)


def test_append_then_get_returns_text_and_result_exactly(store, make_result, self_harm_flag):
    result = make_result(reasons=RISK, flags=(self_harm_flag,))
    [stored] = store.append_predictions([NewPrediction(REFERRAL, result, "desk-1")])

    got = store.get_prediction(stored.prediction_id)

    assert got is not None
    assert got.text == REFERRAL
    assert got.result == result
    assert got.key_name == "desk-1"
    assert got.reviews == []
    assert got == stored


def test_a_batch_gets_consecutive_seqs_and_distinct_ids(store, make_result):
    first = _append(store, make_result, 2)
    second = _append(store, make_result, 3)

    assert [p.seq for p in first + second] == [1, 2, 3, 4, 5]
    assert len({p.prediction_id for p in first + second}) == 5
    assert all(len(p.prediction_id) == 32 for p in first + second)


def test_unknown_prediction_id_gets_none(store):
    assert store.get_prediction("0" * 32) is None
    assert store.get_prediction("not-an-id") is None


def test_untouched_chain_verifies(store, make_result):
    predictions = _append(store, make_result, 4, reasons=RISK)
    store.append_review(predictions[1].prediction_id, ReviewDecision("getting_help", [], ""), "rev")

    report = store.verify()

    assert report.ok, report.problems
    assert report.records == 5
    assert report.problems == []


def test_empty_chain_verifies(store):
    report = store.verify()
    assert report.ok
    assert report.records == 0


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE audit_records SET text = 'an edited referral' WHERE seq = 2",
        "UPDATE audit_records SET payload = '{}' WHERE seq = 2",
        "UPDATE audit_records SET thrive_group = 'thriving' WHERE seq = 2",
    ],
    ids=["text", "payload", "group"],
)
def test_editing_a_record_is_detected(store, make_result, edit):
    _append(store, make_result, 3)
    _tamper(store, edit)

    report = store.verify()

    assert not report.ok
    assert report.problems == ["record 2: hash does not match its contents (edited?)"]


def test_editing_a_record_and_its_hash_is_detected_by_the_next_link(store, make_result):
    _append(store, make_result, 3)
    _tamper(store, "UPDATE audit_records SET text = 'x', hash = :h WHERE seq = 2", h="f" * 64)

    problems = store.verify().problems

    assert "record 2: hash does not match its contents (edited?)" in problems
    assert any(p.startswith("record 3: prev_hash does not match record 2") for p in problems)


def test_deleting_a_middle_record_is_detected(store, make_result):
    _append(store, make_result, 5)
    _tamper(store, "DELETE FROM audit_records WHERE seq = 3")

    report = store.verify()

    assert not report.ok
    assert report.problems == ["record 3 missing (deleted?)"]
    assert report.records == 4


def test_deleting_the_newest_record_is_detected(store, make_result):
    _append(store, make_result, 4)
    _tamper(store, "DELETE FROM audit_records WHERE seq = 4")

    report = store.verify()

    assert not report.ok
    assert report.problems == ["chain head says 4 records, found 3 (newest deleted?)"]


def test_appending_after_verify_keeps_the_chain_whole(store, make_result):
    _append(store, make_result, 2)
    assert store.verify().ok
    _append(store, make_result, 2)
    assert store.verify().records == 4
    assert store.verify().ok


def test_review_with_the_suggested_labels_is_confirmed(store, make_result):
    [p] = _append(store, make_result, group=ThriveGroup.GETTING_HELP, reasons=RISK)

    review = store.append_review(
        p.prediction_id, ReviewDecision("getting_help", ["complexity"], "agree"), "reviewer-1"
    )

    assert review.decision == Decision.CONFIRMED
    assert review.reviewer == "reviewer-1"
    assert review.thrive_group == ThriveGroup.GETTING_HELP
    assert review.exclusion_factors == [ExclusionFactor.COMPLEXITY]
    assert review.seq == 2


def test_review_with_other_labels_is_corrected(store, make_result):
    [p] = _append(store, make_result, group=ThriveGroup.GETTING_HELP, reasons=RISK)

    review = store.append_review(
        p.prediction_id,
        ReviewDecision("getting_risk_support", ["risk", "complexity"], "self-harm is current"),
        "reviewer-1",
    )

    assert review.decision == Decision.CORRECTED
    # Factors come back in taxonomy order, whatever order the reviewer sent.
    assert review.exclusion_factors == [ExclusionFactor.COMPLEXITY, ExclusionFactor.RISK]


def test_changing_only_the_factors_is_a_correction(store, make_result):
    [p] = _append(store, make_result, group=ThriveGroup.GETTING_HELP)
    review = store.append_review(p.prediction_id, ReviewDecision("getting_help", [], ""), "r")
    assert review.decision == Decision.CORRECTED


def test_reviewing_twice_keeps_both_decisions_oldest_first(store, make_result):
    [p] = _append(store, make_result, reasons=RISK)
    store.append_review(p.prediction_id, ReviewDecision("getting_help", [], "first"), "alice")
    store.append_review(
        p.prediction_id, ReviewDecision("getting_more_help", ["risk"], "second"), "bob"
    )

    got = store.get_prediction(p.prediction_id)

    assert got is not None
    assert [r.comment for r in got.reviews] == ["first", "second"]
    assert [r.reviewer for r in got.reviews] == ["alice", "bob"]
    assert got.latest_review is not None
    assert got.latest_review.thrive_group == ThriveGroup.GETTING_MORE_HELP
    assert got.result["thrive_group"] == "getting_help"  # the suggestion itself is never changed


def test_reviewing_an_unknown_prediction_raises_not_found(store, make_result):
    _append(store, make_result)
    with pytest.raises(PredictionNotFoundError, match="no prediction with id"):
        store.append_review("a" * 32, ReviewDecision("thriving", [], ""), "r")
    assert store.verify().records == 1


@pytest.mark.parametrize(
    "decision",
    [
        ReviewDecision("getting_lots_of_help", [], ""),
        ReviewDecision("getting_help", ["complexity", "cost"], ""),
        ReviewDecision("getting_help", "risk", ""),  # type: ignore[arg-type]
        ReviewDecision("getting_help", [], "nul \x00 in comment"),
    ],
    ids=["group", "factor", "factors-not-a-list", "nul-comment"],
)
def test_review_with_an_invalid_label_raises_invalid_review(store, make_result, decision):
    [p] = _append(store, make_result)
    with pytest.raises(InvalidReviewError):
        store.append_review(p.prediction_id, decision, "r")
    assert store.verify().records == 1


def test_queue_holds_only_predictions_needing_review_oldest_first(store, make_result):
    routed = _append(store, make_result, 3, reasons=RISK)
    _append(store, make_result, 2, reasons=("low_confidence",))  # shown, not queued
    more = _append(store, make_result, 1, reasons=("model:getting_risk_support",))

    queue = store.review_queue()

    assert [p.prediction_id for p in queue] == [p.prediction_id for p in routed + more]


def test_queue_pending_and_reviewed_states_split_on_review(store, make_result):
    a, b, c = _append(store, make_result, 3, reasons=RISK)
    store.append_review(b.prediction_id, ReviewDecision("getting_help", [], ""), "r")

    pending = [p.prediction_id for p in store.review_queue(state="pending")]
    reviewed = store.review_queue(state="reviewed")
    everything = [p.prediction_id for p in store.review_queue(state="all")]

    assert pending == [a.prediction_id, c.prediction_id]
    assert [p.prediction_id for p in reviewed] == [b.prediction_id]
    assert len(reviewed[0].reviews) == 1
    assert everything == [a.prediction_id, b.prediction_id, c.prediction_id]


def test_queue_reason_filter_matches_whole_reasons_only(store, make_result):
    [harm] = _append(store, make_result, reasons=("risk:self_harm", "low_confidence"))
    [plan] = _append(store, make_result, reasons=("risk:suicide_plan_or_intent",))

    assert [p.prediction_id for p in store.review_queue(reason="risk:self_harm")] == [
        harm.prediction_id
    ]
    assert [p.prediction_id for p in store.review_queue(reason="risk:suicide_plan_or_intent")] == [
        plan.prediction_id
    ]
    # Neither a prefix nor a LIKE wildcard nor another case matches.
    assert store.review_queue(reason="risk:self") == []
    assert store.review_queue(reason="risk:self%") == []
    assert store.review_queue(reason="risk:self_harM") == []


def test_queue_filters_by_group_and_model_version(store, make_result):
    [risky] = _append(store, make_result, group=ThriveGroup.GETTING_RISK_SUPPORT, reasons=RISK)
    [old] = _append(store, make_result, reasons=RISK, model_version="2")

    by_group = store.review_queue(group="getting_risk_support")
    by_version = store.review_queue(model_version="2")

    assert [p.prediction_id for p in by_group] == [risky.prediction_id]
    assert [p.prediction_id for p in by_version] == [old.prediction_id]
    with pytest.raises(InputFormatError, match="unknown thrive_group"):
        store.review_queue(group="urgent")


def test_queue_pages_with_limit_and_offset(store, make_result):
    routed = _append(store, make_result, 5, reasons=RISK)
    page = store.review_queue(limit=2, offset=2)
    assert [p.prediction_id for p in page] == [p.prediction_id for p in routed[2:4]]
    with pytest.raises(InputFormatError):
        store.review_queue(limit=0)


def test_time_bounds_take_since_inclusive_and_until_exclusive(store, make_result):
    [first, second] = _append(store, make_result, 2, reasons=RISK)

    since_second = store.review_queue(since=second.created_at)
    until_second = store.review_queue(until=second.created_at)

    assert [p.prediction_id for p in since_second] == [second.prediction_id]
    assert [p.prediction_id for p in until_second] == [first.prediction_id]
    assert store.review_queue(since="2000-01-01", until="2000-01-02") == []
    with pytest.raises(InputFormatError, match="ISO-8601"):
        store.review_queue(since="last tuesday")


def test_search_is_newest_first_and_filters_by_review_state(store, make_result):
    a, b = _append(store, make_result, 2, reasons=RISK)
    [c] = _append(store, make_result)
    store.append_review(a.prediction_id, ReviewDecision("getting_help", [], ""), "r")

    newest_first = [p.prediction_id for p in store.search()]
    reviewed = [p.prediction_id for p in store.search(review_state="reviewed")]
    unreviewed = [p.prediction_id for p in store.search(review_state="unreviewed")]
    not_flagged = [p.prediction_id for p in store.search(needs_review=False)]

    assert newest_first == [c.prediction_id, b.prediction_id, a.prediction_id]
    assert reviewed == [a.prediction_id]
    assert unreviewed == [c.prediction_id, b.prediction_id]
    assert not_flagged == [c.prediction_id]


def test_counts_track_predictions_queue_and_reviews(store, make_result):
    a, _ = _append(store, make_result, 2, reasons=RISK)
    _append(store, make_result, 3)
    store.append_review(a.prediction_id, ReviewDecision("getting_help", [], ""), "r")
    store.append_review(a.prediction_id, ReviewDecision("thriving", [], ""), "r")

    assert store.counts() == {
        "predictions": 5,
        "needs_review": 2,
        "pending_review": 1,
        "reviews": 2,
    }


def test_export_carries_the_latest_review_and_loads_as_a_labelled_set(
    store, make_result, tmp_path: Path
):
    a, b, _ = _append(store, make_result, 3, reasons=RISK)
    store.append_review(a.prediction_id, ReviewDecision("getting_help", [], "first look"), "alice")
    store.append_review(
        a.prediction_id, ReviewDecision("getting_risk_support", ["risk"], "on reflection"), "bob"
    )
    store.append_review(b.prediction_id, ReviewDecision("getting_help", ["complexity"], ""), "bob")
    out = tmp_path / "exports" / "reviewed.jsonl"

    count = store.export_reviewed(out)
    df = load_labelled_jsonl(out)

    assert count == 2
    assert not out.with_name("reviewed.jsonl.part").exists()
    assert df["id"].tolist() == [a.prediction_id, b.prediction_id]
    assert df["text"].tolist() == [a.text, b.text]
    assert df["thrive_group"].tolist() == ["getting_risk_support", "getting_help"]
    assert df["exclusion_factors"].tolist() == [["risk"], ["complexity"]]
    assert df["decision"].tolist() == ["corrected", "confirmed"]
    assert df["reviewer"].tolist() == ["bob", "bob"]
    assert set(df["voice"]) == {"reviewed"}
    assert df["suggested_group"].tolist() == ["getting_help", "getting_help"]
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {
        "id", "text", "thrive_group", "exclusion_factors", "voice", "decision",
        "suggested_group", "model_version", "reviewer", "reviewed_at",
    }  # fmt: skip


def test_text_the_database_cannot_hold_is_refused_before_batching(make_result):
    with pytest.raises(InputFormatError, match="NUL") as caught:
        NewPrediction("she said \x00 nothing", make_result(), "desk")
    assert "she said" not in str(caught.value)
    with pytest.raises(InputFormatError):
        NewPrediction("lone \ud800 surrogate", make_result(), "desk")


def test_a_malformed_result_is_refused_without_quoting_it(make_result):
    result = make_result()
    result["thrive_group"] = "Amira is very unwell"
    with pytest.raises(InputFormatError, match="thrive_group") as caught:
        NewPrediction(REFERRAL, result, "desk")
    assert "Amira" not in str(caught.value)


def test_ping_passes_on_a_migrated_store(store):
    store.ping()


def test_unreachable_database_raises_store_unavailable(tmp_path: Path):
    missing_dir = AuditStore(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'a.db'}")
    wrong_port = AuditStore("postgresql://postgres@127.0.0.1:1/postgres")
    for store in (missing_dir, wrong_port):
        with pytest.raises(StoreUnavailableError, match="could not reach the database"):
            store.ping()
        with pytest.raises(StoreUnavailableError, match="could not migrate"):
            store.migrate()


def test_a_password_in_the_url_never_reaches_a_message():
    store = AuditStore("postgresql://thrive:hunter2-secret@127.0.0.1:1/audit")
    with pytest.raises(StoreUnavailableError) as caught:
        store.ping()
    assert "hunter2-secret" not in str(caught.value)
    assert "***" in str(caught.value)


def test_an_unsupported_url_is_refused_with_the_fix():
    with pytest.raises(InputFormatError, match="THRIVE_DATABASE_URL"):
        AuditStore("mysql://u@h/db")
    with pytest.raises(InputFormatError, match="not a database URL"):
        AuditStore("::::not a url")
