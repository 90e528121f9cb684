"""The audit store: every suggestion and every review decision, append-only and hash-chained.

Why it exists: a suggestion that reaches triage staff must be traceable to the text, model and
rules that produced it, and a reviewer's correction must never overwrite what was suggested.
So records are only ever inserted, each chained to the one before (`chain.py`), and the service
sends a result only after its record has committed (`AuditWriter` batches those commits).

Every database failure surfaces as `StoreUnavailableError` (the service answers 503) with a
message that names the store, never the referral text or query parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from uuid import uuid4

from sqlalchemy import Engine, Select, exists, func, insert, select, text, true, update
from sqlalchemy.orm import Session, aliased

from thrive_ml.errors import (
    InputFormatError,
    OutputPathError,
    PredictionNotFoundError,
    StoreUnavailableError,
)
from thrive_ml.store.chain import (
    GENESIS,
    HASHED_COLUMNS,
    canonical_json,
    record_hash,
    utc_stamp,
)
from thrive_ml.store.db import db_errors, make_engine, safe_url, write_engine
from thrive_ml.store.records import (
    Decision,
    NewPrediction,
    ReviewDecision,
    StoredPrediction,
    StoredReview,
    VerifyReport,
    check_decision,
    check_key_name,
)
from thrive_ml.store.tables import AuditRecord, ChainHead, RecordKind
from thrive_ml.taxonomy import ThriveGroup

__all__ = [
    "AuditStore",
    "Decision",
    "NewPrediction",
    "ReviewDecision",
    "StoredPrediction",
    "StoredReview",
    "VerifyReport",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MAX_PAGE = 1000
MAX_PROBLEMS = 100
# Exported reviewed cases are a "voice" of their own, so evaluation can slice them out.
EXPORT_VOICE = "reviewed"
_PREDICTION_ID = re.compile(r"[0-9a-f]{32}")
# Any constant shared by every thrive-ml process: serialises concurrent migrations on PostgreSQL.
_MIGRATION_LOCK = 0x7468_7269_7665

QueueState = Literal["pending", "reviewed", "all"]
ReviewState = Literal["reviewed", "unreviewed"]


class AuditStore:
    """Append-only, hash-chained records of predictions and reviews, on SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = make_engine(url)
        self._writer = write_engine(self._engine)

    @property
    def engine(self) -> Engine:
        """The engine for reads (and for `KeyStore`); pooled, shared by all threads."""
        return self._engine

    @property
    def write_engine(self) -> Engine:
        """Same pool; its transactions take the write lock at BEGIN on SQLite."""
        return self._writer

    # -- lifecycle ----------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest migration; safe to call on every start."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
        with self._db_errors("migrate the schema"), self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def ping(self) -> None:
        """Raise `StoreUnavailableError` unless the database answers and is migrated."""
        with (
            self._db_errors("reach the database and read the chain head"),
            self._engine.connect() as conn,
        ):
            head = conn.execute(select(ChainHead.seq).where(ChainHead.id == 1)).first()
        if head is None:
            raise StoreUnavailableError(
                f"the audit store at {safe_url(self.url)} has no chain head row; "
                "run `thrive-ml audit verify` and restore it from a backup"
            )

    def dispose(self) -> None:
        """Close pooled connections (a new connection is opened on next use)."""
        self._engine.dispose()

    # -- writes -------------------------------------------------------------------------------

    def append_predictions(self, items: Sequence[NewPrediction]) -> list[StoredPrediction]:
        """Record a batch in ONE transaction (group commit), consecutive seqs, chained."""
        if not items:
            return []
        rows: list[dict[str, Any]] = []
        with self._db_errors("record the predictions"), self._write_session() as session:
            seq, prev = self._lock_head(session)
            for item in items:
                seq += 1
                fields = _prediction_fields(item, seq, prev)
                rows.append(fields)
                prev = fields["hash"]
            session.execute(insert(AuditRecord), rows)
            self._move_head(session, seq, prev)
        return [
            StoredPrediction(
                prediction_id=row["prediction_id"],
                seq=row["seq"],
                created_at=row["created_at"],
                key_name=row["key_name"],
                text=row["text"],
                result=json.loads(row["payload"]),
                reviews=[],
            )
            for row in rows
        ]

    def append_review(
        self, prediction_id: str, decision: ReviewDecision, key_name: str
    ) -> StoredReview:
        """Record a reviewer's decision; earlier decisions on the same prediction are kept."""
        group, factors, comment = check_decision(decision)
        check_key_name(key_name)
        if not _is_prediction_id(prediction_id):
            raise _not_found(prediction_id)
        with self._db_errors("record the review"), self._write_session() as session:
            seq, prev = self._lock_head(session)
            predicted = session.scalars(_prediction_query(prediction_id)).first()
            if predicted is None:
                raise _not_found(prediction_id)
            suggested = json.loads(predicted.payload)
            same = group.value == predicted.thrive_group and {f.value for f in factors} == set(
                suggested.get("exclusion_factors", [])
            )
            body = {
                "decision": (Decision.CONFIRMED if same else Decision.CORRECTED).value,
                "thrive_group": group.value,
                "exclusion_factors": [f.value for f in factors],
                "comment": comment,
            }
            fields: dict[str, Any] = {
                "seq": seq + 1,
                "kind": RecordKind.REVIEW.value,
                "prediction_id": prediction_id,
                "created_at": utc_stamp(),
                "key_name": key_name,
                # The reviewed prediction's versions, so reviews can be searched by model.
                "model_version": predicted.model_version,
                "rules_version": predicted.rules_version,
                "text": None,
                "payload": canonical_json(body),
                "thrive_group": group.value,
                "needs_review": False,
                "review_reasons": "[]",
                "prev_hash": prev,
            }
            fields["hash"] = record_hash(prev, fields)
            session.execute(insert(AuditRecord), [fields])
            self._move_head(session, seq + 1, fields["hash"])
        return StoredReview(
            seq=fields["seq"],
            prediction_id=prediction_id,
            created_at=fields["created_at"],
            reviewer=key_name,
            decision=Decision(body["decision"]),
            thrive_group=group,
            exclusion_factors=factors,
            comment=comment,
        )

    # -- reads --------------------------------------------------------------------------------

    def get_prediction(self, prediction_id: str) -> StoredPrediction | None:
        """A recorded prediction with all its reviews, or None if there is no such id."""
        if not _is_prediction_id(prediction_id):
            return None
        with self._db_errors("read the prediction"), Session(self._engine) as session:
            row = session.scalars(_prediction_query(prediction_id)).first()
            if row is None:
                return None
            reviews = _reviews_for(session, [prediction_id])
            return StoredPrediction.from_row(row, reviews.get(prediction_id, []))

    def review_queue(
        self,
        state: QueueState = "pending",
        reason: str | None = None,
        group: str | None = None,
        model_version: str | None = None,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StoredPrediction]:
        """Predictions that need human review, oldest first.

        `state`: "pending" (no review yet), "reviewed" or "all". `reason`: an exact review
        reason such as `risk:self_harm`. `group`: the suggested group. `since` is inclusive and
        `until` exclusive (ISO-8601; a date alone means midnight UTC).
        """
        if state not in ("pending", "reviewed", "all"):
            raise InputFormatError(f"state must be pending, reviewed or all, not {state!r}")
        stmt = select(AuditRecord).where(
            AuditRecord.kind == RecordKind.PREDICTION.value, AuditRecord.needs_review == true()
        )
        if state != "all":
            stmt = _where_reviewed(stmt, state == "reviewed")
        if reason is not None:
            # The reasons column is a canonical JSON list: a quoted element matches exactly.
            stmt = stmt.where(
                AuditRecord.review_reasons.contains(canonical_json(str(reason)), autoescape=True)
            )
        if group is not None:
            stmt = stmt.where(AuditRecord.thrive_group == _check_group(group))
        stmt = _where_common(stmt, model_version, since, until)
        return self._page(stmt.order_by(AuditRecord.seq), limit, offset)

    def search(
        self,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        model_version: str | None = None,
        review_state: ReviewState | None = None,
        needs_review: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StoredPrediction]:
        """Predictions for admins, newest first; every filter is optional."""
        if review_state not in (None, "reviewed", "unreviewed"):
            raise InputFormatError(
                f"review_state must be reviewed or unreviewed, not {review_state!r}"
            )
        stmt = select(AuditRecord).where(AuditRecord.kind == RecordKind.PREDICTION.value)
        if review_state is not None:
            stmt = _where_reviewed(stmt, review_state == "reviewed")
        if needs_review is not None:
            stmt = stmt.where(AuditRecord.needs_review == bool(needs_review))
        stmt = _where_common(stmt, model_version, since, until)
        return self._page(stmt.order_by(AuditRecord.seq.desc()), limit, offset)

    def counts(self) -> dict[str, int]:
        """Totals for monitoring: predictions, needing review, still pending, reviews."""
        record = AuditRecord
        predictions = select(func.count()).where(record.kind == RecordKind.PREDICTION.value)
        flagged = predictions.where(record.needs_review == true())
        pending = _where_reviewed(flagged, reviewed=False)
        reviews = select(func.count()).where(record.kind == RecordKind.REVIEW.value)
        with self._db_errors("count records"), Session(self._engine) as session:
            return {
                "predictions": session.scalar(predictions.select_from(record)) or 0,
                "needs_review": session.scalar(flagged.select_from(record)) or 0,
                "pending_review": session.scalar(pending.select_from(record)) or 0,
                "reviews": session.scalar(reviews.select_from(record)) or 0,
            }

    # -- integrity and export -----------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Walk the chain in seq order, recomputing every hash; name each problem found."""
        problems: list[str] = []
        dropped = 0

        def note(problem: str) -> None:
            nonlocal dropped
            if len(problems) < MAX_PROBLEMS:
                problems.append(problem)
            else:
                dropped += 1

        count, last, prev = 0, 0, GENESIS
        with self._db_errors("read the audit records"), self._snapshot() as conn:
            head = conn.execute(
                select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)
            ).first()
            columns = [AuditRecord.__table__.c[name] for name in (*HASHED_COLUMNS, "hash")]
            rows = conn.execute(
                select(*columns).order_by(AuditRecord.seq).execution_options(yield_per=1000)
            )
            for row in rows.mappings():
                count += 1
                seq = row["seq"]
                if seq > last + 1:
                    note(_missing(last + 1, seq - 1))
                elif row["prev_hash"] != prev:
                    note(
                        f"record {seq}: prev_hash does not match record {last}'s hash "
                        f"(record {last} edited or replaced?)"
                    )
                if record_hash(row["prev_hash"], row) != row["hash"]:
                    note(f"record {seq}: hash does not match its contents (edited?)")
                last, prev = seq, row["hash"]
        if head is None:
            note("chain head row is missing (deleted?): deleted newest records cannot be ruled out")
        elif head.seq > last:
            note(f"chain head says {head.seq} records, found {last} (newest deleted?)")
        elif head.seq < last:
            note(
                f"records {head.seq + 1}-{last} are beyond the chain head (added outside thrive-ml?)"
            )
        elif head.hash != prev:
            note(f"chain head hash does not match record {last} (newest edited?)")
        if dropped:
            problems.append(f"... and {dropped} more problems")
        return VerifyReport(ok=not problems, records=count, problems=problems)

    def export_reviewed(self, path: Path | str) -> int:
        """Reviewed cases as JSONL for retraining, each with its LATEST review's labels.

        Loads with `thrive_ml.datasets.load_labelled_jsonl`. Written to `PATH.part` and renamed,
        so a reader never sees half a file.
        """
        path = Path(path)
        part = path.with_name(path.name + ".part")
        predicted, review = aliased(AuditRecord), aliased(AuditRecord)
        latest = (
            select(AuditRecord.prediction_id, func.max(AuditRecord.seq).label("seq"))
            .where(AuditRecord.kind == RecordKind.REVIEW.value)
            .group_by(AuditRecord.prediction_id)
            .subquery()
        )
        stmt = (
            select(predicted, review)
            .join(latest, latest.c.prediction_id == predicted.prediction_id)
            .join(review, review.seq == latest.c.seq)
            .where(predicted.kind == RecordKind.PREDICTION.value)
            .order_by(predicted.seq)
            .execution_options(yield_per=500)
        )
        written, done = 0, False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with (
                part.open("w", encoding="utf-8") as handle,
                self._db_errors("read the reviewed predictions"),
                Session(self._engine) as session,
            ):
                for pred_row, review_row in session.execute(stmt):
                    handle.write(_export_line(pred_row, StoredReview.from_row(review_row)))
                    written += 1
            part.replace(path)
            done = True
        except OSError as exc:
            raise OutputPathError(
                f"cannot write {path} ({exc.strerror or type(exc).__name__}); "
                "choose a writable path"
            ) from None
        finally:
            if not done:
                part.unlink(missing_ok=True)
        return written

    # -- internals ----------------------------------------------------------------------------

    def _db_errors(self, doing: str) -> AbstractContextManager[None]:
        return db_errors("audit store", self.url, doing)

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock from BEGIN, committed on exit."""
        with Session(self._writer) as session, session.begin():
            yield session

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A read transaction that sees one consistent state of the chain and its head."""
        with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _lock_head(self, session: Session) -> tuple[int, str]:
        head = session.execute(
            select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1).with_for_update()
        ).first()
        if head is None:
            raise StoreUnavailableError(
                f"the audit store at {safe_url(self.url)} has no chain head row, so nothing can "
                "be appended; run `thrive-ml audit verify` and restore it from a backup"
            )
        return head.seq, head.hash

    @staticmethod
    def _move_head(session: Session, seq: int, hash_: str) -> None:
        session.execute(update(ChainHead).where(ChainHead.id == 1).values(seq=seq, hash=hash_))

    def _page(self, stmt: Select[Any], limit: int, offset: int) -> list[StoredPrediction]:
        if not (isinstance(limit, int) and 1 <= limit <= MAX_PAGE):
            raise InputFormatError(f"limit must be between 1 and {MAX_PAGE}")
        if not (isinstance(offset, int) and offset >= 0):
            raise InputFormatError("offset must be 0 or more")
        with self._db_errors("read predictions"), Session(self._engine) as session:
            rows = session.scalars(stmt.limit(limit).offset(offset)).all()
            reviews = _reviews_for(session, [row.prediction_id for row in rows])
            return [StoredPrediction.from_row(r, reviews.get(r.prediction_id, [])) for r in rows]


def _prediction_fields(item: NewPrediction, seq: int, prev: str) -> dict[str, Any]:
    result = item.result
    fields: dict[str, Any] = {
        "seq": seq,
        "kind": RecordKind.PREDICTION.value,
        "prediction_id": uuid4().hex,
        "created_at": utc_stamp(),
        "key_name": item.key_name,
        "model_version": str(result["model_version"]),
        "rules_version": str(result["rules_version"]),
        "text": item.text,
        "payload": canonical_json(result),
        "thrive_group": str(result["thrive_group"]),
        "needs_review": bool(result["needs_human_review"]),
        "review_reasons": canonical_json([str(r) for r in result["review_reasons"]]),
        "prev_hash": prev,
    }
    fields["hash"] = record_hash(prev, fields)
    return fields


def _prediction_query(prediction_id: str) -> Select[tuple[AuditRecord]]:
    return select(AuditRecord).where(
        AuditRecord.kind == RecordKind.PREDICTION.value,
        AuditRecord.prediction_id == prediction_id,
    )


def _reviews_for(session: Session, prediction_ids: list[str]) -> dict[str, list[StoredReview]]:
    """Every review of these predictions, grouped by prediction, oldest first."""
    found: dict[str, list[StoredReview]] = {}
    if not prediction_ids:
        return found
    rows = session.scalars(
        select(AuditRecord)
        .where(
            AuditRecord.kind == RecordKind.REVIEW.value,
            AuditRecord.prediction_id.in_(prediction_ids),
        )
        .order_by(AuditRecord.seq)
    )
    for row in rows:
        found.setdefault(row.prediction_id, []).append(StoredReview.from_row(row))
    return found


def _where_reviewed(stmt: Select[Any], reviewed: bool) -> Select[Any]:
    review = aliased(AuditRecord)
    has_review = exists().where(
        review.kind == RecordKind.REVIEW.value,
        review.prediction_id == AuditRecord.prediction_id,
    )
    return stmt.where(has_review if reviewed else ~has_review)


def _where_common(
    stmt: Select[Any],
    model_version: str | None,
    since: str | datetime | None,
    until: str | datetime | None,
) -> Select[Any]:
    if model_version is not None:
        stmt = stmt.where(AuditRecord.model_version == str(model_version))
    if since is not None:
        stmt = stmt.where(AuditRecord.created_at >= _stamp_bound(since, "since"))
    if until is not None:
        stmt = stmt.where(AuditRecord.created_at < _stamp_bound(until, "until"))
    return stmt


def _stamp_bound(value: str | datetime, name: str) -> str:
    """A user's time bound in the stored format, so text comparison is time comparison."""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputFormatError(
                f"{name} must be an ISO-8601 date or time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z"
            ) from None
    if not isinstance(moment, datetime):
        raise InputFormatError(f"{name} must be an ISO-8601 date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_stamp(moment)


def _check_group(group: str) -> str:
    try:
        return ThriveGroup(group).value
    except ValueError:
        raise InputFormatError(
            f"unknown thrive_group {str(group)[:40]!r}; "
            f"allowed: {', '.join(g.value for g in ThriveGroup)}"
        ) from None


def _is_prediction_id(value: object) -> bool:
    return isinstance(value, str) and _PREDICTION_ID.fullmatch(value) is not None


def _not_found(prediction_id: object) -> PredictionNotFoundError:
    return PredictionNotFoundError(
        f"no prediction with id {str(prediction_id)[:40]!r}; use the 32-character "
        "prediction_id returned by POST /v1/triage"
    )


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"record {first} missing (deleted?)"
    return f"records {first}-{last} missing (deleted?)"


def _export_line(predicted: AuditRecord, review: StoredReview) -> str:
    line = {
        "id": predicted.prediction_id,
        "text": predicted.text,
        "thrive_group": review.thrive_group.value,
        "exclusion_factors": [f.value for f in review.exclusion_factors],
        "voice": EXPORT_VOICE,
        "decision": review.decision.value,
        "suggested_group": predicted.thrive_group,
        "model_version": predicted.model_version,
        "reviewer": review.reviewer,
        "reviewed_at": review.created_at,
    }
    return json.dumps(line, ensure_ascii=False) + "\n"
