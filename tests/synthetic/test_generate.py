"""The generator as users meet it: the CLI, its files, and what the text may never contain."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from thrive_ml.synthetic.cases import Scenario, sample_case
from thrive_ml.synthetic.generate import iter_referrals, make_referral
from thrive_ml.synthetic.labelling import label_case
from thrive_ml.synthetic.render import case_facts
from thrive_ml.synthetic.voices import MODULES, render
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup, Voice

CLI = [sys.executable, "-m", "thrive_ml"]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def sample_rows() -> list:
    return list(iter_referrals(3000, seed=3))


def test_same_n_and_seed_give_byte_identical_files(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run_cli("generate", "--n", "150", "--seed", "9", "--out", str(a)).returncode == 0
    assert run_cli("generate", "--n", "150", "--seed", "9", "--out", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_different_seed_gives_different_data(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    run_cli("generate", "--n", "50", "--seed", "1", "--out", str(a))
    run_cli("generate", "--n", "50", "--seed", "2", "--out", str(b))
    assert a.read_bytes() != b.read_bytes()


def test_first_rows_do_not_depend_on_n():
    short = [r.text for r in iter_referrals(20, seed=4)]
    long = [r.text for r in iter_referrals(60, seed=4)]
    assert long[:20] == short


def test_csv_has_the_documented_columns_and_parseable_labels(tmp_path: Path):
    out = tmp_path / "r.csv"
    run_cli("generate", "--n", "40", "--seed", "1", "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40
    for col in (
        "id",
        "text",
        "voice",
        "thrive_group",
        "thrive_alt",
        "exclusion_factors",
        "risk_indicators",
        "case_json",
    ):
        assert col in rows[0]
    for row in rows:
        assert ThriveGroup(row["thrive_group"])
        assert all(ExclusionFactor(f) for f in json.loads(row["exclusion_factors"]))
        assert json.loads(row["case_json"])["age"] == int(row["age"])


@pytest.mark.parametrize("n", ["0", "-5"])
def test_non_positive_n_is_a_one_line_error(tmp_path: Path, n: str):
    out = tmp_path / "x.csv"
    result = run_cli("generate", "--n", n, "--seed", "1", "--out", str(out))
    assert result.returncode == 2
    assert "--n must be a positive whole number" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_unwritable_path_is_a_one_line_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_cli("generate", "--n", "5", "--seed", "1", "--out", str(blocker / "x.csv"))
    assert result.returncode == 2
    assert "choose a writable --out path" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_directory_as_out_path_is_refused(tmp_path: Path):
    result = run_cli("generate", "--n", "5", "--seed", "1", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "is a directory" in result.stderr


LABEL_WORDS = re.compile(
    r"thriving|getting[ _]advice|getting[ _]help|getting[ _]more[ _]help|getting[ _]risk[ _]support|"
    r"presenting[ _]need|complexity|relevance|"
    + "|".join(f.value for f in ExclusionFactor if "_" in f.value),
    re.IGNORECASE,
)


def test_no_label_name_leaks_into_text(sample_rows):
    leaks = [r.id for r in sample_rows if LABEL_WORDS.search(r.text)]
    assert leaks == []


def test_no_unfilled_placeholder_reaches_text(sample_rows):
    assert [r.id for r in sample_rows if re.search(r"\{[a-zA-Z]+\}", r.text)] == []


def test_every_group_and_factor_is_well_represented(sample_rows):
    n = len(sample_rows)
    groups = Counter(r.thrive_group for r in sample_rows)
    factors = Counter(f for r in sample_rows for f in r.exclusion_factors)
    for g in ThriveGroup:
        assert groups[g.value] / n >= 0.08, g
    for f in ExclusionFactor:
        assert factors[f.value] / n >= 0.04, f


def test_every_voice_appears_and_lengths_vary(sample_rows):
    voices = Counter(r.voice for r in sample_rows)
    assert set(voices) == set(Voice)
    words = sorted(len(r.text.split()) for r in sample_rows)
    assert words[0] <= 25, "some referrals are one-liners"
    assert words[-1] >= 250, "some referrals are long letters"


@pytest.mark.parametrize("voice", list(Voice))
@pytest.mark.parametrize("scenario", list(Scenario))
def test_every_voice_can_render_every_kind_of_case(voice: Voice, scenario: Scenario):
    lo, hi = MODULES[voice].AGES
    rng = np.random.default_rng(abs(hash((voice.value, scenario.value))) % 2**32)
    made = 0
    for _ in range(20000):
        case = sample_case(rng)
        if case.scenario is not scenario or not lo <= case.age <= hi:
            continue
        text = render(voice, case, case_facts(case, rng), rng)
        assert len(text) > 20
        assert not re.search(r"\{[a-zA-Z]+\}", text), "every placeholder is filled"
        made += 1
        if made == 3:
            break
    assert made > 0, f"no {scenario} case in {voice}'s age range {lo}-{hi} was sampled"


def test_each_row_is_reproducible_from_seed_and_index():
    assert make_referral(5, 17) == make_referral(5, 17)


def test_labels_come_from_the_case_not_the_voice():
    a = make_referral(8, 3)
    case_labels = label_case(sample_case(np.random.default_rng([8, 3])))
    assert a.thrive_group == case_labels.thrive_group.value
