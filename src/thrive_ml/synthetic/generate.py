"""Generate labelled synthetic referrals: case -> labels, case -> voice -> text.

Row i is drawn from its own generator seeded by (seed, i), so the first k rows are the same
whatever N is, and the output is byte-identical for the same N and seed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thrive_ml.errors import InputFormatError, OutputPathError
from thrive_ml.synthetic.cases import sample_case
from thrive_ml.synthetic.labelling import label_case
from thrive_ml.synthetic.render import case_facts
from thrive_ml.synthetic.voices import pick_voice, render
from thrive_ml.taxonomy import Voice

COLUMNS = (
    "id",
    "text",
    "voice",
    "thrive_group",
    "thrive_alt",
    "exclusion_factors",
    "risk_indicators",
    "age",
    "scenario",
    "case_json",
)


@dataclass(frozen=True)
class Referral:
    id: str
    text: str
    voice: Voice
    thrive_group: str
    thrive_alt: str
    exclusion_factors: tuple[str, ...]
    risk_indicators: tuple[str, ...]
    age: int
    scenario: str
    case_json: str

    def as_row(self) -> dict[str, str | int]:
        return {
            "id": self.id,
            "text": self.text,
            "voice": self.voice.value,
            "thrive_group": self.thrive_group,
            "thrive_alt": self.thrive_alt,
            "exclusion_factors": json.dumps(list(self.exclusion_factors)),
            "risk_indicators": json.dumps(list(self.risk_indicators)),
            "age": self.age,
            "scenario": self.scenario,
            "case_json": self.case_json,
        }


def make_referral(
    seed: int, index: int, exclude_voices: frozenset[Voice] = frozenset()
) -> Referral:
    """One referral, fully determined by (seed, index)."""
    rng = np.random.default_rng([seed, index])
    case = sample_case(rng)
    labels = label_case(case)
    voice = pick_voice(case, rng, exclude_voices)
    text = render(voice, case, case_facts(case, rng), rng)
    return Referral(
        id=f"s{seed}-{index:06d}",
        text=text,
        voice=voice,
        thrive_group=labels.thrive_group.value,
        thrive_alt=labels.thrive_alt.value if labels.thrive_alt else "",
        exclusion_factors=tuple(f.value for f in labels.exclusion_factors),
        risk_indicators=tuple(r.value for r in labels.risk_indicators),
        age=case.age,
        scenario=case.scenario.value,
        case_json=json.dumps(case.to_json_dict(), sort_keys=True, separators=(",", ":")),
    )


def check_args(n: int, seed: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise InputFormatError(f"--n must be a positive whole number of referrals, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputFormatError(f"--seed must be a whole number >= 0, got {seed!r}")


def iter_referrals(
    n: int, seed: int, exclude_voices: frozenset[Voice] = frozenset()
) -> Iterator[Referral]:
    """Referrals 0..n-1 for a seed; arguments are checked before the first one is made."""
    check_args(n, seed)
    return (make_referral(seed, i, exclude_voices) for i in range(n))


def write_csv(
    path: Path,
    n: int,
    seed: int,
    on_row: Callable[[int], None] | None = None,
    exclude_voices: frozenset[Voice] = frozenset(),
) -> int:
    """Write N referrals to a CSV; returns the number written. Fails before writing anything
    if the arguments or the destination are unusable, so no half-file is left behind."""
    rows = iter_referrals(n, seed, exclude_voices)
    path = Path(path)
    if path.exists() and path.is_dir():
        raise OutputPathError(
            f"--out {path} is a directory; give a file path such as {path}/referrals.csv"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        handle = tmp.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputPathError(
            f"cannot write to {path} ({exc.strerror or exc}); choose a writable --out path"
        ) from None
    count = 0
    with handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for ref in rows:
            writer.writerow(ref.as_row())
            count += 1
            if on_row is not None:
                on_row(count)
    tmp.replace(path)
    return count
