"""The web pages: sign in, triage a referral, work the review queue, audit, the model.

Server-rendered (Jinja2, autoescaped) over the same library calls as the JSON API: a
suggestion comes from `runtime.batcher.triage` and is recorded by `serve.routers.triage.record`
before it is shown; a review goes through `serve.routers.reviews.record_review`. Everything on
a page is read from a `TriageResult` or a store record; nothing here decides anything.
Sessions and CSRF: `serve.web`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from markdown_it import MarkdownIt
from pydantic import ValidationError

from serve.deps import RuntimeDep
from serve.errors import validation_body
from serve.highlight import number_mentions, pieces
from serve.routers.audit import export_response
from serve.routers.reviews import record_review
from serve.routers.triage import record
from serve.runtime import Runtime
from serve.schemas import MAX_COMMENT_CHARS, ReviewRequest, TriageRequest
from serve.views import prediction_out, summary
from serve.web import (
    SIGN_IN_REASONS,
    AdminUser,
    CsrfForm,
    PageRoute,
    PageUserDep,
    ReaderUser,
    ReviewerUser,
    SignInNeededError,
    TriageUser,
    end_session,
    ensure_csrf,
    flash,
    page_user,
    render,
    safe_next,
    sign_in_url,
    start_session,
    title,
    words,
)
from thrive_ml.batch import MAX_TEXT_CHARS
from thrive_ml.config import get_settings
from thrive_ml.errors import InputFormatError, PredictionNotFoundError
from thrive_ml.safety import rules_version
from thrive_ml.store.records import StoredPrediction
from thrive_ml.store.tables import Role
from thrive_ml.taxonomy import (
    CONTEXT_DEFINITIONS,
    THRIVE_DEFINITIONS,
    ContextStatus,
    ExclusionFactor,
    ReviewReason,
    RiskIndicator,
    ThriveGroup,
    risk_reason,
)
from thrive_ml.triage import MODEL_RISK_REASON, POSSIBLE_RISK_REASON

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50
SEE_OTHER = status.HTTP_303_SEE_OTHER

RISK_REASONS = {risk_reason(i): i for i in RiskIndicator}


def home_for(role: Role) -> str:
    """Where a role starts: reviewers at the queue, everyone else at the triage form."""
    return "/reviews" if role == Role.REVIEWER else "/triage"


def reason_words(reason: str) -> str:
    """A review reason in a sentence a triage worker can act on."""
    if reason in RISK_REASONS:
        indicator = words(RISK_REASONS[reason])
        return (
            f"Risk mention ({indicator}): the safety rules found {indicator} mentioned about "
            "this child, now, in the past or as a possibility. Rules always send these to a person."
        )
    if reason == MODEL_RISK_REASON:
        return f"The model suggests {title(ThriveGroup.GETTING_RISK_SUPPORT)}."
    if reason == POSSIBLE_RISK_REASON:
        return (
            "Possible risk wording: a learned second reader found a sentence that reads like "
            "risk, though the safety rules recognised no risk words in it. A person must read it."
        )
    if reason == ReviewReason.LOW_CONFIDENCE:
        return (
            "Low confidence: the two most likely groups are close. Read the referral rather "
            "than lean on the suggestion."
        )
    if reason == ReviewReason.NOT_A_REFERRAL:
        return "This does not read like a referral (a greeting, a list or unclear text)."
    return words(reason)


def reason_options() -> list[tuple[str, str]]:
    """The review reasons a queue can be filtered by, as (value, label)."""
    options = [(r, f"Risk: {words(i)}") for r, i in RISK_REASONS.items()]
    options.append((MODEL_RISK_REASON, f"Model suggests {title(ThriveGroup.GETTING_RISK_SUPPORT)}"))
    options.append((POSSIBLE_RISK_REASON, "Possible risk wording (learned reader)"))
    options += [(r.value, words(r).capitalize()) for r in ReviewReason]
    return options


def case_context(stored: StoredPrediction) -> dict[str, Any]:
    """What a page needs to show one recorded suggestion, highlighted text included."""
    case = prediction_out(stored)
    result = case.result
    mentions = number_mentions(result.risk_flags)
    return {
        "case": case,
        "result": result,
        "mentions": mentions,
        "pieces": pieces(case.text, mentions, result.explanations, result.possible_risk),
        "groups": [(g, result.thrive_probabilities.get(g, 0.0)) for g in ThriveGroup],
        "factors": [(f, result.exclusion_probabilities.get(f, 0.0)) for f in ExclusionFactor],
        "reasons": [
            reason_words(r) + "".join(f" The sentence: “{p.text}”." for p in result.possible_risk)
            if r == POSSIBLE_RISK_REASON
            else reason_words(r)
            for r in result.review_reasons
        ],
        "group_definition": THRIVE_DEFINITIONS[result.thrive_group].summary,
        "statuses": {s: CONTEXT_DEFINITIONS[s].summary for s in ContextStatus},
    }


async def load_case(runtime: Runtime, prediction_id: str) -> StoredPrediction:
    stored = await run_in_threadpool(runtime.store.get_prediction, prediction_id)
    if stored is None:
        raise PredictionNotFoundError(
            "there is no recorded suggestion with that id; check the link, or find the case "
            "in the review queue"
        )
    return stored


def sentence(message: str) -> str:
    """A library message ("text is empty ...") as a sentence on a page."""
    return message[:1].upper() + message[1:]


def _blank(value: str | None) -> str | None:
    """Empty form fields mean 'any'."""
    return value.strip() or None if value is not None else None


# -- sign in and out -----------------------------------------------------------------------------


@router.get("/")
async def index(request: Request, runtime: RuntimeDep) -> Response:
    try:
        user = await page_user(request, runtime)
    except SignInNeededError:
        return RedirectResponse("/sign-in", SEE_OTHER)
    return RedirectResponse(home_for(user.role), SEE_OTHER)


@router.get("/sign-in")
async def sign_in_form(
    request: Request,
    reason: Annotated[str, Query(max_length=20)] = "",
    next: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    ensure_csrf(request)
    return render(
        request,
        "sign_in.html",
        {"message": SIGN_IN_REASONS.get(reason), "next": safe_next(next)},
    )


@router.post("/sign-in")
async def sign_in(request: Request, runtime: RuntimeDep, form: CsrfForm) -> Response:
    raw = form.get("key")
    next_path = safe_next(form.get("next"))
    key = None
    if isinstance(raw, str) and raw.strip():
        key = await run_in_threadpool(runtime.keys.authenticate, raw.strip())
    if key is None:
        return render(
            request,
            "sign_in.html",
            {
                "error": "That key was not recognised, or it has been revoked. Paste the whole "
                "key (it starts with thr_), or ask an admin for a new one.",
                "next": next_path,
            },
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    start_session(request, key)
    return RedirectResponse(next_path or home_for(key.role), SEE_OTHER)


@router.post("/sign-out")
async def sign_out(request: Request, _: CsrfForm) -> Response:
    end_session(request)
    return RedirectResponse(sign_in_url("signed-out"), SEE_OTHER)


# -- triage --------------------------------------------------------------------------------------


@router.get("/triage")
async def triage_form(request: Request, _: TriageUser) -> Response:
    return render(request, "triage.html", {"max_chars": MAX_TEXT_CHARS})


@router.post("/triage")
async def triage_submit(
    request: Request, runtime: RuntimeDep, user: TriageUser, form: CsrfForm
) -> Response:
    text = form.get("text")
    try:
        body = TriageRequest(text=text if isinstance(text, str) else "")
    except ValidationError as exc:
        return render(
            request,
            "triage.html",
            {
                "error": sentence(validation_body(list(exc.errors())).detail),
                "text": text if isinstance(text, str) else "",
                "max_chars": MAX_TEXT_CHARS,
            },
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    runtime.current()  # 503 page before any work if no model is loaded
    result = await runtime.batcher.triage(body.text)
    (out,) = await record(runtime, [result], [body.text], user.name)
    # Post/redirect/get: reloading the result page does not triage (and record) it again.
    return RedirectResponse(f"/predictions/{out['prediction_id']}", SEE_OTHER)


@router.get("/predictions/{prediction_id}")
async def prediction_page(
    request: Request, prediction_id: str, runtime: RuntimeDep, _: ReaderUser
) -> Response:
    stored = await load_case(runtime, prediction_id)
    return render(request, "prediction.html", case_context(stored))


# -- review queue --------------------------------------------------------------------------------


def _queue_filters(state: str, reason: str | None, group: str | None) -> dict[str, str]:
    return {k: v for k, v in (("state", state), ("reason", reason), ("group", group)) if v}


@router.get("/reviews")
async def review_queue(
    request: Request,
    runtime: RuntimeDep,
    _: ReviewerUser,
    state: Annotated[str, Query(max_length=20)] = "pending",
    reason: Annotated[str | None, Query(max_length=80)] = None,
    group: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    reason, group = _blank(reason), _blank(group)
    filters = _queue_filters(state, reason, group)
    rows, error = [], None
    try:
        rows = await run_in_threadpool(
            runtime.store.review_queue,
            state=state,
            reason=reason,
            group=group,
            limit=PAGE_SIZE,
            offset=offset,
        )
    except InputFormatError as exc:
        error = str(exc)
    return render(
        request,
        "reviews.html",
        {
            "rows": [summary(r) for r in rows],
            "filters": filters,
            "state": state,
            "reason": reason or "",
            "group": group or "",
            "reason_options": reason_options(),
            "reasons_in_words": dict(reason_options()),
            "groups": list(ThriveGroup),
            "offset": offset,
            "page_size": PAGE_SIZE,
            "error": error,
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


def _case_page(
    request: Request,
    stored: StoredPrediction,
    filters: dict[str, str],
    status_code: int = 200,
    error: str | None = None,
    chosen: dict[str, Any] | None = None,
) -> Response:
    context = case_context(stored)
    latest = stored.latest_review
    result = context["result"]
    default = {
        "group": latest.thrive_group if latest else result.thrive_group,
        "factors": set(latest.exclusion_factors if latest else result.exclusion_factors),
        "comment": "",
    }
    return render(
        request,
        "case.html",
        {
            **context,
            "filters": filters,
            "chosen": chosen or default,
            "error": error,
            "max_comment": MAX_COMMENT_CHARS,
            "all_groups": list(ThriveGroup),
            "all_factors": list(ExclusionFactor),
        },
        status_code=status_code,
    )


@router.get("/reviews/{prediction_id}")
async def review_case(
    request: Request,
    prediction_id: str,
    runtime: RuntimeDep,
    _: ReviewerUser,
    state: Annotated[str, Query(max_length=20)] = "pending",
    reason: Annotated[str | None, Query(max_length=80)] = None,
    group: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    stored = await load_case(runtime, prediction_id)
    return _case_page(request, stored, _queue_filters(state, _blank(reason), _blank(group)))


@router.post("/reviews/{prediction_id}")
async def review_submit(
    request: Request,
    prediction_id: str,
    runtime: RuntimeDep,
    user: ReviewerUser,
    form: CsrfForm,
) -> Response:
    stored = await load_case(runtime, prediction_id)
    filters = _queue_filters(
        _field(form, "state", 20) or "pending",
        _field(form, "reason", 80),
        _field(form, "group_filter", 40),
    )
    fields = {
        "thrive_group": form.get("thrive_group"),
        "exclusion_factors": form.getlist("exclusion_factors"),
        "comment": form.get("comment") or "",
    }
    try:
        body = ReviewRequest.model_validate(fields)
    except ValidationError as exc:
        message = sentence(validation_body(list(exc.errors())).detail)
        if fields["thrive_group"] is None:
            message = "Choose the THRIVE group you judge right, then save."
        chosen = {
            "group": fields["thrive_group"],
            "factors": set(fields["exclusion_factors"]),
            "comment": fields["comment"],
        }
        return _case_page(
            request, stored, filters, status.HTTP_422_UNPROCESSABLE_CONTENT, message, chosen
        )
    saved = await record_review(runtime, prediction_id, body, user.name)
    following = await run_in_threadpool(
        runtime.store.review_queue,
        state="pending",
        reason=filters.get("reason"),
        group=filters.get("group"),
        limit=1,
    )
    done = f"Review saved ({saved.decision.value}: {title(saved.thrive_group)})."
    if following:
        flash(request, f"{done} This is the next pending case, oldest first.")
        target = f"/reviews/{following[0].prediction_id}"
    else:
        flash(request, f"{done} No more pending cases match these filters.")
        target = "/reviews"
    query = urlencode({**filters, "state": "pending"} if following else filters)
    return RedirectResponse(f"{target}?{query}" if query else target, SEE_OTHER)


def _field(form: Any, name: str, limit: int) -> str | None:
    value = form.get(name)
    return _blank(value[:limit]) if isinstance(value, str) else None


# -- audit ---------------------------------------------------------------------------------------


@router.get("/audit")
async def audit_page(
    request: Request,
    runtime: RuntimeDep,
    _: AdminUser,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    model_version: Annotated[str | None, Query(max_length=64)] = None,
    review_state: Annotated[str | None, Query(max_length=20)] = None,
    verify: Annotated[bool, Query()] = False,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    search = {
        "since": _blank(since),
        "until": _blank(until),
        "model_version": _blank(model_version),
        "review_state": _blank(review_state),
    }
    rows, error = [], None
    try:
        rows = await run_in_threadpool(
            runtime.store.search, **search, limit=PAGE_SIZE, offset=offset
        )
    except InputFormatError as exc:
        error = str(exc)
    report = await run_in_threadpool(runtime.store.verify) if verify else None
    return render(
        request,
        "audit.html",
        {
            "rows": [summary(r) for r in rows],
            "search": {k: v or "" for k, v in search.items()},
            "query": {k: v for k, v in search.items() if v},
            "report": report,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "error": error,
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


@router.get("/audit/export")
async def audit_export(runtime: RuntimeDep, _: AdminUser) -> FileResponse:
    return await export_response(runtime)


# -- model ---------------------------------------------------------------------------------------


def cached_model_card(version: str) -> str | None:
    """The champion's model card, if it is cached beside the model (models/v{N}/model_card.md).

    The registry logs the card as a run artifact (`cards/model_card.md`) but does not yet
    cache it with the model, so this is often None and the page says where the card is.
    """
    path = get_settings().model_cache_dir / f"v{version}" / "model_card.md"
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except OSError:
        return None


def card_html(markdown: str) -> str:
    """The card as HTML. Raw HTML in the card is escaped (html=False), links are checked.

    Its headings move down two levels so they sit under the page's own h1 and h2.
    """
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    for level in (4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>")
        html = html.replace(f"</h{level}>", f"</h{level + 2}>")
    return html


@router.get("/model")
async def model_page(request: Request, runtime: RuntimeDep, _: PageUserDep) -> Response:
    triager = runtime.current()
    card = await run_in_threadpool(cached_model_card, triager.model_version)
    return render(
        request,
        "model.html",
        {
            "model_version": triager.model_version,
            "rules_version": rules_version(),
            "metrics": sorted(runtime.headline.items()),
            "loaded_at": runtime.loaded_at,
            "card_html": card_html(card) if card else None,
            "model_dir": str(get_settings().model_cache_dir),
        },
    )
