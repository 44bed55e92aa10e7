"""The identity parameters of 等保 2.0 level 3 (GB/T 22239-2019), in one place.

The defaults below are module constants, each with the clause it serves; the values in force are
the one row of `SecurityPolicy` (editable by a security administrator on /security/policy/,
audited), or these defaults while nobody has saved it. Everything reads `current()`: the axes
callables (failure limit, lockout time), the password validator, the login gate and the session
lifetime middleware.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, fields

# GB/T 22239-2019 8.1.4.1 身份鉴别 (level 3, 安全计算环境):
#  a) 应对登录的用户进行身份标识和鉴别，身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换；
#  b) 应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数和当登录连接超时自动退出等相关措施；
#  d) 应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别，且其中一种
#     鉴别技术至少应使用密码技术来实现。
CLAUSE_COMPLEXITY = "GB/T 22239-2019 8.1.4.1 a)"
CLAUSE_FAILURE = "GB/T 22239-2019 8.1.4.1 b)"
CLAUSE_TWO_FACTOR = "GB/T 22239-2019 8.1.4.1 d)"

FAILURE_LIMIT = 5            # 8.1.4.1 b) 限制非法登录次数: failures per account and address before lockout
LOCKOUT_MINUTES = 30         # 8.1.4.1 b) how long a lockout lasts (an unlock ends it earlier)
PASSWORD_MIN_LENGTH = 8      # 8.1.4.1 a) 复杂度要求
PASSWORD_MIN_CLASSES = 3     # 8.1.4.1 a) of the four: upper case, lower case, digits, other characters
PASSWORD_MAX_AGE_DAYS = 90   # 8.1.4.1 a) 定期更换 (0 = no expiry)
IDLE_MINUTES = 30            # 8.1.4.1 b) 登录连接超时自动退出
SESSION_MAX_HOURS = 8        # 8.1.4.1 b) 结束会话: a session ends this long after login, used or not

# 8.1.4.1 d): who must use a second factor. Position codes of the rulebook parameter
# `org.positions` (the 区长, 常务副区长, 副区长 and the office's 主任/副主任); every administrator
# (zhengwu.security.roles.is_administrator) as well. Everyone else may enrol.
TWO_FACTOR_POSITIONS = ("district_head", "executive_deputy", "deputy_head", "office_director",
                        "office_deputy_director")

# (field, Chinese label, English label, minimum, maximum, clause)
PARAMETERS = (
    ("failure_limit", "连续登录失败锁定次数", "Failed logins before lockout", 1, 20, CLAUSE_FAILURE),
    ("lockout_minutes", "锁定时长（分钟）", "Lockout duration (minutes)", 1, 24 * 60, CLAUSE_FAILURE),
    ("password_min_length", "口令最小长度", "Minimum password length", 8, 64, CLAUSE_COMPLEXITY),
    ("password_min_classes", "口令至少包含的字符类别数（共四类）", "Character classes required (of four)", 3, 4,
     CLAUSE_COMPLEXITY),
    ("password_max_age_days", "口令有效期（天，0为不过期）", "Password lifetime (days, 0 = no expiry)", 0, 365,
     CLAUSE_COMPLEXITY),
    ("idle_minutes", "空闲超时（分钟）", "Idle timeout (minutes)", 1, 240, CLAUSE_FAILURE),
    ("session_max_hours", "会话最长时间（小时）", "Absolute session lifetime (hours)", 1, 24, CLAUSE_FAILURE),
)


@dataclass(frozen=True)
class Values:
    failure_limit: int = FAILURE_LIMIT
    lockout_minutes: int = LOCKOUT_MINUTES
    password_min_length: int = PASSWORD_MIN_LENGTH
    password_min_classes: int = PASSWORD_MIN_CLASSES
    password_max_age_days: int = PASSWORD_MAX_AGE_DAYS
    idle_minutes: int = IDLE_MINUTES
    session_max_hours: int = SESSION_MAX_HOURS

    @property
    def lockout(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lockout_minutes)

    @property
    def idle(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.idle_minutes)

    @property
    def session_max(self) -> dt.timedelta:
        return dt.timedelta(hours=self.session_max_hours)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULTS = Values()
FIELDS = tuple(p[0] for p in PARAMETERS)

# Read on every request by the session middleware: kept for a few seconds per process (a change is
# seen at once in the process that made it, within CACHE_SECONDS elsewhere).
CACHE_SECONDS = 10
_cache: tuple[float, Values] | None = None


def current() -> Values:
    global _cache
    now = time.monotonic()
    if _cache is not None and now - _cache[0] < CACHE_SECONDS:
        return _cache[1]
    from .models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON).first()
    values = DEFAULTS if row is None else Values(**{name: getattr(row, name) for name in FIELDS})
    _cache = (now, values)
    return values


def forget() -> None:
    """Drop the cached values (after a change, and in tests)."""
    global _cache
    _cache = None


# --- the axes callables (settings.AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME) ---------------------------

def axes_failure_limit(request, credentials) -> int:
    return current().failure_limit


def axes_cooloff(request=None) -> dt.timedelta:
    return current().lockout
