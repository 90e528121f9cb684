"""Command line: parse arguments, call the library, render the answer. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from thrive_ml.errors import InputFormatError, ThriveError

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
# soft_wrap: an error stays on one line whatever the terminal width (scripts grep for it).
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _fail(exc: ThriveError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=2)


def _progress_bar(show: bool) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
        transient=True,
    )


@app.callback()
def main() -> None:
    """thrive-ml: suggestions for triage staff, never decisions."""


@app.command()
def generate(
    n: Annotated[int, typer.Option("--n", help="How many referrals to generate (> 0).")] = 20000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; same N and seed, same bytes.")
    ] = 7,
    out_path: Annotated[Path, typer.Option("--out", help="CSV file to write.")] = Path(
        "data/generated/referrals.csv"
    ),
) -> None:
    """Generate labelled synthetic referrals (CSV), byte-identical for the same N and seed."""
    from thrive_ml.synthetic.generate import check_args, write_csv

    try:
        check_args(n, seed)
        show = n >= 1000 and sys.stderr.isatty()
        with _progress_bar(show) as progress:
            task = progress.add_task("generating referrals", total=n)
            count = write_csv(out_path, n, seed, on_row=lambda _: progress.advance(task))
    except ThriveError as exc:
        _fail(exc)
    out.print(f"wrote {count} referrals to {out_path}", highlight=False)


@app.command("audit-data")
def audit_data(
    data: Annotated[Path, typer.Option("--data", help="Generated referrals CSV.")] = Path(
        "data/generated/referrals.csv"
    ),
    dev: Annotated[Path, typer.Option("--dev", help="Hand-written dev set (JSONL).")] = Path(
        "../shared/eval/dev.jsonl"
    ),
    top: Annotated[int, typer.Option("--top", help="Top features to list per group.")] = 12,
) -> None:
    """Shortcut audit: does a plain bag-of-words model trained on our data transfer?"""
    from thrive_ml.synthetic.audit import render_report, run_audit

    try:
        report = run_audit(data, dev if dev.exists() else None, top=top)
    except ThriveError as exc:
        _fail(exc)
    out.print(render_report(report), highlight=False)


@app.command()
def train(
    data: Annotated[Path, typer.Option("--data", help="Generated referrals CSV.")] = Path(
        "data/generated/referrals.csv"
    ),
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help="Reviewed cases (JSONL) to add to training.")
    ] = None,
    lovo: Annotated[bool, typer.Option(help="Also run leave-one-voice-out (slower).")] = True,
    seed: Annotated[int, typer.Option(help="Random seed for splits and models.")] = 0,
) -> None:
    """Train, evaluate, log to MLflow, register a new version; promote it if the gates pass."""
    from thrive_ml.model.train import TrainParams
    from thrive_ml.registry import train_and_register

    try:
        with err.status("training") as status:
            outcome = train_and_register(
                data,
                TrainParams(seed=seed, lovo=lovo),
                feedback_path=feedback,
                progress=lambda msg: status.update(msg),
            )
    except ThriveError as exc:
        _fail(exc)
    out.print(
        f"registered thrive-referral-classifier version {outcome.version} (run {outcome.run_id})"
    )
    for key, value in sorted(outcome.headline.items()):
        out.print(f"  {key:40s} {value:.3f}")
    if outcome.promoted:
        out.print(f"promoted to champion: {'; '.join(outcome.gate_messages) or 'first version'}")
    else:
        out.print(f"[yellow]not promoted:[/] {'; '.join(outcome.gate_messages)}", highlight=False)


@app.command()
def predict(
    input_path: Annotated[
        Path, typer.Option("--input", help=".csv or .jsonl with a 'text' field.")
    ],
    output_path: Annotated[Path, typer.Option("--output", help="JSONL file of triage results.")],
) -> None:
    """Batch triage: one result per input row, same order. Suggestions, never decisions."""
    from thrive_ml.batch import predict_file
    from thrive_ml.registry import load_champion_triager

    try:
        if not input_path.is_file():
            raise InputFormatError(
                f"no input file at {input_path}; give a .csv or .jsonl with a 'text' field"
            )
        triager = load_champion_triager()
        with _progress_bar(sys.stderr.isatty()) as progress:
            task = progress.add_task("triaging referrals", total=None)
            written, errors = predict_file(
                triager, input_path, output_path, on_rows=lambda n: progress.advance(task, n)
            )
    except ThriveError as exc:
        _fail(exc)
    out.print(
        f"wrote {written} results to {output_path} ({errors} rows with errors); "
        "suggestions only: a person decides"
    )


models_app = typer.Typer(no_args_is_help=True, help="Registered model versions and promotion.")
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """Every registered version, with its gate figures; the champion is marked."""
    from rich.table import Table

    from thrive_ml.registry import list_versions

    try:
        versions = list_versions()
    except ThriveError as exc:
        _fail(exc)
    table = Table("version", "champion", "created (UTC)", "dev macro-F1", "safety recall", "rules")
    for v in versions:
        table.add_row(
            v.version,
            "yes" if v.champion else "",
            v.created,
            v.dev_macro_f1,
            v.safety_recall,
            v.rules_version,
        )
    out.print(table)


@models_app.command("champion")
def models_champion() -> None:
    """Print the champion's version; exit 1 if there is none (used by `make model`)."""
    from thrive_ml.registry import champion_version

    version = champion_version()
    if version is None:
        err.print("no champion registered yet; run `make model`")
        raise typer.Exit(code=1)
    out.print(version)


@models_app.command("promote")
def models_promote(
    version: Annotated[str, typer.Argument(help="Version number to make champion.")],
    force: Annotated[
        bool, typer.Option("--force", help="Skip the gates (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, when forcing; recorded.")
    ] = None,
) -> None:
    """Move the champion alias to VERSION if it passes the promotion gates."""
    from thrive_ml.registry import promote

    try:
        messages = promote(version, force=force, reason=reason)
    except ThriveError as exc:
        _fail(exc)
    out.print(f"version {version} is now champion ({'; '.join(messages) or 'gates passed'})")
