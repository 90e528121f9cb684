"""Our context engine vs negspacy (NegEx) and medspaCy (ConText) on the NegEx test sentences.

Every engine gets the same rows and the same target span (located as in safety_eval.py) and is
asked one question per row: is this target negated (and, where it can say, historical)?

The other engines are not project dependencies. Run this in a separate venv, e.g.:

    python3 -m venv /tmp/compare-venv
    /tmp/compare-venv/bin/pip install -e . 'spacy>=3.8' negspacy
    /tmp/compare-venv/bin/python bench/context_compare.py

medspaCy needs numpy<2 and pandas<3, so it gets its own venv:

    python3 -m venv /tmp/medspacy-venv
    /tmp/medspacy-venv/bin/pip install medspacy 'numpy<2' 'pandas<3'
    /tmp/medspacy-venv/bin/pip install --no-deps -e . && \
        /tmp/medspacy-venv/bin/pip install pydantic pyyaml rapidfuzz
    /tmp/medspacy-venv/bin/python bench/context_compare.py

Engines that cannot be imported are skipped and said so.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from thrive_ml.safety.context import status_of_span
from thrive_ml.taxonomy import ContextStatus

ROOT = Path(__file__).resolve().parents[1]


def _sibling(name: str) -> ModuleType:
    """Load another bench script by path (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Engine = Callable[[str, int, int], tuple[bool, bool]]  # -> (negated, historical)


def ours() -> Engine:
    def run(text: str, start: int, end: int) -> tuple[bool, bool]:
        status = status_of_span(text, start, end)
        return status is ContextStatus.NEGATED, status is ContextStatus.HISTORICAL

    return run


def _blank_with_sentencizer():  # type: ignore[no-untyped-def]
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _span(doc, start: int, end: int):  # type: ignore[no-untyped-def]
    span = doc.char_span(start, end, label="TARGET", alignment_mode="expand")
    if span is None:  # falls inside whitespace only
        span = doc.char_span(
            start, min(len(doc.text), end + 1), label="TARGET", alignment_mode="expand"
        )
    return span


def negspacy_engine() -> Engine:
    from negspacy.negation import Negex  # noqa: F401 - registers the factory
    from negspacy.termsets import termset

    nlp = _blank_with_sentencizer()
    negex = nlp.add_pipe("negex", config={"neg_termset": termset("en_clinical").get_patterns()})
    sentencizer = nlp.get_pipe("sentencizer")

    def run(text: str, start: int, end: int) -> tuple[bool, bool]:
        doc = sentencizer(nlp.make_doc(text))
        span = _span(doc, start, end)
        if span is None:
            return False, False
        doc.ents = [span]
        doc = negex(doc)
        return bool(doc.ents[0]._.negex), False

    return run


def medspacy_engine() -> Engine:
    import medspacy  # noqa: F401 - registers the factories

    nlp = _blank_with_sentencizer()
    context = nlp.add_pipe("medspacy_context")
    sentencizer = nlp.get_pipe("sentencizer")

    def run(text: str, start: int, end: int) -> tuple[bool, bool]:
        doc = sentencizer(nlp.make_doc(text))
        span = _span(doc, start, end)
        if span is None:
            return False, False
        doc.ents = [span]
        doc = context(doc)
        ent = doc.ents[0]
        return bool(ent._.is_negated), bool(ent._.is_historical)

    return run


FACTORIES: dict[str, tuple[str, Callable[[], Engine]]] = {
    "ours": ("thrive_ml", ours),
    "negspacy": ("negspacy", negspacy_engine),
    "medspacy": ("medspacy", medspacy_engine),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--negex",
        type=Path,
        default=ROOT.parent / "shared" / "external" / "negex" / "negex_annotations.csv",
    )
    args = parser.parse_args()
    helpers = _sibling("safety_eval")
    rows, qa, missing = helpers.load_negex(args.negex)
    gold = [r["negation"] == "Negated" for r in rows]
    temporal = [i for i, r in enumerate(rows) if r["temporality"] in ("Recent", "Historical")]
    print(f"{len(rows)} rows ({qa} excluded for qa_note, {missing} target not found)\n")
    print("| engine | negation accuracy | precision | recall | historical agreement | rows/s |")
    print("|---|---|---|---|---|---|")
    for name, (module, factory) in FACTORIES.items():
        if importlib.util.find_spec(module) is None:
            print(f"| {name} | not installed in this venv | | | | |")
            continue
        engine = factory()
        engine(rows[0]["sentence"], *rows[0]["span"])  # warm up (lazy loading)
        t0 = time.perf_counter()
        out = [engine(r["sentence"], *r["span"]) for r in rows]
        rate = len(rows) / (time.perf_counter() - t0)
        sc = helpers.negation_scores(gold, [neg for neg, _ in out])
        if name == "negspacy":
            hist = "n/a (negation only)"
        else:
            agree = sum((rows[i]["temporality"] == "Historical") == out[i][1] for i in temporal)
            hist = f"{agree / len(temporal):.3f}"
        print(
            f"| {name} | {sc['accuracy']:.3f} | {sc['precision']:.3f} | {sc['recall']:.3f} "
            f"| {hist} | {rate:,.0f} |"
        )


if __name__ == "__main__":
    main()
