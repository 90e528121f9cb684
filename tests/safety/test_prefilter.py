"""The RE2 prefilter makes the lexicon scan faster and can never change what the rules find."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thrive_ml.safety import normalize, prefilter, re2engine
from thrive_ml.safety.matcher import find_mentions
from thrive_ml.safety.normalize import fold
from thrive_ml.safety.prefilter import UntranslatableError, build_prefilter, prefiltered_matches
from thrive_ml.safety.rules import default_rules, load_rules_file

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of risk wording, their lookalikes and ordinary referral words: random texts built from
# them land mentions, near-misses and word boundaries in every arrangement.
PIECES = [
    "kill myself",
    "killing it at football",
    "self harm",
    "selfharm",
    "self-harm awareness",
    "overdose",
    "od",
    "suicidal",
    "want to die",
    "dying to go",
    "end it all",
    "cutting",
    "cuts on her arms",
    "older man",
    "messaging her",
    "unalive",
    "kms",
    "tablets",
    "better off without me",
    "not here any more",
    "denies",
    "no",
    "never",
    "her friend",
    "last year",
    "if",
    "school",
    "mum",
    "sleep",
    "worried",
    "anxious",
    "football",
    "skill",
    "hurt",
    "hit",
    "knife",
    "rope",
    "bridge",
    "money",
    "missing",
    "police",
    "'",
    ",",
    ".",
    "?",
    ";",
    "\n",
    "3",
    "_",
    "-",
    "q: ever self harmed? a: no",
]
texts = (
    st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join)
    # Run together, so phrases end inside words ("footballs", "killmyselfish").
    | st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
    | st.text(alphabet="abcdeiklmnorstuy _.,'-\n", max_size=80)
)


def _plain_rules():
    return dataclasses.replace(default_rules(), risk_prefilter=None, lookalike_prefilter=None)


def _mentions(text: str, rules) -> list[list[tuple[int, int, str]]]:
    return [
        [(m.start, m.end, m.indicator.value) for m in find_mentions(f, rules)] for f in fold(text)
    ]


def test_packaged_rules_get_both_prefilters() -> None:
    # If a rules edit made a body untranslatable the scan would silently slow down tenfold.
    rules = default_rules()
    assert rules.risk_prefilter is not None
    assert rules.lookalike_prefilter is not None


@SETTINGS
@given(text=texts)
def test_mentions_are_the_same_with_and_without_the_prefilter(text: str) -> None:
    assert _mentions(text, default_rules()) == _mentions(text, _plain_rules())


def test_mentions_are_the_same_on_the_team_safety_set(shared_dir: Path) -> None:
    path = shared_dir / "eval" / "safety_dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    plain = _plain_rules()
    for row in rows:
        assert _mentions(row["text"], default_rules()) == _mentions(row["text"], plain)


@SETTINGS
@given(text=texts, pos=st.integers(0, 200))
def test_the_prefilter_never_points_past_the_first_match(text: str, pos: int) -> None:
    folded = fold(text)[0].text
    if not folded.isascii():
        return
    rules = default_rules()
    pos = min(pos, len(folded))
    real = rules.risk_re.search(folded, pos)
    at = rules.risk_prefilter(folded.encode("ascii"), pos, len(folded))
    if real is not None:
        assert at is not None
        assert pos <= at <= real.start()


@SETTINGS
@given(text=texts, start=st.integers(0, 60), width=st.integers(0, 80))
def test_prefiltered_matches_equal_finditer_in_any_window(
    text: str, start: int, width: int
) -> None:
    # Windows may end inside a word: the regex then sees the text as ending there, and so must
    # the prefilter.
    folded = fold(text)[0].text
    if not folded.isascii():
        return
    rules = default_rules()
    start = min(start, len(folded))
    end = min(len(folded), start + width)
    look = rules.lookalike_re
    expected = [m.span() for m in look.finditer(folded, start, end)]
    got = [
        m.span()
        for m in prefiltered_matches(
            look, rules.lookalike_prefilter, folded, folded.encode("ascii"), start, end
        )
    ]
    assert got == expected


def test_a_window_ending_inside_a_word_is_read_as_the_regex_reads_it() -> None:
    # Cut after "dying to go", "gone" reads as "go": the phrase is there for the regex.
    pattern = re.compile(r"(?<![a-z0-9])dying to go(?![a-z0-9])")
    first = build_prefilter(["dying to go"])
    text = "she was dying to gone"
    end = text.index("gone") + 2
    spans = [m.span() for m in prefiltered_matches(pattern, first, text, text.encode(), 0, end)]
    assert spans == [m.span() for m in pattern.finditer(text, 0, end)] == [(8, 19)]
    assert list(prefiltered_matches(pattern, first, text, text.encode(), 0, len(text))) == []


def test_translation_keeps_matches_and_drops_assertions() -> None:
    body = r"(?<![a-z])kill\s*(?:my|him)self(?!\w)\b[^\s.]"
    translated = prefilter.translate(body)
    for assertion in ("(?<", "(?!", "\\b"):
        assert assertion not in translated
    assert re.fullmatch(translated, "kill myself,")
    assert not re.fullmatch(translated, "kill myself.")


@pytest.mark.parametrize(
    "body", [r"a{,3}b", r"a{2}", r"a{1,}b", r"a{2,5}?", r"x{y", r"a{}", r"a{,}"]
)
def test_braces_mean_in_re2_what_they_mean_to_python(body: str) -> None:
    # Python reads "{,3}" as a repeat and "{}" as text; RE2 would read both as text.
    import re2

    translated = prefilter.translate(body)
    for text in ["", "a", "aab", "ab", "b", "aaaab", "x{y", "a{}", "a{,}"]:
        assert (re.fullmatch(body, text) is None) == (re2.fullmatch(translated, text) is None)


@pytest.mark.parametrize(
    "body",
    [r"(?P<x>a)", r"(?i:kill)", r"\S+ kill", r"a\1", r"[abc", r"(?=x)*y"],
)
def test_untranslatable_bodies_are_refused(body: str) -> None:
    with pytest.raises(UntranslatableError):
        prefilter.translate(body)


def test_a_rules_file_the_prefilter_cannot_read_still_matches(tmp_path: Path) -> None:
    # \S has no exact RE2 reading here: the prefilter steps aside and the regex scans alone.
    path = tmp_path / "rules.yaml"
    path.write_text(
        'version: "2026.12.1"\n'
        "lexicon:\n"
        '  - pattern: "cut\\\\S*\\\\s+her\\\\s+arms"\n'
        "    indicator: self_harm\n"
        '    why: "a test entry"\n'
        "cues:\n"
        '  - phrase: "denies"\n'
        "    category: negated\n"
        "    direction: forward\n"
        "    max_scope: 5\n"
        '    why: "a test cue"\n',
        encoding="utf-8",
    )
    rules = load_rules_file(path)
    assert rules.risk_prefilter is None
    found = find_mentions(fold("Mum says she cuts her arms at night.")[0], rules)
    assert [(m.start, m.end) for m in found] == [(13, 26)]


def test_an_empty_lexicon_has_no_prefilter() -> None:
    assert build_prefilter([]) is None


# Obfuscation signs (normalize._SIGNS) get the same treatment: a looser RE2 reading first.
sign_texts = st.text(alphabet="abxyrtz013457@$|! .-_*~+\n9", max_size=40) | texts


@SETTINGS
@given(text=sign_texts)
def test_the_loose_sign_check_matches_wherever_an_exact_sign_does(text: str) -> None:
    padded = " " + text.lower()
    if any(sign.search(padded) for sign in normalize._SIGNS):
        assert normalize._sign_superset(padded.encode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "k1ll",
        "d13",
        "s3lf",
        "yr7 and x10 are fine but h3r is not",
        "sooo sad",
        "s e l f",
        "k.i.l.l",
        "i am 14yo",
        "she|f",
        "help!!",
        "a - b - c",
    ],
)
def test_the_loose_sign_check_keeps_every_exact_sign(text: str) -> None:
    padded = " " + text
    exact = any(sign.search(padded) for sign in normalize._SIGNS)
    assert exact <= normalize._sign_superset(padded.encode())


def test_a_bracket_first_in_a_class_is_a_member_for_both_regex_builders() -> None:
    # Python reads "[]|)]" as one class of "]", "|" and ")": no alternation, no group end.
    from thrive_ml.safety import regexbuild

    assert regexbuild.top_level_alternatives("[]|)]a|b") == ["[]|)]a", "b"]
    assert prefilter.translate(r"(?![]|)])kill") == "kill"


def _unquote_by_regex(text: str) -> str:
    """The quote handling as it was written first (one regex scan): the reference."""
    out = list(text)
    for m in re.finditer("[" + normalize._QUOTES + "]+", text):
        if (
            m.start() == 0
            or text[m.start() - 1].isspace()
            or m.end() == len(text)
            or text[m.end()] in normalize._AFTER_QUOTE
        ):
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


@SETTINGS
@given(
    text=st.text(alphabet="ab '\"\u2018\u2019\u201c\u201d.,)?\n\t", max_size=40)
    | st.lists(st.sampled_from([*PIECES, "'", '"', "''", "\"'"]), max_size=10).map(" ".join)
)
def test_quote_marks_are_found_by_str_find_as_the_regex_finds_them(text: str) -> None:
    assert normalize._unquote(text) == _unquote_by_regex(text)


SAMPLE_BODIES = [
    r"kill\s*myself",
    r"self\s*-?\s*harm\w*",
    "od",
    r"end\s+it(?:\s+all)?",
    "cut",
    r"\d+\s*tablets",
]


@SETTINGS
@given(text=texts, pos=st.integers(0, 90), cut=st.integers(0, 90))
def test_the_direct_re2_call_answers_as_the_wrapper_does(text: str, pos: int, cut: int) -> None:
    pattern = f"{prefilter._START}(?:{'|'.join(prefilter.translate(b) for b in SAMPLE_BODIES)})"
    compiled = re2engine.compile_ascii(pattern)
    direct, wrapped = re2engine.match_start(compiled), re2engine.wrapped_start(compiled)
    data = text.lower().encode("ascii")
    endpos = min(cut, len(data))
    pos = min(pos, endpos)
    assert direct(data, pos, endpos) == wrapped(data, pos, endpos)
    assert direct(data, pos, len(data)) == wrapped(data, pos, len(data))


# Words near the packaged fuzzy spellings: random edits of them, so the look-up says yes often.
_FUZZY_TARGETS = [t for t, _ in default_rules().fuzzy_targets]


@st.composite
def near_misspellings(draw) -> str:
    word = list(draw(st.sampled_from(_FUZZY_TARGETS)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, max(0, len(word) - 1)))
        op = draw(st.sampled_from(["sub", "del", "ins", "swap"]))
        letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
        if op == "sub" and word:
            word[i] = letter
        elif op == "del" and len(word) > 1:
            del word[i]
        elif op == "ins":
            word.insert(i, letter)
        elif op == "swap" and i + 1 < len(word):
            word[i], word[i + 1] = word[i + 1], word[i]
    return "".join(word)


@SETTINGS
@given(word=near_misspellings(), before=st.sampled_from(["", "she is ", "2", "(", "no "]))
def test_the_fuzzy_gate_passes_every_word_the_look_up_accepts(word: str, before: str) -> None:
    rules = default_rules()
    assert rules.fuzzy_prefilter is not None
    if rules.fuzzy_lookup(word) is not None:
        assert rules.fuzzy_prefilter(f"{before}{word}, today".encode("ascii"))


def test_the_fuzzy_gate_stays_shut_on_ordinary_words() -> None:
    gate = default_rules().fuzzy_prefilter
    assert gate is not None
    assert not gate(b"she is sleeping better and her school says she is doing ok")
    assert gate(b"she is suicdal")  # one letter dropped
    assert gate(b"has been selfharmign again")  # two letters swapped


def test_a_false_candidate_does_not_hide_a_later_mention(tmp_path: Path) -> None:
    # RE2 reads "kill(?!ing\s+it)" as "kill", so "killing it" is a candidate the Python regex
    # rejects; the mention after it must still be found, as the plain scan finds it.
    path = tmp_path / "rules.yaml"
    path.write_text(
        'version: "2026.12.1"\n'
        "lexicon:\n"
        '  - pattern: "kill(?!ing\\\\s+it)\\\\w*"\n'
        "    indicator: suicidal_ideation\n"
        '    why: "a test entry"\n'
        "cues:\n"
        '  - phrase: "denies"\n'
        "    category: negated\n"
        "    direction: forward\n"
        "    max_scope: 5\n"
        '    why: "a test cue"\n',
        encoding="utf-8",
    )
    rules = load_rules_file(path)
    assert rules.risk_prefilter is not None
    text = "killing it at football, killing it in maths, then says she wants to kill herself"
    folded = fold(text)[0]
    found = [(m.start, m.end) for m in find_mentions(folded, rules)]
    plain = dataclasses.replace(rules, risk_prefilter=None)
    assert found == [(m.start, m.end) for m in find_mentions(folded, plain)]
    assert found == [(text.index("kill herself"), text.index("kill herself") + 4)]


@SETTINGS
@given(text=st.text(alphabet="ab1l3 0@$!|.-xk\u00e9", max_size=40) | texts)
def test_leet_words_are_the_runs_the_regex_finds(text: str) -> None:
    # The definition: whole runs of word-ish characters holding a leet character.
    regex = re.compile(r"[a-z0-9@$!|]*[013457@$!|][a-z0-9@$!|]*")
    assert list(normalize._leet_words(text)) == [m.span() for m in regex.finditer(text)]


@SETTINGS
@given(text=st.text(alphabet="ab1 .-_*~+@$xaaa", max_size=40) | texts)
def test_the_re2_gates_of_the_slow_fold_miss_nothing(text: str) -> None:
    low = text.lower()
    assert normalize._has_run3(low) == (normalize._RUN3.search(low) is not None)
    if normalize._SPACED.search(low):
        assert normalize._any_spaced(low.encode())


@pytest.mark.parametrize(
    "text",
    [
        "Zo\u00eb \u2193 appetite",
        "caf\u00e9 \u2014 \u00e9\u00e9",
        "\u039b and \u03bb",
        "na\u00efve \u2193\u2193",
    ],
)
def test_same_length_folding_replaces_as_translate_would(text: str) -> None:
    table = {ord(ch): normalize._one_to_one(ch) for ch in set(text) if not ch.isascii()}
    if None in table.values():
        assert normalize._fold_same_length(text) is None
        return
    expected = text.translate(table).lower()
    got = normalize._fold_same_length(text)
    assert got is None or got == expected
    assert got is not None or normalize._has_signs(expected)


@functools.cache
def _punctuation_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The packaged punctuation cues as one flat alternation and grouped by first character."""
    from thrive_ml.safety import regexbuild

    cues = _packaged_punctuation_cues()
    assert len(cues) >= 4  # commas, question marks, dashes and a class of them
    flat = re.compile("|".join(regexbuild._leaf(n, a, "") for n, a in cues))
    return flat, re.compile(regexbuild._punct_dispatch(cues))


def _packaged_punctuation_cues() -> list[tuple[str, str]]:
    from thrive_ml.safety import regexbuild
    from thrive_ml.safety.rules import _entry_regex, parse_rules

    text = (Path(normalize.__file__).parent / "rules.yaml").read_text(encoding="utf-8")
    rules = parse_rules(text, "rules.yaml")
    cues = []
    for i, cue in enumerate(rules.cues):
        body = _entry_regex(cue, dict(rules.macros), "rules.yaml", f"cue {i}")
        for j, alt in enumerate(regexbuild.top_level_alternatives(body)):
            if not (alt[:1].isalnum() or alt.startswith("(")):
                cues.append((f"c{i}x{j}", alt))
    return cues


PUNCT_TEXTS = st.text(alphabet="ab ,?:-\u2013=vefornil.", max_size=40) | texts


@SETTINGS
@given(text=PUNCT_TEXTS)
def test_punctuation_cues_grouped_by_first_character_match_as_the_flat_list(text: str) -> None:
    flat, grouped = _punctuation_regexes()
    assert [(m.span(), m.lastgroup) for m in flat.finditer(text)] == [
        (m.span(), m.lastgroup.rsplit("_", 1)[0]) for m in grouped.finditer(text)
    ]


def _separate_gate_rules():
    """The packaged rules with the misspelling gate run on its own, as before it joined the
    lexicon prefilter."""
    rules = default_rules()
    return dataclasses.replace(rules, fuzzy_in_risk_prefilter=False)


@SETTINGS
@given(
    words=st.lists(near_misspellings() | st.sampled_from(PIECES), min_size=1, max_size=8),
    joiner=st.sampled_from([" ", ", ", "2", "-", ""]),
)
def test_misspellings_are_found_the_same_with_the_gate_in_the_lexicon_prefilter(
    words: list[str], joiner: str
) -> None:
    rules = default_rules()
    assert rules.fuzzy_in_risk_prefilter
    text = joiner.join(words)
    expected = _mentions(text, _plain_rules())
    assert _mentions(text, rules) == expected
    assert _mentions(text, _separate_gate_rules()) == expected


def test_a_misspelling_next_to_a_mention_is_still_found() -> None:
    rules = default_rules()
    text = "she has been suicdal and selfharmign and wants to kill herself"
    found = {text[s:e] for s, e, _ in _mentions(text, rules)[0]}
    assert {"suicdal", "selfharmign"} <= found
