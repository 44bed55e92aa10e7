"""API tokens (令牌) for programs and phones calling /api/v1/. The key itself is never stored: only
its SHA-256 hash and a short visible prefix, so a stolen database does not hand out logins.

Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """One named bearer token of one person (`Authorization: Bearer <token>`)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)  # what the token is for, e.g. 「手机客户端」
    prefix = models.CharField("前缀", max_length=16)  # the visible start of the key, to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the whole key
    created = models.DateTimeField("创建时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.DateTimeField("吊销时间", null=True, blank=True)  # null = in use

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["person", "revoked"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def active(self) -> bool:
        return self.revoked is None
