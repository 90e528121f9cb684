"""The HTTP API over a real socket, on SQLite and on PostgreSQL: what callers rely on."""

from __future__ import annotations

import json
import uuid

import pytest

from thrive_ml.datasets import load_labelled_jsonl
from thrive_ml.result import SUGGESTION_NOTICE
from thrive_ml.store import AuditStore
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

RISK_TEXT = (
    "Referral from school nurse. Year 10 girl told her form tutor last week that she has been "
    "cutting her arms most nights and that she wants to die. Mum is very worried."
)
PLAIN_TEXT = (
    "Year 8 boy, anxious about tests since September, some trouble getting to sleep. "
    "Parents would like advice on how to help him at home."
)


def test_triage_returns_the_contract_result_with_prediction_id_and_notice(server):
    with server.client("triage") as client:
        response = client.post("/v1/triage", json={"text": PLAIN_TEXT, "id": "r-17"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "r-17"
    assert body["thrive_group"] in {g.value for g in ThriveGroup}
    assert set(body["thrive_probabilities"]) == {g.value for g in ThriveGroup}
    assert sum(body["thrive_probabilities"].values()) == pytest.approx(1.0, abs=0.01)
    assert set(body["exclusion_probabilities"]) == {f.value for f in ExclusionFactor}
    assert body["notice"] == SUGGESTION_NOTICE
    assert len(body["prediction_id"]) == 32
    for key in (
        "risk_flags",
        "needs_human_review",
        "review_reasons",
        "model_version",
        "rules_version",
    ):
        assert key in body


def test_risk_referral_is_routed_with_offsets_into_the_submitted_text(server):
    with server.client("triage") as client:
        body = client.post("/v1/triage", json={"text": RISK_TEXT}).json()
    assert body["needs_human_review"] is True
    assert "risk:self_harm" in body["review_reasons"]
    for flag in body["risk_flags"]:
        assert RISK_TEXT[flag["start"] : flag["end"]] == flag["text"]


def test_missing_key_gets_401_with_how_to_get_one(server):
    with server.client() as client:
        response = client.post("/v1/triage", json={"text": PLAIN_TEXT})
    assert response.status_code == 401
    assert "keys create" in response.json()["detail"]


def test_wrong_key_gets_401(server):
    with server.client() as client:
        response = client.post(
            "/v1/triage", json={"text": PLAIN_TEXT}, headers={"Authorization": "Bearer thr_nope"}
        )
    assert response.status_code == 401


def test_revoked_key_gets_401(server):
    from thrive_ml.store.keys import KeyStore

    store = AuditStore(server.database_url)
    keys = KeyStore(store)
    name = f"short-lived-{uuid.uuid4().hex[:6]}"
    key = keys.create(name, "triage")
    headers = {"Authorization": f"Bearer {key}"}
    with server.client() as client:
        assert (
            client.post("/v1/triage", json={"text": PLAIN_TEXT}, headers=headers).status_code == 200
        )
        keys.revoke(name)
        assert (
            client.post("/v1/triage", json={"text": PLAIN_TEXT}, headers=headers).status_code == 401
        )
    store.dispose()


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("reviewer", "POST", "/v1/triage"),
        ("triage", "GET", "/v1/reviews"),
        ("triage", "POST", f"/v1/reviews/{'0' * 32}"),
        ("triage", "GET", "/v1/audit"),
        ("reviewer", "GET", "/v1/audit/export"),
        ("reviewer", "POST", "/v1/admin/reload"),
    ],
)
def test_key_without_the_role_gets_403(server, role, method, path):
    with server.client(role) as client:
        response = client.request(
            method, path, json={"text": PLAIN_TEXT, "thrive_group": "thriving"}
        )
    assert response.status_code == 403
    assert role in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "`text` is required"),
        ({"text": ""}, "empty"),
        ({"text": " \n\t "}, "empty"),
        ({"text": 42}, "must be a JSON string"),
        ({"text": ["a", "list"]}, "must be a JSON string"),
        ({"text": "x" * 50_001}, "the limit is 50,000"),
        ({"text": "NUL \x00 inside a referral"}, "NUL"),
        ({"text": PLAIN_TEXT, "colour": "blue"}, "not a field"),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_bad_input_gets_422_with_a_message_a_person_can_act_on(server, body, says):
    with server.client("triage") as client:
        response = client.post("/v1/triage", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert says in detail
    assert "xxxxxxxxxx" not in response.text, "the submitted value is not echoed"


def test_malformed_json_gets_422_naming_the_problem(server):
    with server.client("triage") as client:
        response = client.post(
            "/v1/triage",
            content=b'{"text": "unterminated',
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


def test_oversized_body_is_refused_before_it_is_read(server):
    with server.client("triage") as client:
        response = client.post(
            "/v1/triage",
            content=b'{"text": "' + b"a" * 7_000_000 + b'"}',
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert "50,000 characters" in response.json()["detail"]


def test_batch_triages_good_items_and_reports_bad_ones_in_place(server):
    items = [
        {"text": PLAIN_TEXT, "id": "a"},
        {"text": "   ", "id": "b"},
        {"id": "c"},
        {"text": RISK_TEXT, "id": "d"},
    ]
    with server.client("triage") as client:
        response = client.post("/v1/triage/batch", json={"items": items})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r.get("id") for r in results] == ["a", "b", "c", "d"]
    assert "prediction_id" in results[0]
    assert "prediction_id" in results[3]
    assert "empty" in results[1]["error"]
    assert results[1]["index"] == 1
    assert "required" in results[2]["error"]
    assert results[3]["needs_human_review"] is True


def test_batch_over_100_items_is_refused(server):
    with server.client("triage") as client:
        response = client.post("/v1/triage/batch", json={"items": [{"text": PLAIN_TEXT}] * 101})
    assert response.status_code == 422
    assert "100" in response.json()["detail"]


def test_stored_prediction_is_readable_by_triage_and_reviewer_but_unknown_ids_404(server):
    with server.client("triage") as client:
        pid = client.post("/v1/triage", json={"text": RISK_TEXT}).json()["prediction_id"]
        stored = client.get(f"/v1/predictions/{pid}").json()
        assert client.get(f"/v1/predictions/{'f' * 32}").status_code == 404
    assert stored["text"] == RISK_TEXT
    assert stored["result"]["needs_human_review"] is True
    with server.client("reviewer") as client:
        assert client.get(f"/v1/predictions/{pid}").status_code == 200


def test_review_queue_is_oldest_first_and_a_review_takes_a_case_off_it(server):
    with server.client("triage") as client:
        first = client.post("/v1/triage", json={"text": RISK_TEXT}).json()["prediction_id"]
        second = client.post("/v1/triage", json={"text": RISK_TEXT + " Again."}).json()[
            "prediction_id"
        ]
        client.post("/v1/triage", json={"text": PLAIN_TEXT})
    with server.client("reviewer") as client:
        pending = [r["prediction_id"] for r in client.get("/v1/reviews?limit=1000").json()["items"]]
        assert pending.index(first) < pending.index(second)
        decision = {
            "thrive_group": "getting_risk_support",
            "exclusion_factors": ["risk"],
            "comment": "seen",
        }
        saved = client.post(f"/v1/reviews/{first}", json=decision)
        assert saved.status_code == 201
        assert saved.json()["reviewer"] == "reviewer-test"
        pending = [r["prediction_id"] for r in client.get("/v1/reviews?limit=1000").json()["items"]]
        reviewed = [
            r["prediction_id"]
            for r in client.get("/v1/reviews", params={"state": "reviewed", "limit": 1000}).json()[
                "items"
            ]
        ]
    assert first not in pending
    assert second in pending
    assert first in reviewed


def test_review_queue_filters_by_reason(server):
    with server.client("triage") as client:
        pid = client.post("/v1/triage", json={"text": RISK_TEXT}).json()["prediction_id"]
    with server.client("reviewer") as client:
        items = client.get(
            "/v1/reviews", params={"reason": "risk:self_harm", "limit": 1000}
        ).json()["items"]
        other = client.get(
            "/v1/reviews", params={"reason": "risk:harm_to_others", "limit": 1000}
        ).json()["items"]
    assert pid in {i["prediction_id"] for i in items}
    assert all("risk:self_harm" in i["review_reasons"] for i in items)
    assert pid not in {i["prediction_id"] for i in other}


def test_a_prediction_can_be_reviewed_again_and_every_decision_is_kept(server):
    with server.client("triage") as client:
        pid = client.post("/v1/triage", json={"text": PLAIN_TEXT}).json()["prediction_id"]
    with server.client("reviewer") as client:
        first = client.post(f"/v1/reviews/{pid}", json={"thrive_group": "getting_advice"}).json()
        second = client.post(
            f"/v1/reviews/{pid}",
            json={
                "thrive_group": "getting_help",
                "exclusion_factors": ["timing"],
                "comment": "recheck",
            },
        ).json()
        stored = client.get(f"/v1/predictions/{pid}").json()
    assert [r["seq"] for r in stored["reviews"]] == [first["seq"], second["seq"]]
    assert stored["reviews"][-1]["thrive_group"] == "getting_help"
    assert stored["reviews"][-1]["exclusion_factors"] == ["timing"]


def test_review_with_unknown_label_or_prediction_is_refused_clearly(server):
    with server.client("triage") as client:
        pid = client.post("/v1/triage", json={"text": PLAIN_TEXT}).json()["prediction_id"]
    with server.client("reviewer") as client:
        bad_label = client.post(f"/v1/reviews/{pid}", json={"thrive_group": "getting_better"})
        unknown = client.post(f"/v1/reviews/{'e' * 32}", json={"thrive_group": "thriving"})
    assert bad_label.status_code == 422
    assert "getting_risk_support" in bad_label.json()["detail"]
    assert unknown.status_code == 404


def test_admin_searches_exports_and_verifies_the_audit_trail(server, tmp_path):
    with server.client("triage") as client:
        pid = client.post("/v1/triage", json={"text": RISK_TEXT}).json()["prediction_id"]
    with server.client("reviewer") as client:
        client.post(
            f"/v1/reviews/{pid}",
            json={"thrive_group": "getting_more_help", "exclusion_factors": ["risk", "complexity"]},
        )
    with server.client("admin") as client:
        found = client.get("/v1/audit", params={"review_state": "reviewed", "limit": 1000}).json()
        export = client.get("/v1/audit/export")
        verify = client.get("/v1/audit/verify").json()
    assert pid in {i["prediction_id"] for i in found["items"]}
    assert export.status_code == 200
    path = tmp_path / "reviewed.jsonl"
    path.write_bytes(export.content)
    reviewed = load_labelled_jsonl(path).set_index("id")
    assert reviewed.loc[pid, "thrive_group"] == "getting_more_help"
    assert sorted(reviewed.loc[pid, "exclusion_factors"]) == ["complexity", "risk"]
    assert verify["ok"] is True
    assert verify["records"] > 0


def test_model_health_readiness_and_metrics(server):
    with server.client() as client:
        model = client.get("/v1/model").json()
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    with server.client("triage") as client:
        client.post("/v1/triage", json={"text": RISK_TEXT})
    with server.client() as client:
        metrics = client.get("/metrics").text
    assert model["model_version"] == "1"
    assert model["rules_version"]
    assert "dev.macro_f1" in model["metrics"] or "synthetic_test.macro_f1" in model["metrics"]
    assert ready.status_code == 200
    assert ready.json()["checks"]["audit_store"] == "reachable"
    assert 'thrive_http_requests_total{method="POST",route="/v1/triage",status="200"}' in metrics
    assert "thrive_predictions_routed_total" in metrics
    assert "thrive_pending_reviews" in metrics


def test_admin_reload_keeps_serving_the_champion(server):
    with server.client("admin") as client:
        response = client.post("/v1/admin/reload")
        after = client.post("/v1/triage", json={"text": PLAIN_TEXT})
    assert response.status_code == 200
    assert response.json()["model_version"] == "1"
    assert after.status_code == 200


def test_openapi_documents_every_route_under_v1(server):
    with server.client() as client:
        paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/v1/triage",
        "/v1/triage/batch",
        "/v1/predictions/{prediction_id}",
        "/v1/reviews",
        "/v1/reviews/{prediction_id}",
        "/v1/audit",
        "/v1/model",
        "/v1/admin/reload",
    } <= paths


def test_referral_text_and_keys_never_reach_the_service_output(server):
    canary = f"Canary{uuid.uuid4().hex}"
    with server.client("triage") as client:
        client.post("/v1/triage", json={"text": f"{RISK_TEXT} {canary}"})
        client.post("/v1/triage", json={"text": canary * 3000})  # a 422: still not echoed
        client.post("/v1/triage/batch", json={"items": [{"text": canary}, {"text": 5}]})
    with server.client("admin") as client:
        client.get("/metrics")
    output = "".join(server.output)
    assert '"route": "/v1/triage/batch"' in output, "the request log is being written"
    assert canary not in output
    for key in server.keys.values():
        assert key not in output
    assert all(json.loads(line) for line in server.output if line.startswith("{"))
