"""The shortcut audit runs end to end on small data and reports every figure the card needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from thrive_ml.synthetic.audit import render_report, run_audit
from thrive_ml.synthetic.generate import write_csv
from thrive_ml.taxonomy import ThriveGroup


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "r.csv"
    write_csv(path, 1500, seed=21)
    return path


def test_audit_reports_voice_holdout_dev_and_features(small_data: Path, shared_dir: Path):
    report = run_audit(small_data, shared_dir / "eval" / "dev.jsonl", top=8)
    assert report.n_rows == 1500
    assert len(report.leave_one_voice_out) >= 7
    assert all(0.0 <= v <= 1.0 for v in report.leave_one_voice_out.values())
    assert report.dev_macro_f1 is not None
    assert 0.0 <= report.dev_macro_f1 <= 1.0
    assert set(report.top_features) == {g.value for g in ThriveGroup}
    assert all(len(f) == 8 for f in report.top_features.values())
    # A model that learned anything beats chance (0.2) on voices it never saw.
    assert sum(report.leave_one_voice_out.values()) / len(report.leave_one_voice_out) > 0.3
    text = render_report(report)
    assert "leave-one-voice-out" in text
    assert "hand-written dev set" in text


def test_audit_without_dev_set_still_reports(small_data: Path):
    report = run_audit(small_data, None, top=3)
    assert report.dev_macro_f1 is None
    assert "hand-written dev set" not in render_report(report)


def test_audit_on_missing_file_says_how_to_make_it(tmp_path: Path):
    from thrive_ml.errors import InputFormatError

    with pytest.raises(InputFormatError, match="thrive-ml generate"):
        run_audit(tmp_path / "nope.csv", None)
