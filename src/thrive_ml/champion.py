"""The local champion: a pointer to the cached artifact and a checksummed load, without MLflow.

MLflow's registry stays the source of truth for which version is the champion, but asking it
costs more than a second before any work (importing mlflow alone takes ~1.2 s). So the registry
(`registry.py`, the only MLflow code) leaves a small pointer beside the cached artifacts in the
model cache (`THRIVE_MODEL_DIR`, default `models/`):

    models/champion.json   {"model_name", "version", "sha256", "path", "rules_version",
                            "tracking_uri", "written"}

and loading the champion reads it instead of asking MLflow. The artifact's sha256 is checked
against the pointer (which copied it from the registry's `sha256` tag when the registry
verified the artifact) on every load, and a mismatch is refused with ModelIntegrityError, as
the registry path refuses it.

When the pointer is (re)written, all in `registry.py`:
- `thrive-ml train`, when the new version passes the gates and is promoted;
- `thrive-ml models promote VERSION` (gated or forced);
- `registry.load_champion_triager(refresh=True)`, which asks MLflow for the champion: the HTTP
  service's admin reload calls it so;
- any `registry.load_champion_triager()` that finds no usable pointer (none yet, unreadable, or
  written for another tracking store): it asks MLflow, as before the pointer existed.

A champion moved by other means (the MLflow UI, another machine sharing the store) is seen
after one of these. The pointer is only used for the tracking store it was written for.
This module must not import mlflow (tests/test_registry.py checks it in a fresh process).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from thrive_ml.config import get_settings
from thrive_ml.errors import ModelIntegrityError, NoChampionError

if TYPE_CHECKING:
    from thrive_ml.model.estimator import ReferralClassifier
    from thrive_ml.triage import Triager

log = logging.getLogger(__name__)

MODEL_NAME = "thrive-referral-classifier"
# The fitted model, pickled (protocol 5). Versions registered before this are joblib files:
# joblib's pure-Python unpickler took ~0.3 s to read the vocabularies, the C one ~0.03 s.
MODEL_FILE = "referral_model.pkl"
LEGACY_MODEL_FILE = "referral_model.joblib"
MODEL_FILES = (MODEL_FILE, LEGACY_MODEL_FILE)
POINTER_FILE = "champion.json"


@dataclass(frozen=True)
class ChampionPointer:
    """What the registry last verified as the champion, and where its artifact is cached."""

    model_name: str
    version: str
    sha256: str
    path: str  # relative to the model cache directory, e.g. "v3/referral_model.pkl"
    rules_version: str
    tracking_uri: str
    written: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_key(uri: str) -> str:
    """A tracking URI in a form that names one store: relative SQLite paths made absolute."""
    prefix = "sqlite:///"
    if uri.startswith(prefix):
        return prefix + str(Path(uri[len(prefix) :]).resolve())
    return uri


def pointer_path() -> Path:
    return Path(get_settings().model_cache_dir) / POINTER_FILE


def version_dir(version: str) -> Path:
    """Where one version's artifact is cached."""
    return Path(get_settings().model_cache_dir) / f"v{version}"


def read_pointer() -> ChampionPointer | None:
    """The pointer if there is a usable one for the current tracking store, else None.

    An unreadable pointer is treated as absent (the registry then asks MLflow and rewrites it)
    and logged, never trusted."""
    path = pointer_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        pointer = ChampionPointer(**{f.name: str(raw[f.name]) for f in fields(ChampionPointer)})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring unreadable champion pointer %s (%s)", path, type(exc).__name__)
        return None
    if pointer.model_name != MODEL_NAME:
        return None
    if pointer.tracking_uri != store_key(get_settings().mlflow_tracking_uri):
        return None
    cache = Path(get_settings().model_cache_dir).resolve()
    if not (cache / pointer.path).resolve().is_relative_to(cache):
        log.warning("ignoring champion pointer %s: its path leaves the model cache", path)
        return None
    return pointer


def write_pointer(version: str, sha256: str, model_path: Path, rules_version: str) -> Path:
    """Point at a verified artifact of the champion (atomic: never a half-written file)."""
    cache = Path(get_settings().model_cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    pointer = ChampionPointer(
        model_name=MODEL_NAME,
        version=str(version),
        sha256=sha256,
        path=model_path.resolve().relative_to(cache.resolve()).as_posix(),
        rules_version=rules_version,
        tracking_uri=store_key(get_settings().mlflow_tracking_uri),
        written=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    fd, tmp = tempfile.mkstemp(dir=cache, prefix=".champion-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(pointer), handle, indent=2)
        Path(tmp).chmod(0o644)  # mkstemp makes it private; the artifacts beside it are not
        Path(tmp).replace(cache / POINTER_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return cache / POINTER_FILE


def clear_pointer() -> None:
    """Forget the pointer (before the champion moves, so a stale one is never served)."""
    pointer_path().unlink(missing_ok=True)


def dump_model(model: object, path: Path) -> None:
    """Write a fitted model as the registry stores it (see MODEL_FILE)."""
    with path.open("wb") as handle:
        pickle.dump(model, handle, protocol=5)


def read_verified_model(model_path: Path, expected_sha256: str, version: str) -> ReferralClassifier:
    """Read an artifact's bytes once, check them against the registry's checksum, then unpickle
    those same bytes (pickle, or joblib for versions registered before MODEL_FILE changed)."""
    if not model_path.is_file():
        raise NoChampionError(
            f"model version {version} is not cached at {model_path}; load it through the "
            f"registry (`thrive-ml models promote {version}`, or reload with refresh)"
        )
    data = model_path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise ModelIntegrityError(
            f"model version {version} at {model_path} has checksum {actual[:12]}..., registry "
            f"records {expected_sha256[:12]}...; delete {model_path.parent} and retry, or "
            "re-register"
        )
    if model_path.name == LEGACY_MODEL_FILE:
        import joblib  # lazy: only versions registered before the switch need it

        return joblib.load(io.BytesIO(data))
    return pickle.loads(data)  # noqa: S301 - the bytes match the registry's checksum


def load_verified(model_path: Path, expected_sha256: str, version: str, explain: bool) -> Triager:
    """A Triager over a cached artifact whose checksum matches the registry's."""
    from thrive_ml.triage import Triager

    model = read_verified_model(model_path, expected_sha256, version)
    return Triager(model, version, explain=explain)


def load_local_champion(explain: bool = True) -> Triager:
    """The champion the registry last verified, from the local cache, without MLflow.

    Raises NoChampionError when there is no usable pointer (see the module docstring for when
    it is written) and ModelIntegrityError when the cached bytes do not match."""
    pointer = read_pointer()
    if pointer is None:
        raise NoChampionError(
            f"no champion pointer for {get_settings().mlflow_tracking_uri} at {pointer_path()}; "
            "run `make model`, or load through the registry to write one"
        )
    return load_pointer(pointer, explain)


def load_pointer(pointer: ChampionPointer, explain: bool = True) -> Triager:
    model_path = Path(get_settings().model_cache_dir) / pointer.path
    return load_verified(model_path, pointer.sha256, pointer.version, explain)
