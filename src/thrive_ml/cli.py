"""Command line: parse arguments, call the library, render the answer. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    from thrive_ml.gc_settings import triage_gc
    from thrive_ml.registry import load_champion_triager

    try:
        if not input_path.is_file():
            raise InputFormatError(
                f"no input file at {input_path}; give a .csv or .jsonl with a 'text' field"
            )
        triager = load_champion_triager()
        with triage_gc(), _progress_bar(sys.stderr.isatty()) as progress:
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


keys_app = typer.Typer(
    no_args_is_help=True, help="API keys for the HTTP service (only hashes kept)."
)
app.add_typer(keys_app, name="keys")
audit_app = typer.Typer(no_args_is_help=True, help="The audit store: verify the chain, export.")
app.add_typer(audit_app, name="audit")


if TYPE_CHECKING:
    from thrive_ml.store import AuditStore


def _open_store() -> AuditStore:
    """The audit store at THRIVE_DATABASE_URL, migrated: every command can run on a new file."""
    from thrive_ml.config import get_settings
    from thrive_ml.store import AuditStore

    store = AuditStore(get_settings().database_url)
    store.migrate()
    return store


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help="triage, reviewer or admin.")],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key (unique).")],
) -> None:
    """Create an API key; it is printed once, on the last line. Only its hash is stored."""
    from thrive_ml.store import KeyStore, Role

    try:
        if role not in {r.value for r in Role}:
            raise InputFormatError(
                f"--role must be one of {', '.join(r.value for r in Role)}, not {role!r}"
            )
        key = KeyStore(_open_store()).create(name, Role(role))
    except ThriveError as exc:
        _fail(exc)
    out.print(
        f"created {role} key {name!r}; store it now, it cannot be shown again:", highlight=False
    )
    out.print(key, markup=False, highlight=False, emoji=False)


@keys_app.command("list")
def keys_list() -> None:
    """Every key's name, role and dates (never the key or its hash)."""
    from rich.table import Table

    from thrive_ml.store import KeyStore

    try:
        keys = KeyStore(_open_store()).list()
    except ThriveError as exc:
        _fail(exc)
    table = Table("name", "role", "created (UTC)", "revoked (UTC)")
    for info in keys:
        table.add_row(info.name, info.role.value, info.created_at, info.revoked_at or "")
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key at once; its name stays taken so audit records stay unambiguous."""
    from thrive_ml.store import KeyStore

    try:
        revoked = KeyStore(_open_store()).revoke(name)
    except ThriveError as exc:
        _fail(exc)
    out.print(f"revoked key {name!r}" if revoked else f"key {name!r} was already revoked")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 and list the problems if any record was edited or deleted."""
    try:
        report = _open_store().verify()
    except ThriveError as exc:
        _fail(exc)
    if report.ok:
        out.print(f"chain intact: {report.records} records")
        return
    for problem in report.problems:
        out.print(problem, markup=False, highlight=False)
    err.print(f"[bold red]audit chain broken:[/] {len(report.problems)} problems found")
    raise typer.Exit(code=1)


@audit_app.command("export")
def audit_export(
    out_path: Annotated[Path, typer.Option("--out", help="JSONL file to write.")],
) -> None:
    """Reviewed cases (latest review's labels) as JSONL, for `thrive-ml train --feedback`."""
    try:
        count = _open_store().export_reviewed(out_path)
    except ThriveError as exc:
        _fail(exc)
    out.print(f"wrote {count} reviewed cases to {out_path}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each loads the model; share one store).")
    ] = 1,
) -> None:
    """Serve the API and the web page (model: the registry's champion; store: THRIVE_DATABASE_URL)."""
    import os
    import secrets

    import uvicorn

    # Worker processes must sign page sessions with one secret, or a cookie signed by one
    # worker is refused by the next: make one for this run if none is configured.
    os.environ.setdefault("THRIVE_SESSION_SECRET", secrets.token_urlsafe(32))
    err.print(
        f"thrive-ml serving on http://{host}:{port}  (API docs at /docs); Ctrl+C stops",
        highlight=False,
    )
    # By import string: the service sits above the library and the CLI only starts it.
    uvicorn.run(
        "serve.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the service writes its own request log, without bodies
        log_level="warning",
    )
