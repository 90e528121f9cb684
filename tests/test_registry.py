"""MLflow end to end on a real local tracking store: train, register, gate, promote, load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from thrive_ml.config import get_settings
from thrive_ml.errors import (
    InputFormatError,
    ModelIntegrityError,
    NoChampionError,
    PromotionRefusedError,
)
from thrive_ml.model.train import TrainParams

SMALL = TrainParams(
    lovo=False, non_referrals=300, max_word_features=8000, max_char_features=8000, n_jobs=1
)


@pytest.fixture(scope="module")
def registry_env(tmp_path_factory, small_data: Path):
    """A fresh tracking store with one trained, registered version."""
    root = tmp_path_factory.mktemp("mlflow")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root}/mlflow.db")
        mp.setenv("THRIVE_MODEL_DIR", str(root / "models"))
        get_settings.cache_clear()
        from thrive_ml import registry

        outcome = registry.train_and_register(small_data, SMALL)
        yield registry, outcome, root
    get_settings.cache_clear()


def test_first_version_is_registered_with_its_gate_figures(registry_env):
    registry, outcome, _ = registry_env
    assert outcome.version == "1"
    versions = registry.list_versions()
    assert [v.version for v in versions] == ["1"]
    assert versions[0].rules_version != "-"
    assert "dev.macro_f1" in outcome.headline


def test_run_logs_metrics_figures_cards_and_dataset_but_no_referral_text(registry_env, small_data):
    _registry, outcome, _ = registry_env
    from mlflow import MlflowClient

    run = MlflowClient().get_run(outcome.run_id)
    assert "synthetic_test.macro_f1" in run.data.metrics
    assert run.inputs.dataset_inputs, "training data is logged as a dataset input"
    arts = {a.path for a in MlflowClient().list_artifacts(outcome.run_id, "cards")}
    assert {"cards/model_card.md"} <= arts
    figs = {a.path for a in MlflowClient().list_artifacts(outcome.run_id, "figures")}
    assert "figures/reliability.png" in figs
    texts = pd.read_csv(small_data)["text"].tolist()[:200]
    logged = " ".join(list(run.data.params.values()) + list(run.data.tags.values()))
    assert not any(t[:40] in logged for t in texts)


def test_champion_loads_and_triages(registry_env):
    registry, outcome, _ = registry_env
    triager = registry.load_champion_triager()
    result = triager.triage("Year 10 girl, panic attacks in lessons for three months.")
    assert result.model_version == outcome.version


def test_tampered_artifact_is_refused(registry_env):
    registry, outcome, root = registry_env
    registry.load_champion_triager()
    cached = root / "models" / f"v{outcome.version}" / registry.MODEL_FILE
    original = cached.read_bytes()
    try:
        cached.write_bytes(original + b"tampered")
        with pytest.raises(ModelIntegrityError, match="checksum"):
            registry.load_champion_triager()
    finally:
        cached.write_bytes(original)


def test_gates_refuse_a_version_that_misses_a_safety_item(registry_env, small_data):
    registry, _, _ = registry_env
    second = registry.train_and_register(small_data, SMALL)
    client = registry._client()
    client.set_model_version_tag(
        registry.MODEL_NAME, second.version, "safety_dev.route_recall", "0.9750"
    )
    with pytest.raises(PromotionRefusedError, match="safety route recall"):
        registry.promote(second.version)
    with pytest.raises(InputFormatError, match="--reason"):
        registry.promote(second.version, force=True)
    registry.promote(second.version, force=True, reason="test: known rules gap accepted")
    mv = client.get_model_version(registry.MODEL_NAME, second.version)
    assert mv.tags["forced_promotion_reason"] == "test: known rules gap accepted"
    assert registry.champion_version() == second.version
    registry.promote("1")


def test_pyfunc_gives_the_same_answer_as_the_triager(registry_env):
    registry, _, _ = registry_env
    import mlflow.pyfunc

    texts = ["Year 9 boy, angry outbursts since Christmas, still at school.", "hello"]
    model = mlflow.pyfunc.load_model(f"models:/{registry.MODEL_NAME}@champion")
    got = model.predict(pd.DataFrame({"id": ["a", "b"], "text": texts}))
    direct = registry.load_champion_triager(explain=False).triage_many(texts, ["a", "b"])
    for row, res in zip(got["result"], direct, strict=True):
        expected = json.loads(res.model_dump_json())
        assert json.loads(row)["thrive_group"] == expected["thrive_group"]
        assert json.loads(row)["thrive_probabilities"] == expected["thrive_probabilities"]
        assert json.loads(row)["needs_human_review"] == expected["needs_human_review"]


def test_cli_predict_without_a_champion_is_one_actionable_line(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "hello there"}\n')
    env = {"MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/empty.db", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "thrive_ml",
            "predict",
            "--input",
            str(src),
            "--output",
            str(tmp_path / "o.jsonl"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "run `make model`" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_champion_error_names_the_fix(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/none.db")
    get_settings.cache_clear()
    from thrive_ml import registry

    try:
        with pytest.raises(NoChampionError, match="make model"):
            registry.load_champion_triager()
    finally:
        get_settings.cache_clear()
