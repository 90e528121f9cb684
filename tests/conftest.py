"""Shared fixtures. Paths to the team's shared folder are resolved relative to the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def small_data(tmp_path_factory) -> Path:
    """A small generated training set, shared by model, triage and registry tests."""
    from thrive_ml.synthetic.generate import write_csv

    path = tmp_path_factory.mktemp("data") / "referrals.csv"
    write_csv(path, 1500, seed=11)
    return path


@pytest.fixture(scope="session")
def small_model(small_data: Path):
    """A real model trained once per session on small data (features kept small for speed)."""
    from thrive_ml.datasets import load_generated
    from thrive_ml.model.estimator import ReferralClassifier
    from thrive_ml.synthetic.nonreferrals import make_non_referrals

    df = load_generated(small_data)
    return ReferralClassifier(max_word_features=8000, max_char_features=8000, n_jobs=1).fit(
        df["text"].tolist(),
        df["thrive_group"].tolist(),
        factors=df["exclusion_factors"].tolist(),
        non_referrals=make_non_referrals(300, 0),
    )


@pytest.fixture(scope="session")
def triager(small_model):
    from thrive_ml.triage import Triager

    return Triager(small_model, "test")
