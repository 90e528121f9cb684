"""Safety rules: find every risk mention, with its context, and route it to a person.

`assess(text)` is the sole entry point. It reads obfuscated writing (normalize), finds risk
mentions (matcher), decides their context (context) and applies the one routing policy (policy).
Nothing here can be configured off: routing depends on the text alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from thrive_ml.errors import InputFormatError
from thrive_ml.result import RiskFlag, construct
from thrive_ml.safety.context import classify, status_of_span
from thrive_ml.safety.matcher import Mention, find_cased_mentions, find_mentions
from thrive_ml.safety.normalize import Folded, fold
from thrive_ml.safety.policy import decide
from thrive_ml.safety.rules import CompiledRules, default_rules

__all__ = ["SafetyReport", "assess", "assess_bytes", "rules_version", "status_of_span"]


@dataclass(frozen=True)
class SafetyReport:
    """What the rules found in one text and whether it must go to a person."""

    flags: tuple[RiskFlag, ...]
    routes_to_review: bool
    review_reasons: tuple[str, ...]
    rules_version: str


def rules_version() -> str:
    """The dated version of the packaged rules, reported with every result."""
    return default_rules().version


def _flags_for(text: str, folded: Folded, mentions: list[Mention], rules: CompiledRules) -> list:
    statuses = classify(folded.text, [(m.start, m.end, m.indicator) for m in mentions], rules)
    out = []
    for m, status in zip(mentions, statuses, strict=True):
        s, e = folded.span_to_source(m.start, m.end)
        # Built by us from enums and exact slices, so validation would only cost time.
        out.append(
            construct(
                RiskFlag, indicator=m.indicator, status=status, start=s, end=e, text=text[s:e]
            )
        )
    return out


def _dedupe(flags: list[RiskFlag]) -> tuple[RiskFlag, ...]:
    """One flag per mention: overlapping flags of one indicator keep the routing, longer one."""
    if len(flags) < 2:
        return tuple(flags)
    ranked = sorted(
        flags, key=lambda f: (not f.status.routes, -(f.end - f.start), f.start, f.status)
    )
    kept: list[RiskFlag] = []
    for f in ranked:
        clash = any(
            k.start < f.end
            and f.start < k.end
            and (k.indicator == f.indicator or (k.start, k.end) == (f.start, f.end))
            and (k.status.routes or not f.status.routes)
            for k in kept
        )
        if not clash:
            kept.append(f)
    return tuple(sorted(kept, key=lambda f: (f.start, f.end, f.indicator)))


def assess(text: str) -> SafetyReport:
    """Risk flags for one referral text and the routing decision they force.

    Empty or blank text gives an empty report. Anything but `str` raises InputFormatError;
    decode bytes with `assess_bytes`.
    """
    if not isinstance(text, str):
        raise InputFormatError(
            f"assess() needs the referral as str, got {type(text).__name__}; "
            "decode bytes first (assess_bytes(data) decodes UTF-8) or pass str(value)"
        )
    rules = default_rules()
    if not text.strip():
        return SafetyReport((), False, (), rules.version)
    readings = fold(text)
    flags: list[RiskFlag] = []
    for folded in readings:
        mentions = find_mentions(folded, rules)
        if mentions:
            flags.extend(_flags_for(text, folded, mentions, rules))
    cased = find_cased_mentions(text, rules)
    if cased:
        main = readings[0]
        mapped = []
        for m in cased:
            fs, fe = main.span_from_source(m.start, m.end)
            mapped.append(Mention(m.indicator, fs, fe))
        flags.extend(_flags_for(text, main, mapped, rules))
    kept = _dedupe(flags)
    decision = decide(kept)
    return SafetyReport(kept, decision.routes_to_review, decision.review_reasons, rules.version)


def assess_bytes(data: bytes | bytearray | memoryview, encoding: str = "utf-8") -> SafetyReport:
    """`assess` for raw bytes; undecodable bytes raise InputFormatError saying where."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputFormatError(
            f"assess_bytes() needs bytes, got {type(data).__name__}; use assess() for str"
        )
    try:
        text = bytes(data).decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            f"referral bytes are not valid {encoding} (bad byte at offset {exc.start}); "
            "re-save the file as UTF-8 or pass the right encoding"
        ) from None
    except LookupError:
        raise InputFormatError(f"unknown text encoding {encoding!r}; try 'utf-8'") from None
    return assess(text)
