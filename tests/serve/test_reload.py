"""Admin reload: a newly promoted champion is served without refusing a request meanwhile."""

from __future__ import annotations

import shutil
import threading

import pytest

from thrive_ml.config import get_settings

REFERRAL = "Year 7 girl, worried about friendships since starting secondary school, tearful."


@pytest.fixture
def own_registry(champion_env, tmp_path, monkeypatch):
    """A copy of the session's tracking store, so promoting here leaves other tests' alone."""
    source = champion_env["MLFLOW_TRACKING_URI"].removeprefix("sqlite:///")
    copy = tmp_path / "mlflow.db"
    shutil.copy(source, copy)
    env = {"MLFLOW_TRACKING_URI": f"sqlite:///{copy}", "THRIVE_MODEL_DIR": str(tmp_path / "models")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


def _register_copy_of_champion(tracking_uri: str) -> str:
    """A new registered version of the same artefact, promoted (gates pass: same figures)."""
    from mlflow import MlflowClient

    from thrive_ml import registry

    client = MlflowClient(tracking_uri=tracking_uri)
    current = client.get_model_version_by_alias(registry.MODEL_NAME, registry.CHAMPION)
    new = client.create_model_version(
        registry.MODEL_NAME, current.source, run_id=current.run_id, tags=current.tags
    )
    registry.promote(str(new.version))
    return str(new.version)


def test_reload_serves_the_new_champion_and_no_request_fails_meanwhile(
    own_registry, tmp_path, start_server_with
):
    server = start_server_with(
        f"sqlite:///{tmp_path / 'audit.db'}", own_registry, ("triage", "admin")
    )
    statuses: list[int] = []
    versions: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with server.client("triage") as client:
            while not stop.is_set():
                response = client.post("/v1/triage", json={"text": REFERRAL})
                statuses.append(response.status_code)
                if response.status_code == 200:
                    versions.append(response.json()["model_version"])

    try:
        asker = threading.Thread(target=keep_asking)
        asker.start()
        new_version = _register_copy_of_champion(own_registry["MLFLOW_TRACKING_URI"])
        with server.client("admin") as client:
            reloaded = client.post("/v1/admin/reload")
            after = client.post("/v1/triage", json={"text": REFERRAL}).json()
            model = client.get("/v1/model").json()
        stop.set()
        asker.join(timeout=60)
    finally:
        server.stop()
    assert reloaded.status_code == 200
    assert reloaded.json() == {
        "previous_version": "1",
        "model_version": new_version,
        "rules_version": model["rules_version"],
    }
    assert after["model_version"] == new_version
    assert model["model_version"] == new_version
    assert statuses, "requests were made during the reload"
    assert set(statuses) == {200}
    assert versions[0] == "1"
