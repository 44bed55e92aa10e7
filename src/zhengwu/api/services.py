"""The only writers of API tokens. Creating and revoking a token are audited in the same
transaction; the plaintext key is returned once by `api_token_create` and never stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org.models import Person

from .models import ApiToken

OBJ = "api.token"
KEY_PREFIX = "zw_"  # every key starts with it, so a leaked key is easy to recognise in logs
PREFIX_CHARS = 8  # random characters of the key shown as its visible prefix
KEY_BYTES = 32  # entropy of the random part
MAX_NAME = ApiToken._meta.get_field("name").max_length
# `last_used` is a usage stamp, not a change of the record: it is not audited (one audit row per
# API call would drown the trail) and written at most once per interval per token.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _may_manage(actor: Person | None, person: Person) -> bool:
    """The system (CLI / management command), the person themselves, or a security administrator
    (credentials are his remit, 三权分立)."""
    from zhengwu.security import roles

    return actor is None or actor.pk == person.pk or roles.SECURITY in roles.kinds_of(actor)


def api_token_create(*, actor: Person | None, person: Person, name: str) -> tuple[ApiToken, str]:
    """Create a token for `person`; return it and its plaintext key (shown once, never stored)."""
    if person is None or getattr(person, "pk", None) is None:
        raise Refused("请指定令牌所属人员", field="person")
    if not person.is_active:
        raise Refused(f"{person}已停用，不能创建令牌", field="person")
    if not _may_manage(actor, person):
        raise Forbidden("只能为本人创建 API 令牌")
    from zhengwu.security import roles

    if roles.is_administrator(person):
        raise Refused(f"{person}是管理员账号：接口用于办理业务，管理员账号不能持有 API 令牌（三权分立）", field="person")
    name = (name or "").strip()
    if not name:
        raise Refused("请填写令牌名称（用途）", field="name")
    if len(name) > MAX_NAME:
        raise Refused(f"令牌名称不能超过{MAX_NAME}字", field="name")
    plaintext = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    prefix = plaintext[:len(KEY_PREFIX) + PREFIX_CHARS]
    with transaction.atomic():
        token = ApiToken.objects.create(person=person, name=name, prefix=prefix, key_hash=key_hash(plaintext))
        audit_append(actor=actor, action="api.token.create", obj_type=OBJ, obj_id=str(token.pk),
                     after={"person": person.pk, "name": name, "prefix": prefix},
                     summary=f"为{person}创建 API 令牌“{name}”（{prefix}…）")
    return token, plaintext


def api_token_revoke(*, actor: Person | None, token_id: int) -> ApiToken:
    """Revoke a token at once: later requests with it are refused (401)."""
    token = ApiToken.objects.select_related("person").filter(pk=token_id).first()
    if token is None:
        raise NotFound(f"令牌{token_id}不存在", field="token_id")
    if not _may_manage(actor, token.person):
        raise Forbidden("只能吊销本人的 API 令牌")
    with transaction.atomic():
        now = timezone.now()
        if not ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=now):
            raise Refused("该令牌已吊销", field="token_id", status=409)
        token.revoked = now
        audit_append(actor=actor, action="api.token.revoke", obj_type=OBJ, obj_id=str(token.pk),
                     before={"revoked": None}, after={"revoked": now.isoformat()},
                     summary=f"吊销{token.person}的 API 令牌“{token.name}”（{token.prefix}…）")
    return token


def api_token_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Stamp `last_used` (at most once per TOUCH_INTERVAL; a conditional update, no audit row)."""
    now = now or timezone.now()
    if token.last_used is not None and now - token.last_used < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.last_used = now
