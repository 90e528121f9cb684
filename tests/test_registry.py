"""MLflow end to end on a real local tracking store: train, register, gate, promote, load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
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
    # The second reader is trained and its cross-validated threshold logged; the blind sets
    # nobody built rules or the reader from are scored on every run.
    assert 0.5 <= run.data.metrics["risk_reader.threshold"] < 1.0
    assert "heldout.blind19.route_recall" in run.data.metrics
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


def test_promotion_leaves_a_pointer_to_the_verified_champion(registry_env):
    registry, _, root = registry_env
    pointer = json.loads((root / "models" / "champion.json").read_text())
    version = registry.champion_version()
    tags = registry._client().get_model_version(registry.MODEL_NAME, version).tags
    assert pointer["version"] == version
    assert pointer["sha256"] == tags["sha256"]
    assert pointer["rules_version"] == tags["rules_version"]
    assert (root / "models" / pointer["path"]).is_file()


def test_champion_loads_in_a_fresh_process_without_importing_mlflow(registry_env):
    registry, _, root = registry_env
    version = registry.load_champion_triager(refresh=True).model_version
    code = (
        "import sys\n"
        "from thrive_ml.registry import load_champion_triager\n"
        "result = load_champion_triager().triage('Year 10 girl, panic attacks in lessons.')\n"
        "print(result.model_version, 'mlflow' in sys.modules)"
    )
    env = {
        **os.environ,
        "MLFLOW_TRACKING_URI": f"sqlite:///{root}/mlflow.db",
        "THRIVE_MODEL_DIR": str(root / "models"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [version, "False"]


def test_refresh_asks_mlflow_when_the_champion_moved_behind_the_pointer(registry_env, small_data):
    registry, _, _ = registry_env
    if len(registry.list_versions()) < 2:
        registry.train_and_register(small_data, SMALL)
    current = registry.load_champion_triager(refresh=True).model_version
    other = next(v.version for v in registry.list_versions() if v.version != current)
    client = registry._client()
    client.set_registered_model_alias(registry.MODEL_NAME, registry.CHAMPION, other)  # as the UI
    try:
        assert registry.load_champion_triager().model_version == current  # the pointer, by design
        assert registry.load_champion_triager(refresh=True).model_version == other
        assert registry.load_champion_triager().model_version == other  # pointer rewritten
    finally:
        client.set_registered_model_alias(registry.MODEL_NAME, registry.CHAMPION, current)
        registry.load_champion_triager(refresh=True)


def test_a_pointer_from_another_tracking_store_is_not_used(registry_env, tmp_path, monkeypatch):
    registry, _, root = registry_env
    registry.load_champion_triager(refresh=True)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/other.db")
    get_settings.cache_clear()
    try:
        assert (root / "models" / "champion.json").is_file()
        with pytest.raises(NoChampionError, match="make model"):
            registry.load_champion_triager()
    finally:
        monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root}/mlflow.db")
        get_settings.cache_clear()
        registry.load_champion_triager(refresh=True)


def test_artifacts_of_either_format_load_only_with_a_matching_checksum(small_model, tmp_path):
    import joblib

    from thrive_ml import champion

    pickled, legacy = tmp_path / champion.MODEL_FILE, tmp_path / champion.LEGACY_MODEL_FILE
    champion.dump_model(small_model, pickled)
    joblib.dump(small_model, legacy, compress=3)
    for path in (pickled, legacy):
        triager = champion.load_verified(path, champion.sha256_file(path), "7", explain=False)
        assert triager.model_version == "7"
        np.testing.assert_array_equal(
            triager.model.predict_proba(["Year 8 boy, anxious."]),
            small_model.predict_proba(["Year 8 boy, anxious."]),
        )
        with pytest.raises(ModelIntegrityError, match="checksum"):
            champion.load_verified(path, "0" * 64, "7", explain=False)


def test_a_pointer_that_is_unreadable_or_leaves_the_cache_is_not_trusted(tmp_path, monkeypatch):
    from thrive_ml import champion

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/store.db")
    monkeypatch.setenv("THRIVE_MODEL_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    try:
        (tmp_path / "models" / "v1").mkdir(parents=True)
        inside = tmp_path / "models" / "v1" / champion.MODEL_FILE
        inside.write_bytes(b"model")
        champion.write_pointer("1", "ab" * 32, inside, "2026.1")
        assert champion.read_pointer().path == "v1/referral_model.pkl"
        pointer = json.loads(champion.pointer_path().read_text())
        champion.pointer_path().write_text(json.dumps({**pointer, "path": "../elsewhere.pkl"}))
        assert champion.read_pointer() is None
        champion.pointer_path().write_text("{not json")
        assert champion.read_pointer() is None
        with pytest.raises(NoChampionError, match="make model"):
            champion.load_local_champion()
    finally:
        get_settings.cache_clear()


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


def test_pyfunc_accepts_text_without_an_id_like_the_cli_and_api(registry_env):
    registry, _, _ = registry_env
    import mlflow.pyfunc

    model = mlflow.pyfunc.load_model(f"models:/{registry.MODEL_NAME}@champion")
    got = model.predict(
        pd.DataFrame({"text": ["Year 8 girl, worried about exams, sleeping badly."]})
    )
    assert got["thrive_group"].iloc[0] in set(
        json.loads(got["result"].iloc[0])["thrive_probabilities"]
    )


@pytest.mark.slow
def test_spark_udf_gives_the_same_results_as_the_triager(registry_env, tmp_path, monkeypatch):
    """`mlflow.pyfunc.spark_udf` on a local one-core Spark: the full result, field for field."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (17 or later) on PATH; none found")
    import mlflow.pyfunc
    from pyspark.sql import SparkSession

    registry, _, _ = registry_env
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers use this venv
    monkeypatch.setenv("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    ids = ["a", "b", "c", "d", "e"]
    texts = [
        "Year 9 boy, angry outbursts since Christmas, still at school.",
        "hello",
        "She has been cutting her arms every night and says she wants to die.",
        "Re: Amy, 14. Low mood for four months. Denies self-harm. Keen to try CBT.",
        "Mum worried – Y10 girl 😊 panic attacks in lessons, 3/12, no other agencies.",
    ]
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("thrive-ml-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", str(tmp_path / "warehouse"))
        .config("spark.local.dir", str(tmp_path / "spark"))
        .getOrCreate()
    )
    try:
        udf = mlflow.pyfunc.spark_udf(
            spark, f"models:/{registry.MODEL_NAME}@{registry.CHAMPION}", env_manager="local"
        )
        frame = spark.createDataFrame(list(zip(ids, texts, strict=True)), ["id", "text"])
        got = frame.select(udf("id", "text").alias("triage")).select("triage.*").toPandas()
    finally:
        spark.stop()
    got = got.set_index("id").loc[ids]
    direct = registry.load_champion_triager(refresh=True).triage_many(texts, ids)
    assert [json.loads(r) for r in got["result"]] == [
        json.loads(r.model_dump_json()) for r in direct
    ]
    assert got["thrive_group"].tolist() == [r.thrive_group.value for r in direct]
    assert got["needs_human_review"].tolist() == [r.needs_human_review for r in direct]


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
