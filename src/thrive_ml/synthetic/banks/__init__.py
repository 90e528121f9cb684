"""Phrase banks: many hand-written phrasings per fact, per register, kept as data.

`spec.yaml` says what each key means; each register file maps every key to a list of
phrasings. Loading validates keys, placeholders and banned label words, so a bad bank fails
at load with the file, key and phrase index, not as odd text in a training set.

Run `python -m thrive_ml.synthetic.banks` to check every bank and print counts.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from thrive_ml.errors import RulesFileError

# libyaml's safe loader when present: the banks are large and pure-Python parsing is slow.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Register(StrEnum):
    """How a phrase is written; voices pick registers, not the other way round."""

    PROFESSIONAL = "professional"  # full sentences, third person, formal or semi-formal
    SHORTHAND = "shorthand"  # clinical or form fragments: "4/12 low mood", "c/o poor sleep"
    PARENT = "parent"  # lay adult writing about their own child or the child they care for
    YOUNG_PERSON = "young_person"  # first person, the child or young person themselves


PLACEHOLDERS = frozenset(
    {"name", "age", "he", "him", "his", "himself", "He", "His", "dur", "parent"}
)
FIRST_PERSON_PLACEHOLDERS = frozenset({"age", "dur", "parent"})
DUR_SECTIONS = frozenset({"difficulty", "impact"})

# Label names must never reach the text: a model would learn the name, not the need.
BANNED = re.compile(
    r"thriv|getting[ _-]?(advice|help|more[ _-]?help|risk[ _-]?support)|more help|"
    r"risk support|presenting[ _-]need|complexity|relevance|_",
    re.IGNORECASE,
)

MIN_VARIANTS = {
    Register.PROFESSIONAL: 5,
    Register.SHORTHAND: 4,
    Register.PARENT: 5,
    Register.YOUNG_PERSON: 5,
}


@dataclass(frozen=True)
class PhraseBank:
    register: Register
    phrases: dict[str, tuple[str, ...]]

    def get(self, key: str) -> tuple[str, ...]:
        try:
            return self.phrases[key]
        except KeyError:
            raise KeyError(f"phrase bank '{self.register}' has no key '{key}'") from None


def _read_yaml(name: str) -> Any:
    path = resources.files(__package__).joinpath(name)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except FileNotFoundError:
        raise RulesFileError(f"phrase bank file {name} is missing from {__package__}") from None
    except yaml.YAMLError as exc:
        raise RulesFileError(f"{name} is not valid YAML: {exc}") from None


@cache
def spec_keys() -> tuple[str, ...]:
    """Every key a register bank must define, derived from spec.yaml."""
    spec = _read_yaml("spec.yaml")
    keys: list[str] = []
    for section, body in spec.items():
        if section == "difficulty":
            keys += [
                f"difficulty.{k}.{lvl}" for k in body for lvl in ("mild", "moderate", "severe")
            ]
        elif section == "resolved":
            keys += [f"resolved.{k}" for k in body["kinds"]]
        elif section == "impact":
            keys += [f"impact.{k}.{lvl}" for k in body for lvl in ("none", "some", "major")]
        elif section == "support":
            keys += [f"support.{k}.{h}" for k in body for h in ("helped", "not_helped")]
        elif section == "risk":
            keys += [
                f"risk.{ind}.{status}" for ind, statuses in body.items() for status in statuses
            ]
        else:
            keys += [f"{section}.{k}" for k in body]
    return tuple(keys)


def _placeholders(phrase: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(phrase) if field is not None}


def validate(register: Register, raw: Any, file_name: str, keys: tuple[str, ...]) -> PhraseBank:
    """Check one register's mapping against the spec; raise RulesFileError naming the problem."""
    if not isinstance(raw, dict):
        raise RulesFileError(f"{file_name}: expected a mapping of key -> list of phrases")
    unknown = sorted(set(raw) - set(keys))
    if unknown:
        raise RulesFileError(f"{file_name}: unknown keys {unknown[:5]}; keys come from spec.yaml")
    missing = [k for k in keys if k not in raw]
    if missing:
        raise RulesFileError(
            f"{file_name}: {len(missing)} keys missing, e.g. {missing[:5]}; add phrasings for them"
        )
    allowed = FIRST_PERSON_PLACEHOLDERS if register is Register.YOUNG_PERSON else PLACEHOLDERS
    out: dict[str, tuple[str, ...]] = {}
    for key in keys:
        phrases = raw[key]
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise RulesFileError(f"{file_name}: '{key}' must be a list of strings")
        if len(set(phrases)) < MIN_VARIANTS[register]:
            raise RulesFileError(
                f"{file_name}: '{key}' has {len(set(phrases))} distinct phrasings; "
                f"at least {MIN_VARIANTS[register]} are needed"
            )
        for i, phrase in enumerate(phrases):
            try:
                fields = _placeholders(phrase)
            except ValueError as exc:
                raise RulesFileError(f"{file_name}: '{key}'[{i}] bad braces: {exc}") from None
            bad = fields - allowed
            if key.split(".")[0] not in DUR_SECTIONS:
                bad |= fields & {"dur"}
            if bad:
                raise RulesFileError(
                    f"{file_name}: '{key}'[{i}] uses placeholders {sorted(bad)}; "
                    f"allowed here: {sorted(allowed)}"
                )
            if BANNED.search(phrase.replace("{", "").replace("}", "")):
                raise RulesFileError(
                    f"{file_name}: '{key}'[{i}] contains a label word or underscore "
                    f"(matched {BANNED.search(phrase).group(0)!r}); reword it"
                )
        out[key] = tuple(dict.fromkeys(p.strip() for p in phrases))
    return PhraseBank(register, out)


def check_file(file_name: str) -> PhraseBank:
    """Validate one file alone: `<register>.yaml` holds the non-risk keys, `risk_<register>.yaml`
    the risk keys. Lets each author check their own file before the others exist."""
    stem = file_name.removesuffix(".yaml")
    is_risk = stem.startswith("risk_")
    register = Register(stem.removeprefix("risk_"))
    keys = tuple(k for k in spec_keys() if k.startswith("risk.") == is_risk)
    return validate(register, _read_yaml(file_name) or {}, file_name, keys)


@cache
def load_bank(register: Register) -> PhraseBank:
    """Load and validate one register: non-risk keys from <register>.yaml, risk keys from risk/."""
    main = _read_yaml(f"{register.value}.yaml") or {}
    risk = _read_yaml(f"risk_{register.value}.yaml") or {}
    overlap = set(main) & set(risk)
    if overlap:
        raise RulesFileError(f"keys defined twice for {register}: {sorted(overlap)[:5]}")
    return validate(register, {**main, **risk}, f"{register.value}(+risk).yaml", spec_keys())


def main() -> None:
    """Check every bank; used by the phrase-bank authors and by the tests."""
    import sys

    if len(sys.argv) > 1:
        bank = check_file(sys.argv[1])
        n = sum(len(v) for v in bank.phrases.values())
        sys.stdout.write(f"ok   {sys.argv[1]}: {len(bank.phrases)} keys, {n} phrasings\n")
        return
    failed = False
    for register in Register:
        try:
            bank = load_bank(register)
        except RulesFileError as exc:
            failed = True
            sys.stderr.write(f"FAIL {register}: {exc}\n")
            continue
        n = sum(len(v) for v in bank.phrases.values())
        sys.stdout.write(f"ok   {register}: {len(bank.phrases)} keys, {n} phrasings\n")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
