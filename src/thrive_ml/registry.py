"""MLflow: the only module that imports it. Train, log, register, gate, promote, load.

A run logs params, metrics, figures, the data card, a generated model card, the training data
as a dataset input, and the model as a pyfunc that returns the FULL triage result (model +
safety rules), so `mlflow models serve` answers exactly as the CLI does. Promotion to the
`champion` alias is gated on safety recall and on not falling behind the current champion.
Loading verifies the artifact's checksum. No referral text reaches params, tags or logs.

Loading the champion does not need MLflow once it has been verified here: promotion and every
verified load leave a pointer in the model cache (see `thrive_ml.champion`), and
`load_champion_triager()` reads it; `load_champion_triager(refresh=True)` asks MLflow again.
Heavy imports (mlflow, pandas, training code) happen inside the functions that need them, so
`import thrive_ml.registry` stays cheap for the serving path.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thrive_ml import __version__, champion
from thrive_ml.champion import MODEL_FILE, MODEL_FILES, MODEL_NAME, sha256_file
from thrive_ml.config import get_settings
from thrive_ml.errors import (
    InputFormatError,
    ModelIntegrityError,
    NoChampionError,
    PromotionRefusedError,
    RegistryError,
)
from thrive_ml.safety import rules_version
from thrive_ml.triage import Triager

if TYPE_CHECKING:
    import pandas as pd

    from thrive_ml.model.estimator import ReferralClassifier
    from thrive_ml.model.train import SetScores, TrainingOutcome, TrainParams

log = logging.getLogger(__name__)

__all__ = [
    "CHAMPION",
    "MODEL_FILE",
    "MODEL_NAME",
    "RegisterOutcome",
    "VersionInfo",
    "champion_version",
    "check_gates",
    "list_versions",
    "load_champion_triager",
    "load_version_triager",
    "promote",
    "sha256_file",
    "train_and_register",
    "version_headline",
]

EXPERIMENT = "thrive-ml"
CHAMPION = "champion"
META_FILE = "model_meta.json"
# Gates (issue: promotion): every must-route safety item routes; dev macro-F1 may not fall more
# than this below the current champion's.
SAFETY_RECALL_REQUIRED = 1.0
MAX_DEV_F1_DROP = 0.02

Progress = Callable[[str], None]


def _mlflow():
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow

    # MLflow sets its own loggers to INFO on import; users of thrive-ml need only warnings.
    for name in ("mlflow", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)

    mlflow.set_tracking_uri(get_settings().mlflow_tracking_uri)
    return mlflow


def _client():
    from mlflow import MlflowClient

    _mlflow()
    return MlflowClient()


def _not_found() -> type[Exception]:
    """MLflow reports a missing version or alias as MlflowException (RESOURCE_DOES_NOT_EXIST)."""
    from mlflow.exceptions import MlflowException

    return MlflowException


# ---------------------------------------------------------------------------- pyfunc


def _pyfunc_class() -> type:
    import mlflow.pyfunc
    import pandas as pd

    class TriagePyfunc(mlflow.pyfunc.PythonModel):
        """Full triage result (model + safety rules) for each row's `text`."""

        def load_context(self, context: Any) -> None:
            meta = json.loads(Path(context.artifacts["meta"]).read_text())
            self.triager = champion.load_verified(
                Path(context.artifacts["model"]), meta["sha256"], meta["model_version"], True
            )

        def predict(
            self, context: Any, model_input: pd.DataFrame, params: Any = None
        ) -> pd.DataFrame:
            if isinstance(model_input, pd.Series):
                model_input = model_input.to_frame("text")
            texts = model_input["text"].astype(str).tolist()
            ids = model_input["id"].tolist() if "id" in model_input.columns else None
            results = self.triager.triage_many(texts, ids)
            rows = [json.loads(r.model_dump_json()) for r in results]
            return pd.DataFrame(
                {
                    "id": [r["id"] for r in rows],
                    "thrive_group": [r["thrive_group"] for r in rows],
                    "needs_human_review": [r["needs_human_review"] for r in rows],
                    "result": [json.dumps(r) for r in rows],
                }
            )

    return TriagePyfunc


# ---------------------------------------------------------------------------- training


@dataclass
class RegisterOutcome:
    version: str
    run_id: str
    promoted: bool
    gate_messages: list[str]
    headline: dict[str, float]


def _eval_sets(progress: Progress | None) -> dict[str, pd.DataFrame]:
    from thrive_ml.datasets import load_labelled_jsonl

    settings = get_settings()
    sets: dict[str, pd.DataFrame] = {}
    if settings.dev_set.is_file():
        sets["dev"] = load_labelled_jsonl(settings.dev_set)
    elif progress:
        progress(f"no dev set at {settings.dev_set}; dev figures and the F1 gate are skipped")
    for path in sorted(Path(settings.validation_dir).glob("*.jsonl")):
        sets[f"validation_{path.stem}"] = load_labelled_jsonl(path)
    return sets


def _safety_set() -> pd.DataFrame | None:
    from thrive_ml.datasets import load_labelled_jsonl

    path = get_settings().safety_dev_set
    return load_labelled_jsonl(path) if path.is_file() else None


def _held_out_snippets() -> dict[str, pd.DataFrame]:
    """Blind risk snippets no rule or reader was built from, one frame per set (scored only)."""
    from thrive_ml.datasets import load_risk_snippets

    rows = load_risk_snippets(get_settings().risk_heldout_dirs)
    return {f"heldout.{name}": df for name, df in rows.groupby("set", sort=True)}


def _route_rates(prefix: str, routed: list[bool], expected: list[bool]) -> dict[str, float]:
    """Route recall on items that must route, false-route rate on those that must not."""
    yes = [r for r, e in zip(routed, expected, strict=True) if e]
    no = [r for r, e in zip(routed, expected, strict=True) if not e]
    return {
        f"{prefix}.route_recall": sum(yes) / max(1, len(yes)),
        f"{prefix}.false_route_rate": sum(no) / max(1, len(no)),
    }


def _metrics_for(prefix: str, s: SetScores) -> dict[str, float]:
    m = {
        f"{prefix}.macro_f1": s.groups.macro_f1,
        f"{prefix}.accuracy": s.groups.accuracy,
        f"{prefix}.exclusion_micro_f1": s.factors.micro_f1,
    }
    for g, v in s.groups.per_group.items():
        m[f"{prefix}.f1.{g}"] = v["f1"]
    for f, v in s.factors.per_factor_f1.items():
        m[f"{prefix}.factor_f1.{f}"] = v
    if s.groups.ece is not None:
        m[f"{prefix}.ece"] = s.groups.ece
        m[f"{prefix}.brier"] = s.groups.brier or 0.0
    if s.review is not None:
        if s.review.recall is not None:
            m[f"{prefix}.review_recall"] = s.review.recall
        if s.review.false_review_rate is not None:
            m[f"{prefix}.false_review_rate"] = s.review.false_review_rate
    for v, f1 in s.by_voice.items():
        m[f"{prefix}.voice_f1.{v}"] = f1
    return m


def _figures(outcome: TrainingOutcome, scored: dict[str, SetScores], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from thrive_ml.model.estimator import GROUPS
    from thrive_ml.model.evaluate import reliability_curve

    paths = []
    for name, s in [("synthetic_test", outcome.synthetic_test), *scored.items()]:
        fig, ax = plt.subplots(figsize=(6, 5))
        cm = s.groups.confusion
        ax.imshow(cm, cmap="Blues")
        ax.set_xticks(range(len(GROUPS)), [g.replace("getting_", "") for g in GROUPS], rotation=45)
        ax.set_yticks(range(len(GROUPS)), [g.replace("getting_", "") for g in GROUPS])
        for i, row in enumerate(cm):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center")
        ax.set_xlabel("suggested")
        ax.set_ylabel("gold")
        ax.set_title(f"THRIVE confusion: {name}")
        fig.tight_layout()
        path = out_dir / f"confusion_{name}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    mids, accs, _counts = reliability_curve(
        outcome.synthetic_test_gold, outcome.synthetic_test_proba
    )
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot(mids, accs, "o-", label="synthetic test split")
    ax.set_xlabel("confidence of the suggested group")
    ax.set_ylabel("share correct")
    ax.set_title("Reliability (calibration)")
    ax.legend()
    fig.tight_layout()
    path = out_dir / "reliability.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    paths.append(path)
    return paths


def model_card(
    version: str, params: TrainParams, metrics: dict[str, float], outcome: TrainingOutcome
) -> str:
    def fmt(key: str) -> str:
        return f"{metrics[key]:.3f}" if key in metrics else "n/a"

    rows = []
    others = {k.split(".")[0] for k in metrics} - {
        "synthetic_test",
        "safety_dev",
        "lovo",
        "train",
        "risk_reader",
        "heldout",
    }
    for name in ["synthetic_test", *sorted(others)]:
        rows.append(
            f"| {name} | {fmt(name + '.macro_f1')} | {fmt(name + '.exclusion_micro_f1')} | "
            f"{fmt(name + '.review_recall')} | {fmt(name + '.false_review_rate')} |"
        )
    lovo = ", ".join(f"{v} {s:.2f}" for v, s in outcome.lovo.items()) or "not run"
    held = sorted({k.rsplit(".", 1)[0] for k in metrics if k.startswith("heldout.")})
    held_rows = "\n".join(
        f"| {name.removeprefix('heldout.')} | {fmt(name + '.route_recall')} | "
        f"{fmt(name + '.false_route_rate')} |"
        for name in held
    )
    reader = (
        f"""A learned second reader (model/risk_reader.py) scores each sentence the safety rules
found nothing in; one that reads like risk adds the review reason `model:possible_risk`. It
never removes a reason or reads a sentence the rules judged. Threshold
{fmt("risk_reader.threshold")}, chosen by grouped cross-validation on the blind snippet sets
(risk recall {fmt("risk_reader.cv_risk_recall")} at a harmless rate of
{fmt("risk_reader.cv_false_rate")}, reader alone).

Blind snippet sets no rule or reader was built from (full triage routing):

| set | risk recall | false-route rate |
| --- | --- | --- |
{held_rows}
"""
        if "risk_reader.threshold" in metrics
        else "No second reader was trained for this version.\n"
    )
    return f"""# Model card: {MODEL_NAME} version {version}

**A suggestion is never a decision.** This model suggests a THRIVE needs-based grouping and
exclusion factors for a referral to a children and young people's emotional wellbeing service.
Triage staff decide. Hard-coded safety rules (rules_version {rules_version()}) send every
referral that mentions a risk to this child to a person, whatever the model says.

## Intended use
Help trained triage staff read free-text referrals faster and more consistently: a suggested
group with calibrated probabilities, suggested exclusion factors, the words that drove the
suggestion, and risk mentions with their context.

## Not for use
- Deciding care, eligibility or risk without a person reading the referral.
- Crisis detection: the safety rules route risk to review; they are not a crisis service.
- Adults' services, other languages, or services whose criteria differ from the seed criteria.

## Training data
Synthetic referrals only (no real patient data), from thrive-ml's generator: {outcome.n_train}
training rows{f" plus {outcome.n_feedback} reviewer-confirmed feedback rows" if outcome.n_feedback else ""}.
See the data card (logged beside this file).

## Evaluation
| set | THRIVE macro-F1 | exclusion micro-F1 | review recall | false-review rate |
| --- | --- | --- | --- | --- |
{chr(10).join(rows)}

`dev` is the team's hand-written set (never trained or tuned on) and is the headline;
`validation_*` are hand-written sets written independently of the generator; the synthetic
test split flatters the model. Leave-one-voice-out macro-F1 (lighter model): {lovo}.
Safety set route recall: {fmt("safety_dev.route_recall")}, false-route rate:
{fmt("safety_dev.false_route_rate")}.

## Second reader for risk
{reader}
## Known limitations
- Trained on synthetic text: real referrals use phrasing the generator never produced.
- The safety rules find risk by vocabulary; the second reader catches some new wording, not
  all, and sends some ordinary worries to a person too.
- Hand-written evaluation sets are small; one referral moves a per-group F1 a lot.
- Borderline cases between neighbouring groups are common and genuinely ambiguous.
- English (UK) only.

Parameters: {json.dumps(asdict(params))}. thrive-ml {__version__}.
"""


def train_and_register(
    data_path: Path,
    params: TrainParams | None = None,
    feedback_path: Path | None = None,
    progress: Progress | None = None,
) -> RegisterOutcome:
    """Train, evaluate, log a run, register a new version and promote it if the gates pass."""
    mlflow = _mlflow()
    import pandas as pd
    from mlflow.data import from_pandas
    from mlflow.models import ModelSignature, infer_signature
    from mlflow.types.schema import ColSpec, Schema

    from thrive_ml.datasets import load_generated, load_labelled_jsonl, load_reader_snippets
    from thrive_ml.model.train import TrainParams, score_set, train_and_evaluate

    params = params or TrainParams()
    data = load_generated(data_path)
    settings = get_settings()
    snippets = load_reader_snippets(settings.risk_blind_dirs, settings.risk_training_dirs)
    feedback = None
    if feedback_path is not None:
        feedback = load_labelled_jsonl(feedback_path)

    def triage_fn(model: ReferralClassifier, texts: list[str]) -> list[Any]:
        return Triager(model, "candidate", explain=False).triage_many(texts)

    start = time.perf_counter()
    outcome = train_and_evaluate(data, params, triage_fn, feedback, progress, snippets)
    train_seconds = time.perf_counter() - start

    metrics: dict[str, float] = {
        "train.seconds": train_seconds,
        "train.rows": float(outcome.n_train),
    }
    reader = getattr(outcome.model, "risk_reader_", None)
    if reader is not None:
        metrics |= {f"risk_reader.{k}": v for k, v in reader.cv_.items()}
        metrics["risk_reader.snippets"] = float(len(snippets))
    metrics |= _metrics_for("synthetic_test", outcome.synthetic_test)
    for v, s in outcome.lovo.items():
        metrics[f"lovo.macro_f1.{v}"] = s
    if outcome.lovo:
        metrics["lovo.macro_f1.mean"] = sum(outcome.lovo.values()) / len(outcome.lovo)
    for band, s in outcome.by_age_band.items():
        metrics[f"synthetic_test.age_f1.{band}"] = s

    scored: dict[str, SetScores] = {}
    triager = Triager(outcome.model, "candidate", explain=False)
    for name, df in _eval_sets(progress).items():
        if progress:
            progress(f"scoring {name} ({len(df)} hand-written referrals)")
        scored[name] = score_set(
            name, df, triager.triage_many(df["text"].tolist(), df["id"].tolist())
        )
        metrics |= _metrics_for(name, scored[name])
    safety = _safety_set()
    if safety is not None:
        safety = safety[safety["route"].isin(["yes", "no"])]
        routed = [r.needs_human_review for r in triager.triage_many(safety["text"].tolist())]
        metrics |= _route_rates("safety_dev", routed, (safety["route"] == "yes").tolist())
    for name, held in _held_out_snippets().items():
        routed = [r.needs_human_review for r in triager.triage_many(held["text"].tolist())]
        metrics |= _route_rates(name, routed, held["routes"].tolist())

    client = _client()
    mlflow.set_experiment(EXPERIMENT)
    next_version = str(
        1
        + max(
            (int(v.version) for v in client.search_model_versions(f"name='{MODEL_NAME}'")),
            default=0,
        )
    )
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        mlflow.log_params(
            {**asdict(params), "rules_version": rules_version(), "thrive_ml": __version__}
        )
        mlflow.log_metrics(metrics)
        dataset = from_pandas(
            data[["id", "voice", "thrive_group", "age"]].assign(
                exclusion_factors=data["exclusion_factors"].map(",".join)
            ),
            source=str(data_path),
            name="synthetic-referrals",
            targets="thrive_group",
        )
        mlflow.log_input(dataset, context="training")
        if feedback is not None and not feedback.empty:
            fb = from_pandas(
                feedback[["id", "thrive_group"]],
                source=str(feedback_path),
                name="reviewer-feedback",
            )
            mlflow.log_input(fb, context="feedback")
        for path in _figures(outcome, scored, tmpdir):
            mlflow.log_artifact(str(path), artifact_path="figures")
        card = Path("data/synthetic/README.md")
        if card.is_file():
            mlflow.log_artifact(str(card), artifact_path="cards")
        model_path = tmpdir / MODEL_FILE
        champion.dump_model(outcome.model, model_path)
        checksum = sha256_file(model_path)
        meta_path = tmpdir / META_FILE
        meta_path.write_text(
            json.dumps(
                {
                    "model_version": next_version,
                    "sha256": checksum,
                    "rules_version": rules_version(),
                    "dev_macro_f1": metrics.get("dev.macro_f1"),
                    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            )
        )
        card_path = tmpdir / "model_card.md"
        card_path.write_text(model_card(next_version, params, metrics, outcome))
        mlflow.log_artifact(str(card_path), artifact_path="cards")
        example = pd.DataFrame(
            {
                "id": ["example-1"],
                "text": ["Year 9 girl, low mood for three months, still attending school."],
            }
        )
        pyfunc = _pyfunc_class()()
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=pyfunc,
            artifacts={"model": str(model_path), "meta": str(meta_path)},
            code_paths=[str(Path(__file__).resolve().parent)],
            signature=ModelSignature(
                # `id` is optional, as in the CLI and the API: a caller may send text alone.
                inputs=Schema([ColSpec("string", "id", required=False), ColSpec("string", "text")]),
                outputs=infer_signature(
                    example,
                    pd.DataFrame(
                        {
                            "id": ["x"],
                            "thrive_group": ["x"],
                            "needs_human_review": [True],
                            "result": ["{}"],
                        }
                    ),
                ).outputs,
            ),
            input_example=example,
            pip_requirements=[
                "scikit-learn",
                "pandas",
                "numpy",
                "pydantic",
                "pyyaml",
                "rapidfuzz",
                "joblib",  # versions registered before MODEL_FILE became a plain pickle
            ],
        )
        mv = mlflow.register_model(info.model_uri, MODEL_NAME)
        run_id = run.info.run_id
    version = str(mv.version)
    client.set_model_version_tag(MODEL_NAME, version, "sha256", checksum)
    client.set_model_version_tag(MODEL_NAME, version, "rules_version", rules_version())
    for key in ("dev.macro_f1", "safety_dev.route_recall", "dev.exclusion_micro_f1"):
        if key in metrics:
            client.set_model_version_tag(MODEL_NAME, version, key, f"{metrics[key]:.4f}")
    if version != next_version:
        log.warning("registered version %s differs from the expected %s", version, next_version)
    try:
        messages = check_gates(version)
        _set_champion(version)
        promoted = True
    except PromotionRefusedError as exc:
        messages, promoted = [str(exc)], False
    headline_keys = (".macro_f1", ".exclusion_micro_f1", ".review_recall", ".false_review_rate")
    headline = {
        k: v
        for k, v in metrics.items()
        if (k.startswith(("dev.", "validation_")) and k.endswith(headline_keys))
        or k.startswith(
            ("safety_dev.", "lovo.macro_f1.mean", "synthetic_test.macro_f1", "train.seconds")
        )
    }
    return RegisterOutcome(version, run_id, promoted, messages, headline)


# ---------------------------------------------------------------------------- gates & aliases


def _version_metric(version: str, key: str) -> float | None:
    client = _client()
    mv = client.get_model_version(MODEL_NAME, version)
    raw = mv.tags.get(key)
    return float(raw) if raw is not None else None


def version_headline(version: str) -> dict[str, float]:
    """The gate and headline figures recorded on a version (its numeric tags), for display."""
    out: dict[str, float] = {}
    for key, raw in _client().get_model_version(MODEL_NAME, str(version)).tags.items():
        if key == "sha256":  # hex that can look like a number
            continue
        try:
            out[key] = float(raw)
        except ValueError:
            continue
    return out


def champion_version() -> str | None:
    client = _client()
    try:
        return str(client.get_model_version_by_alias(MODEL_NAME, CHAMPION).version)
    except _not_found():
        return None


def check_gates(version: str) -> list[str]:
    """Raise PromotionRefusedError naming the failed gate; return what passed, in words."""
    recall = _version_metric(version, "safety_dev.route_recall")
    messages = []
    if recall is not None:
        if recall < SAFETY_RECALL_REQUIRED:
            raise PromotionRefusedError(
                f"version {version}: safety route recall {recall:.3f} < {SAFETY_RECALL_REQUIRED:.2f} "
                "on shared/eval/safety_dev.jsonl; fix the rules, or `models promote --force --reason`"
            )
        messages.append(f"safety route recall {recall:.3f} (required {SAFETY_RECALL_REQUIRED:.2f})")
    current = champion_version()
    f1 = _version_metric(version, "dev.macro_f1")
    if current is not None and current != version and f1 is not None:
        champ = _version_metric(current, "dev.macro_f1")
        if champ is not None and f1 < champ - MAX_DEV_F1_DROP:
            raise PromotionRefusedError(
                f"version {version}: dev macro-F1 {f1:.3f} is more than {MAX_DEV_F1_DROP} below "
                f"champion version {current} ({champ:.3f}); keep the champion or force with a reason"
            )
        if champ is not None:
            messages.append(f"dev macro-F1 {f1:.3f} vs champion {champ:.3f}")
    return messages


def _set_champion(version: str) -> None:
    """Move the alias, then point the local model cache at the new champion.

    The old pointer goes first, so a failure in between leaves no pointer (the next load asks
    MLflow) rather than a stale one."""
    champion.clear_pointer()
    _client().set_registered_model_alias(MODEL_NAME, CHAMPION, version)
    try:
        model_path, expected, rules = _cached_artifact(version)
        actual = sha256_file(model_path)
        if actual != expected:
            raise ModelIntegrityError(
                f"model version {version} at {model_path} has checksum {actual[:12]}..., "
                f"registry records {expected[:12]}...; delete {model_path.parent} and retry"
            )
        champion.write_pointer(version, expected, model_path, rules)
    except (OSError, RegistryError) as exc:
        log.warning(
            "version %s is the champion but is not cached locally (%s); the next load asks MLflow",
            version,
            exc,
        )


def promote(version: str, force: bool = False, reason: str | None = None) -> list[str]:
    """Move `champion` to a version. Gates apply unless forced; forcing needs a reason, kept."""
    client = _client()
    try:
        client.get_model_version(MODEL_NAME, str(version))
    except _not_found():
        raise RegistryError(
            f"no version {version} of {MODEL_NAME}; see `thrive-ml models list`"
        ) from None
    if force:
        if not reason or not reason.strip():
            raise InputFormatError("--force needs --reason '...': why the gates may be skipped")
        client.set_model_version_tag(
            MODEL_NAME, str(version), "forced_promotion_reason", reason.strip()
        )
        _set_champion(str(version))
        return [f"forced: {reason.strip()}"]
    messages = check_gates(str(version))
    _set_champion(str(version))
    return messages


@dataclass
class VersionInfo:
    version: str
    champion: bool
    created: str
    dev_macro_f1: str
    safety_recall: str
    rules_version: str


def list_versions() -> list[VersionInfo]:
    client = _client()
    champ = champion_version()
    out = []
    for mv in sorted(
        client.search_model_versions(f"name='{MODEL_NAME}'"), key=lambda m: int(m.version)
    ):
        out.append(
            VersionInfo(
                version=str(mv.version),
                champion=str(mv.version) == champ,
                created=time.strftime("%Y-%m-%d %H:%M", time.gmtime(mv.creation_timestamp / 1000)),
                dev_macro_f1=mv.tags.get("dev.macro_f1", "-"),
                safety_recall=mv.tags.get("safety_dev.route_recall", "-"),
                rules_version=mv.tags.get("rules_version", "-"),
            )
        )
    return out


# ---------------------------------------------------------------------------- loading


def load_champion_triager(explain: bool = True, refresh: bool = False) -> Triager:
    """The serving model, its artifact's checksum verified on every load.

    Without `refresh`, the pointer that promotion and the last verified load left in the model
    cache is used when it is there and for this tracking store: MLflow is not imported, which
    is most of a cold start. With `refresh=True` (the HTTP service's admin reload), or when
    there is no usable pointer, MLflow is asked which version is the champion; its artifact is
    downloaded into the cache if missing, verified, loaded, and the pointer rewritten.
    """
    if not refresh:
        pointer = champion.read_pointer()
        if pointer is not None:
            return champion.load_pointer(pointer, explain)
    version = champion_version()
    uri = get_settings().mlflow_tracking_uri
    if version is None:
        if champion.read_pointer() is not None:  # this store's champion is gone: forget it
            champion.clear_pointer()
        raise NoChampionError(f"no '{CHAMPION}' alias for {MODEL_NAME} at {uri}; run `make model`")
    model_path, expected, rules = _cached_artifact(version)
    triager = champion.load_verified(model_path, expected, version, explain)
    champion.write_pointer(version, expected, model_path, rules)
    return triager


def load_version_triager(version: str, explain: bool = True) -> Triager:
    """Any registered version, downloaded into the model cache if needed, checksum verified."""
    model_path, expected, _ = _cached_artifact(version)
    return champion.load_verified(model_path, expected, version, explain)


def _cached_artifact(version: str) -> tuple[Path, str, str]:
    """(cached artifact path, registry sha256, rules_version) for a version; downloads the
    artifact into the model cache when it is not there. The bytes are not checked here."""
    client = _client()
    mv = client.get_model_version(MODEL_NAME, version)
    expected = mv.tags.get("sha256")
    if expected is None:
        raise ModelIntegrityError(
            f"model version {version} has no sha256 tag, so its artifact cannot be verified; "
            "re-register it with `thrive-ml train`"
        )
    cache = champion.version_dir(version)
    cached = [cache / name for name in MODEL_FILES if (cache / name).is_file()]
    if cached:
        return cached[0], expected, mv.tags.get("rules_version", "-")
    mlflow = _mlflow()
    tmp = Path(tempfile.mkdtemp())
    try:
        local = Path(
            mlflow.artifacts.download_artifacts(
                artifact_uri=f"models:/{MODEL_NAME}/{version}", dst_path=str(tmp)
            )
        )
        found = {p.name: p for p in local.rglob("*") if p.name in (*MODEL_FILES, META_FILE)}
        names = [name for name in MODEL_FILES if name in found]
        if not names:
            raise ModelIntegrityError(f"version {version} has no {MODEL_FILE}; re-register it")
        cache.mkdir(parents=True, exist_ok=True)
        model_path = cache / names[0]
        shutil.copy2(found[names[0]], model_path)
        if META_FILE in found:
            shutil.copy2(found[META_FILE], cache / META_FILE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return model_path, expected, mv.tags.get("rules_version", "-")
