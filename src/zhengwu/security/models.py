"""Identity state: the security policy in force (one row) and each person's password state.
Written only by zhengwu.security.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import policy


class SecurityPolicy(models.Model):
    """The identity parameters in force (a single row, pk 1); defaults and sources in policy.py."""

    SINGLETON = 1

    failure_limit = models.PositiveSmallIntegerField("连续登录失败锁定次数", default=policy.FAILURE_LIMIT)
    lockout_minutes = models.PositiveIntegerField("锁定时长（分钟）", default=policy.LOCKOUT_MINUTES)
    password_min_length = models.PositiveSmallIntegerField("口令最小长度", default=policy.PASSWORD_MIN_LENGTH)
    password_min_classes = models.PositiveSmallIntegerField("口令字符类别数", default=policy.PASSWORD_MIN_CLASSES)
    password_max_age_days = models.PositiveIntegerField("口令有效期（天）", default=policy.PASSWORD_MAX_AGE_DAYS)
    idle_minutes = models.PositiveIntegerField("空闲超时（分钟）", default=policy.IDLE_MINUTES)
    session_max_hours = models.PositiveSmallIntegerField("会话最长时间（小时）", default=policy.SESSION_MAX_HOURS)
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"


class PersonSecurity(models.Model):
    """A person's password state: when it was last changed by its holder, and whether it must be
    changed at the next login (an initial password set by someone else)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security",
                                  primary_key=True)
    password_changed_at = models.DateTimeField("口令修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改口令", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "人员安全状态"
