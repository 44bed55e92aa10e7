"""The trail (留痕) of an object as people read it: one sentence per event — who, when, what in
words and what was said ("周庚 12-06 22:11 审核：同意"). Action codes, field keys, the values
before and after, ids and hashes stay in the trail for the audit administrator's view of the
object (zhengwu.security.views_audit.object_page); `_history.html` renders these lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from zhengwu.audit import catalogue

# A login name in brackets after the display name: "郑壬（wenshu）" -> 郑壬.
_LOGIN = re.compile(r"\s*[（(][A-Za-z0-9_.@+-]+[）)]\s*$")
# A digest quoted in a summary ("（SHA-256 71ca…）", "sm3 9cae…", "哈希 …"), with its brackets.
_DIGEST = re.compile(r"[，,；;]?\s*[（(]?\s*(?:SHA-?256|SM3|sha-?256|sm3|哈希值?|hash)?[\s:：]*(?=[0-9]*[a-fA-F])[0-9a-fA-F]{12,}…?\s*[）)]?")


def person_name(actor_label: str) -> str:
    """The name a trail records, without the login name it may carry."""
    return _LOGIN.sub("", actor_label or "").strip()


def login_name(actor_label: str) -> str:
    """The login name a trail records in brackets after the display name ("郑壬（wenshu）" -> wenshu),
    "" without one; shown in the reader's brackets."""
    m = _LOGIN.search(actor_label or "")
    return m.group(0).strip().strip("（）()") if m else ""


def predicate(summary: str, *, label: str = "", who: str = "") -> str:
    """What an event says after its actor's name ("审核：同意"), from its summary and its action's
    label, without digests and without the label or name repeated ("拟稿：拟稿：…" reads
    "拟稿：…", "周庚审核：同意" by 周庚 reads "审核：同意")."""
    text = _DIGEST.sub("", summary or "").replace("（）", "").replace("()", "").strip("，、；： \n")
    if not text:
        return label
    if who and text.startswith(who):  # the summary is a sentence of its own
        return text[len(who):].lstrip("：: ") or label
    if label and text.startswith(label):
        rest = text[len(label):].lstrip("：:，, ")
        return f"{label}：{rest}" if rest else label
    if "：" in text[:16] or not label:  # "发起紧急公文串并联审批：…" says what was done
        return text
    return f"{label}：{text}"


@dataclass(frozen=True)
class Line:
    """One event of the trail in words."""

    seq: int
    at: dt.datetime
    who: str
    text: str  # what was done and said, after the name
    article: int | None
    head: str = ""  # what was done, in the reader's language (the action's label)
    said: str = ""  # what the record says after it, as recorded (Chinese: content, not UI)

    @property
    def when(self) -> str:
        local = timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at
        return f"{local:%m-%d %H:%M}"


def line(event) -> Line:
    who = person_name(event.actor_label) if event.actor_id is not None else gettext("system")
    label = event.action_label
    text = predicate(event.summary, label=label, who=who)
    shown = catalogue.display_label(event.action)
    if text == label:
        head, said = shown, ""
    elif label and text.startswith(label + "："):
        head, said = shown, text[len(label) + 1:]
    else:  # a sentence of its own ("审核：同意" recorded under 办理): Chinese reads it alone
        head, said = ("" if shown == label else shown), text
    if shown != label:
        text = head + (": " + said if said else "")
    return Line(event.seq, event.at, who, text, event.article, head, said)


def lines(events) -> list[Line]:
    return [line(e) for e in events]
