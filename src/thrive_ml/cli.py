"""Command line: parse arguments, call the library, render the answer. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from thrive_ml.errors import ThriveError

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
# soft_wrap: an error stays on one line whatever the terminal width (scripts grep for it).
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _fail(exc: ThriveError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=2)


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
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=not show,
            transient=True,
        ) as progress:
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
