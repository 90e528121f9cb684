"""Dependencies as types: the runtime, and the caller's key checked for a role.

Roles: `triage` asks for suggestions, `reviewer` works the review queue, `admin` audits and
reloads and may do everything the others do. A missing or unknown key is 401; a known key
without the role is 403. Keys are compared by hash and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from serve.runtime import Runtime
from thrive_ml.store.keys import KeyInfo
from thrive_ml.store.tables import Role

GRANTS: dict[Role, frozenset[Role]] = {
    Role.TRIAGE: frozenset({Role.TRIAGE}),
    Role.REVIEWER: frozenset({Role.REVIEWER}),
    Role.ADMIN: frozenset({Role.ADMIN, Role.TRIAGE, Role.REVIEWER}),
}
"""Which roles each kind of key holds. Kept as data so the policy is read in one place."""

_bearer = HTTPBearer(auto_error=False, description="An API key from `thrive-ml keys create`.")


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def authenticate(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> KeyInfo:
    """The caller's key from the Authorization header (the API never reads the page cookie,
    so a browser session cannot be used to call it cross-site)."""
    raw = credentials.credentials if credentials else None
    if not raw:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing API key: send `Authorization: Bearer <key>` (create one with "
            "`thrive-ml keys create --role ROLE --name NAME`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # In the event loop, not a worker thread: one indexed lookup on a pooled connection is
    # cheaper than the thread hand-off (measured under load with py-spy).
    key = runtime.keys.authenticate(raw)
    if key is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked API key; ask an admin for a new one",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return key


def holds(key: KeyInfo, *roles: Role) -> bool:
    return bool(GRANTS[key.role] & set(roles))


def check_role(key: KeyInfo, *roles: Role) -> KeyInfo:
    """The key if it holds any of `roles`, else 403 saying which role is needed."""
    if not holds(key, *roles):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"key '{key.name}' has role {key.role.value}; this needs "
            f"{' or '.join(sorted(r.value for r in roles))}",
        )
    return key


def require(*roles: Role) -> Callable[..., KeyInfo]:
    """A dependency that lets through keys holding any of `roles`."""

    async def check(key: Annotated[KeyInfo, Depends(authenticate)]) -> KeyInfo:
        return check_role(key, *roles)

    return check


TriageKey = Annotated[KeyInfo, Depends(require(Role.TRIAGE))]
ReviewerKey = Annotated[KeyInfo, Depends(require(Role.REVIEWER))]
ReaderKey = Annotated[KeyInfo, Depends(require(Role.TRIAGE, Role.REVIEWER))]
AdminKey = Annotated[KeyInfo, Depends(require(Role.ADMIN))]
