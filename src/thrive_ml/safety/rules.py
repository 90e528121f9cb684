"""Load and validate the safety rules file, and compile it into matchers.

The rules are data (rules.yaml). This module turns them into compiled regular expressions once,
and fails loudly - naming the file and the entry - if the file is malformed, so a typo can never
silently switch a rule off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from thrive_ml.errors import RulesFileError
from thrive_ml.safety import regexbuild as rb
from thrive_ml.safety.fuzzy import fuzzy_gate, fuzzy_gate_pattern, fuzzy_limit, fuzzy_matcher
from thrive_ml.safety.prefilter import Prefilter, build_prefilter
from thrive_ml.safety.regexcache import compile_cached
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VERSION_RE = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
_MACRO_RE = re.compile(r"\{\{(\w+)\}\}")


class CueCategory(StrEnum):
    """What a context cue does to a mention in its scope."""

    NEGATED = ContextStatus.NEGATED.value
    HISTORICAL = ContextStatus.HISTORICAL.value
    HYPOTHETICAL = ContextStatus.HYPOTHETICAL.value
    OTHER_PERSON = ContextStatus.OTHER_PERSON.value
    ANY = "any"


class Direction(StrEnum):
    """Where a cue looks for mentions (NegEx/ConText directions)."""

    FORWARD = "forward"
    BACKWARD = "backward"
    BIDIRECTIONAL = "bidirectional"
    TERMINATE = "terminate"
    PSEUDO = "pseudo"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _PhraseOrPattern(_Strict):
    phrase: str | None = None
    pattern: str | None = None
    why: Annotated[str, Field(min_length=3)]

    @model_validator(mode="after")
    def _one_of(self) -> _PhraseOrPattern:
        if (self.phrase is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'phrase' or 'pattern'")
        return self


class LexiconEntry(_PhraseOrPattern):
    """One way of writing a risk indicator."""

    indicator: RiskIndicator
    fuzzy: bool = False
    case_sensitive: bool = False
    before: str | None = None

    @model_validator(mode="after")
    def _fuzzy_needs_phrase(self) -> LexiconEntry:
        if self.fuzzy and (self.phrase is None or len(self.phrase.replace(" ", "")) < 6):
            raise ValueError("fuzzy: true needs a 'phrase' of 6+ letters to compare words with")
        return self


class LookalikeEntry(_PhraseOrPattern):
    """A harmless phrase that shares words with a risk phrase; it suppresses overlapping hits."""


class CueEntry(_PhraseOrPattern):
    """A context trigger, terminator or pseudo-trigger."""

    category: CueCategory
    direction: Direction
    max_scope: int | None = Field(default=None, ge=0, le=50)
    back_scope: int | None = Field(default=None, ge=0, le=50)
    household: bool = False
    priority: int = Field(default=0, ge=0, le=9)
    beats_negation: bool = False
    terminates: list[CueCategory] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scope_needed(self) -> CueEntry:
        scoped = self.direction in {Direction.FORWARD, Direction.BACKWARD, Direction.BIDIRECTIONAL}
        if scoped and self.max_scope is None:
            raise ValueError(f"a {self.direction.value} cue needs max_scope (words)")
        if scoped and self.category is CueCategory.ANY:
            raise ValueError("category 'any' is only for terminate cues")
        return self


class NotMisspelling(_Strict):
    """Real words a fuzzy spelling must not be mistaken for."""

    words: list[Annotated[str, Field(min_length=2)]]
    why: Annotated[str, Field(min_length=3)]


class RulesFile(_Strict):
    """The whole rules file."""

    version: str
    macros: dict[str, str] = Field(default_factory=dict)
    lexicon: list[LexiconEntry]
    lookalikes: list[LookalikeEntry] = Field(default_factory=list)
    not_misspellings: list[NotMisspelling] = Field(default_factory=list)
    addressee_pattern: str | None = None
    cues: list[CueEntry]

    @model_validator(mode="after")
    def _version_format(self) -> RulesFile:
        if not _VERSION_RE.match(self.version):
            raise ValueError(f"version {self.version!r} must look like '2026.11.1' (YYYY.MM.N)")
        return self


@dataclass(frozen=True)
class Cue:
    """A compiled cue, addressed by its index in the cue regex's group names."""

    category: CueCategory
    direction: Direction
    max_scope: int
    household: bool
    beats_negation: bool = False
    back_scope: int | None = None
    terminates: frozenset[CueCategory] = frozenset()


@dataclass(frozen=True)
class CompiledRules:
    """Everything the matcher and context engine need, compiled once."""

    version: str
    risk_re: re.Pattern[str]
    # Where on ASCII text a lexicon match could start (None: scan with risk_re alone).
    risk_prefilter: Prefilter | None
    risk_indicators: dict[str, RiskIndicator]
    risk_before: dict[str, re.Pattern[str]]
    cased_re: re.Pattern[str] | None
    cased_indicators: dict[str, RiskIndicator]
    lookalike_re: re.Pattern[str] | None
    lookalike_prefilter: Prefilter | None
    cue_re: re.Pattern[str]
    cues: dict[str, Cue]
    fuzzy_targets: tuple[tuple[str, RiskIndicator], ...]
    fuzzy_exclude: frozenset[str]
    fuzzy_word_re: re.Pattern[str] | None
    fuzzy_lookup: Callable[[str], RiskIndicator | None]
    # On ASCII text: could any word be a misspelling the look-up accepts? (None: always look.)
    fuzzy_prefilter: Callable[[bytes], bool] | None
    # Whether risk_prefilter also stops where fuzzy_prefilter would match (one pass for both).
    fuzzy_in_risk_prefilter: bool
    addressee_re: re.Pattern[str] | None


def _allowed_keys(loc: tuple[Any, ...]) -> str:
    section_models: dict[str, type[BaseModel]] = {
        "lexicon": LexiconEntry,
        "lookalikes": LookalikeEntry,
        "cues": CueEntry,
        "not_misspellings": NotMisspelling,
    }
    model: type[BaseModel] = RulesFile
    if loc and isinstance(loc[0], str) and loc[0] in section_models and len(loc) > 2:
        model = section_models[loc[0]]
    return ", ".join(sorted(model.model_fields))


def _describe(err: dict[str, Any], raw: dict[str, Any]) -> str:
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc)
    entry = ""
    if len(loc) >= 2 and isinstance(loc[1], int):
        items = raw.get(str(loc[0])) or []
        if loc[1] < len(items) and isinstance(items[loc[1]], dict):
            item = items[loc[1]]
            entry = f" (entry {loc[1]}: {item.get('phrase') or item.get('pattern')!r})"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = f"unknown key {loc[-1]!r}; allowed keys: {_allowed_keys(loc)}"
    return f"{where}{entry}: {msg}"


def parse_rules(raw_text: str, source: str) -> RulesFile:
    """Validate rules YAML text; `source` names the file in errors."""
    try:
        # libyaml's loader when built (ten times faster; same safe subset).
        raw = yaml.load(raw_text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise RulesFileError(f"{source}: not valid YAML ({exc}); fix the syntax") from None
    if not isinstance(raw, dict):
        raise RulesFileError(f"{source}: expected a mapping with version, lexicon and cues")
    try:
        return RulesFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(e, raw) for e in exc.errors())
        raise RulesFileError(f"{source}: {problems}") from None


def _expand_macros(text: str, macros: dict[str, str], source: str, what: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise RulesFileError(
                f"{source}: {what} uses unknown macro {{{{{name}}}}}; "
                f"defined macros: {', '.join(sorted(macros))}"
            )
        return f"(?:{macros[name]})"

    return _MACRO_RE.sub(sub, text)


def _phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: flexible whitespace, optional apostrophes."""
    words = phrase.lower().split()
    parts = [re.escape(w).replace("'", "'?").replace("’", "'?") for w in words]
    return r"\s+".join(parts)


def _entry_regex(entry: _PhraseOrPattern, macros: dict[str, str], source: str, what: str) -> str:
    """The entry as a regex body (checked later, with the alternation it joins)."""
    if entry.phrase is not None:
        return _phrase_regex(entry.phrase)
    body = _expand_macros(entry.pattern or "", macros, source, what)
    return body.replace("'?", "\x00").replace("'", "'?").replace("\x00", "'?")


def _check_entry(body: str, source: str, what: str) -> None:
    try:
        compiled = re.compile(body)
    except re.error as exc:
        raise RulesFileError(f"{source}: {what} is not a valid pattern ({exc})") from None
    if compiled.groups:
        raise RulesFileError(f"{source}: {what} has a capturing group; use (?:...) instead")


def _compile_joined(
    build: Callable[[], str], entries: list[tuple[str, str]], source: str, prefix: str
) -> re.Pattern[str]:
    """Build and compile one alternation of `entries` (what, body), naming an entry at fault.

    Entries are not compiled one by one on the happy path (hundreds of compiles cost a tenth
    of a second per process): only when the joined regex cannot be built or compiled, or has
    a group the builder did not name (a capturing group in an entry), is each entry checked.
    `prefix` is the letter the builder's group names start with ('l1x0_2' for lexicon entry 1).
    """
    try:
        compiled: re.Pattern[str] | None = compile_cached(build())
    except (re.error, ValueError):
        compiled = None
    named = compiled is not None and all(
        g.startswith(prefix) and g[len(prefix) : len(prefix) + 1].isdigit()
        for g in compiled.groupindex
    )
    if compiled is None or compiled.groups != len(compiled.groupindex) or not named:
        for what, body in entries:
            _check_entry(body, source, what)
        raise RulesFileError(f"{source}: the rules do not compile together; check recent edits")
    return compiled


def compile_rules(rules: RulesFile, source: str) -> CompiledRules:
    """Compile validated rules into the regexes the matcher and context engine use."""
    macros = dict(rules.macros)
    risk: list[tuple[str, str]] = []
    cased: list[tuple[str, str]] = []
    risk_ind: dict[str, RiskIndicator] = {}
    cased_ind: dict[str, RiskIndicator] = {}
    fuzzy: list[tuple[str, RiskIndicator]] = []
    before: dict[str, re.Pattern[str]] = {}
    risk_checks: list[tuple[str, str]] = []
    cased_checks: list[tuple[str, str]] = []
    for i, entry in enumerate(rules.lexicon):
        what = f"lexicon entry {i} ({entry.phrase or entry.pattern!r})"
        # Spaces between words are optional so run-together or de-spaced writing still
        # matches ('killmyself', 's e l f h a r m' folded to 'selfharm').
        body = _entry_regex(entry, macros, source, what).replace(r"\s+", r"\s*")
        name = f"l{i}"
        if entry.before is not None:
            lead = _expand_macros(entry.before, macros, source, what)
            compiled_lead = _compile_plain(f"(?<![a-z0-9])(?:{lead})\\s+$", source, what)
            if compiled_lead is not None:
                before[name] = compiled_lead
        if entry.case_sensitive:
            cased.append((name, body))
            cased_checks.append((what, body))
            cased_ind[name] = entry.indicator
        else:
            if body != body.lower() and entry.phrase is None and not _only_escapes_upper(body):
                raise RulesFileError(
                    f"{source}: {what} has upper-case letters but matches lower-cased text; "
                    "write it in lower case or set case_sensitive: true"
                )
            risk.append((name, body))
            risk_checks.append((what, body))
            risk_ind[name] = entry.indicator
        if entry.fuzzy:
            fuzzy.extend((word, entry.indicator) for word in _fuzzy_words(entry))
    look_checks = [
        (what, _entry_regex(e, macros, source, what))
        for i, e in enumerate(rules.lookalikes)
        for what in [f"lookalike {i} ({e.phrase or e.pattern!r})"]
    ]
    cue_bodies: list[tuple[str, str, int]] = []
    cue_checks: list[tuple[str, str]] = []
    cues: dict[str, Cue] = {}
    for i, cue in enumerate(rules.cues):
        what = f"cue {i} ({cue.phrase or cue.pattern!r})"
        body = _entry_regex(cue, macros, source, what)
        name = f"c{i}"
        cue_bodies.append((name, body, cue.priority))
        cue_checks.append((what, body))
        cues[name] = Cue(
            cue.category,
            cue.direction,
            cue.max_scope or 0,
            cue.household,
            cue.beats_negation,
            cue.back_scope,
            frozenset(cue.terminates),
        )
    # Entries that need leading words are tried last at any position, so one whose leading
    # words are missing cannot hide another entry matching at the same place ('end it' needs
    # 'want to' before it; 'would end it all' must still be found).
    ordered = sorted(rb.longest_first(risk), key=lambda na: na[0].split("x", 1)[0] in before)
    risk_re = _compile_joined(
        lambda: rb.dispatch_alternation(ordered, rb.WORD_START, rb.WORD_END),
        risk_checks,
        source,
        "l",
    )
    cased_re = (
        _compile_joined(
            lambda: rb.dispatch_alternation(
                rb.longest_first(cased),
                rb.WORD_START_CASED,
                rb.WORD_END_CASED,
                start_inside=rb.WORD_START_INSIDE_CASED,
            ),
            cased_checks,
            source,
            "l",
        )
        if cased
        else None
    )
    look_re = (
        _compile_joined(
            lambda: rb.dispatch_alternation(
                [(f"k{i}", b) for i, (_, b) in enumerate(look_checks)],
                rb.WORD_START,
                rb.WORD_END,
                start_inside=rb.WORD_START_INSIDE,
            ),
            look_checks,
            source,
            "k",
        )
        if look_checks
        else None
    )
    cue_re = _compile_joined(lambda: rb.cue_alternation(cue_bodies), cue_checks, source, "c")
    targets = tuple(dict.fromkeys(fuzzy))
    exclude = frozenset(w.lower() for e in rules.not_misspellings for w in e.words)
    gate = fuzzy_gate_pattern(targets)
    risk_prefilter = build_prefilter([body for _, body in risk], also=gate)
    return CompiledRules(
        version=rules.version,
        risk_re=risk_re,
        risk_prefilter=risk_prefilter,
        risk_indicators=_names_to(risk_re, risk_ind),
        risk_before={
            g: before[g.split("x", 1)[0]]
            for g in risk_re.groupindex
            if g.split("x", 1)[0] in before
        },
        cased_re=cased_re,
        cased_indicators=_names_to(cased_re, cased_ind) if cased_re else {},
        lookalike_re=look_re,
        lookalike_prefilter=build_prefilter([body for _, body in look_checks]),
        cue_re=cue_re,
        cues=_names_to(cue_re, cues),
        fuzzy_targets=targets,
        fuzzy_exclude=exclude,
        fuzzy_word_re=_fuzzy_word_re(targets),
        fuzzy_lookup=fuzzy_matcher(targets, exclude),
        fuzzy_prefilter=fuzzy_gate(targets),
        fuzzy_in_risk_prefilter=risk_prefilter is not None and gate is not None,
        addressee_re=_compile_plain(rules.addressee_pattern, source, "addressee_pattern"),
    )


def _fuzzy_word_re(targets: tuple[tuple[str, RiskIndicator], ...]) -> re.Pattern[str] | None:
    """Words that could be a misspelling: same first letter as a fuzzy spelling, similar length."""
    if not targets:
        return None
    firsts = "".join(sorted({t[0] for t, _ in targets}))
    # Same allowance as the look-up: one edit under 10 letters, two from 10.
    shortest = min(len(t) - fuzzy_limit(t) for t, _ in targets)
    longest = max(len(t) + fuzzy_limit(t) for t, _ in targets)
    # Starts with the letter class so the engine skips straight to candidate words.
    return re.compile(f"[{firsts}](?<![a-z].)[a-z]{{{shortest - 1},{longest - 1}}}(?![a-z])")


def _compile_plain(pattern: str | None, source: str, what: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesFileError(f"{source}: {what} is not a valid pattern ({exc})") from None


def _only_escapes_upper(body: str) -> bool:
    """Upper-case letters that are regex escapes (\\W, \\S, \\D) are fine."""
    stripped = re.sub(r"\\[A-Za-z]", "", body)
    return stripped == stripped.lower()


def _names_to(pattern: re.Pattern[str], by_entry: dict[str, Any]) -> dict[str, Any]:
    """Map every named group of a built regex back to its entry (names are `<entry>x...`)."""
    return {g: by_entry[g.split("x", 1)[0]] for g in pattern.groupindex}


def _fuzzy_words(entry: LexiconEntry) -> list[str]:
    """The spelling that misspelt words are compared with (spaces and hyphens removed)."""
    return [re.sub(r"[\s\-]", "", (entry.phrase or "").lower())]


def _source_text(path: Path | None) -> tuple[str, str]:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesFileError(f"{path}: cannot read rules file ({exc})") from None
    ref = resources.files("thrive_ml.safety").joinpath("rules.yaml")
    return ref.read_text(encoding="utf-8"), "thrive_ml/safety/rules.yaml"


def load_rules_file(path: Path | None = None) -> CompiledRules:
    """Read, validate and compile a rules file (the packaged one by default). Not cached."""
    text, source = _source_text(path)
    return compile_rules(parse_rules(text, source), source)


@functools.cache
def default_rules() -> CompiledRules:
    """The packaged rules, compiled on first use and then reused (nothing happens at import)."""
    return load_rules_file(None)


__all__ = [
    "CompiledRules",
    "Cue",
    "CueCategory",
    "CueEntry",
    "Direction",
    "LexiconEntry",
    "LookalikeEntry",
    "RulesFile",
    "default_rules",
    "load_rules_file",
    "parse_rules",
]
