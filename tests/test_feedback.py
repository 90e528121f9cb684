"""Reviewer corrections feed retraining: audit store export -> `train --feedback` -> new model.

End to end on real parts: a registered champion in a temporary MLflow store, a SQLite audit
store holding its suggestion and a reviewer's correction, the store's export, and a retrain
that logs the export as a second dataset input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thrive_ml.config import get_settings
from thrive_ml.model.train import TrainParams
from thrive_ml.store import AuditStore
from thrive_ml.store.records import NewPrediction, ReviewDecision
from thrive_ml.taxonomy import ThriveGroup

SMALL = TrainParams(
    lovo=False, non_referrals=300, max_word_features=8000, max_char_features=8000, n_jobs=1
)
TEXT = (
    "Mum writes: Kai is 12 and since his dad left he shouts at home and won't do his homework. "
    "School says he is fine in class. We would just like some tips on managing his temper."
)


@pytest.fixture
def tracking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/mlflow.db")
    monkeypatch.setenv("THRIVE_MODEL_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    from thrive_ml import registry

    yield registry
    get_settings.cache_clear()


@pytest.mark.slow
def test_a_reviewer_correction_changes_what_the_retrained_model_suggests(
    tracking, small_data: Path, tmp_path: Path
):
    registry = tracking
    first = registry.train_and_register(small_data, SMALL)
    before = registry.load_version_triager(first.version).triage(TEXT)
    corrected = (
        ThriveGroup.GETTING_MORE_HELP
        if before.thrive_group is not ThriveGroup.GETTING_MORE_HELP
        else ThriveGroup.THRIVING
    )

    store = AuditStore(f"sqlite:///{tmp_path / 'audit.db'}")
    store.migrate()
    (stored,) = store.append_predictions(
        [NewPrediction(text=TEXT, result=before.model_dump(mode="json"), key_name="desk-1")]
    )
    store.append_review(
        stored.prediction_id,
        ReviewDecision(corrected.value, ["complexity"], "family stress, more than advice"),
        "reviewer-1",
    )
    export = tmp_path / "reviewed.jsonl"
    assert store.export_reviewed(export) == 1
    store.dispose()

    second = registry.train_and_register(small_data, SMALL, feedback_path=export)
    after = registry.load_version_triager(second.version).triage(TEXT)

    assert before.thrive_group is not corrected
    assert after.thrive_group is corrected
    from mlflow import MlflowClient

    run = MlflowClient(get_settings().mlflow_tracking_uri).get_run(second.run_id)
    contexts = {
        tag.value
        for d in run.inputs.dataset_inputs
        for tag in d.tags
        if tag.key == "mlflow.data.context"
    }
    assert {"training", "feedback"} <= contexts
    # Dev-set figures before (the champion) and after (the retrained model) are both reported.
    if get_settings().dev_set.is_file():
        assert "dev.macro_f1" in first.headline
        assert "dev.macro_f1" in second.headline
        assert any("vs champion" in m or "below" in m for m in second.gate_messages)
