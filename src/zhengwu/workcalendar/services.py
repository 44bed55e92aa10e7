"""The only writers of the work calendar. Each service validates, writes and appends its audit
event in one transaction, and clears the in-process calendar cache on commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhengwu.audit.services import audit_append
from zhengwu.errors import Refused
from zhengwu.rulebook.calendar import schedule_year, schedule_year_span
from zhengwu.rulebook.notice import NoticeError, NoticeYear, parse_notice

from . import selectors
from .models import CalendarDay, CalendarYear, Source

MAX_NAME = CalendarDay._meta.get_field("name").max_length
MAX_NOTE = CalendarYear._meta.get_field("note").max_length
FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR = 2000, 2100


def _day_dict(row: CalendarDay) -> dict[str, Any]:
    return {"is_workday": row.is_workday, "name": row.name, "source": row.source}


def _year_dict(row: CalendarYear | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"year": row.year, "official": row.official, "source": row.source, "note": row.note}


def _check_year(value: Any, field: str, label: str) -> int:
    if type(value) is not int or not FIRST_SUPPORTED_YEAR <= value <= LAST_SUPPORTED_YEAR:
        raise Refused(f"{label}必须是 {FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR} 之间的整数年份，收到 {value!r}",
                      field=field)
    return value


def _on_commit_clear() -> None:
    transaction.on_commit(selectors.clear_cache)


# ------------------------------------------------------------------------------------ seed ----

@dataclass
class SeedResult:
    first_year: int
    last_year: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    years_created: list[int] = field(default_factory=list)
    years_changed: list[int] = field(default_factory=list)
    years_skipped: list[int] = field(default_factory=list)  # loaded from a notice or set by the office
    official_years: list[int] = field(default_factory=list)
    provisional_years: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.years_created or self.years_changed)

    def summary(self) -> str:
        head = (f"工作日历 {self.first_year}–{self.last_year} 年：新增 {self.created} 天、修改 {self.updated} 天、"
                f"删除 {self.deleted} 天" if self.changed else
                f"工作日历 {self.first_year}–{self.last_year} 年已是最新，未作修改")
        parts = [head]
        if self.provisional_years:
            parts.append("暂定（无正式调休安排）：" + "、".join(f"{y} 年" for y in self.provisional_years))
        if self.years_skipped:
            parts.append("保留通知/办公室载入的年份：" + "、".join(f"{y} 年" for y in self.years_skipped))
        return "；".join(parts)


def calendar_seed(*, actor=None, first_year: int = selectors.FIRST_YEAR, last_year: int | None = None) -> SeedResult:
    """Load schedule years first_year..last_year (default: next year) from the `holidays`
    package (China, `public` category). A year is official iff the package knows make-up
    working days for it. Idempotent: a second run changes nothing and appends no audit event.
    Years loaded from a notice or marked by the office are left alone, and so are single days
    the office set (source `office`)."""
    first_year = _check_year(first_year, "first_year", "起始年份")
    last_year = _check_year(selectors.default_last_year() if last_year is None else last_year, "last_year", "截止年份")
    if last_year < first_year:
        raise Refused(f"截止年份 {last_year} 早于起始年份 {first_year}", field="last_year")
    src = selectors.package_baseline(first_year, last_year)  # read-only; cached per process
    lo, hi = dt.date(first_year, 1, 1), schedule_year_span(last_year)[1]
    res = SeedResult(first_year, last_year)
    now = timezone.now()
    with transaction.atomic():
        years = {y.year: y for y in CalendarYear.objects.filter(year__gte=first_year, year__lte=last_year)}
        managed = {y for y in range(first_year, last_year + 1)
                   if y not in years or years[y].source == Source.HOLIDAYS}
        res.years_skipped = sorted(set(range(first_year, last_year + 1)) - managed)
        current = {r.date: r for r in CalendarDay.objects.filter(date__gte=lo, date__lte=hi)
                   if schedule_year(r.date) in managed}
        desired = {d: v for d, v in src.days.items() if schedule_year(d) in managed}
        to_create, to_update, to_delete = [], [], []
        for d, (work, name) in desired.items():
            row = current.get(d)
            if row is None:
                to_create.append(CalendarDay(date=d, is_workday=work, name=name[:MAX_NAME],
                                             source=Source.HOLIDAYS, updated=now))
            elif row.source == Source.OFFICE:
                continue  # the office's own decision wins over the package
            elif (row.is_workday, row.name, row.source) != (work, name[:MAX_NAME], Source.HOLIDAYS):
                row.is_workday, row.name, row.source, row.updated = work, name[:MAX_NAME], Source.HOLIDAYS, now
                to_update.append(row)
        for d, row in current.items():
            if d not in desired and row.source != Source.OFFICE:
                to_delete.append(row.pk)
        CalendarDay.objects.bulk_create(to_create, batch_size=500)
        CalendarDay.objects.bulk_update(to_update, ["is_workday", "name", "source", "updated"], batch_size=500)
        CalendarDay.objects.filter(pk__in=to_delete).delete()
        res.created, res.updated, res.deleted = len(to_create), len(to_update), len(to_delete)

        new_years, changed_years = [], []
        for y in sorted(managed):
            official = y in src.official_years
            note = "holidays 程序包" + ("（正式调休安排）" if official else "（暂定：无调休安排，待导入国务院办公厅通知）")
            (res.official_years if official else res.provisional_years).append(y)
            row = years.get(y)
            if row is None:
                new_years.append(CalendarYear(year=y, official=official, source=Source.HOLIDAYS, note=note, loaded_at=now))
            elif (row.official, row.note) != (official, note):
                row.official, row.note, row.loaded_at = official, note, now
                changed_years.append(row)
        CalendarYear.objects.bulk_create(new_years)
        CalendarYear.objects.bulk_update(changed_years, ["official", "note", "loaded_at"])
        res.years_created = [y.year for y in new_years]
        res.years_changed = [y.year for y in changed_years]
        if res.changed:
            audit_append(
                actor=actor, action="calendar.seed", obj_type="workcalendar.calendar",
                obj_id=f"{first_year}-{last_year}",
                after={"created": res.created, "updated": res.updated, "deleted": res.deleted,
                       "years_created": res.years_created, "years_changed": res.years_changed,
                       "official_years": res.official_years, "provisional_years": res.provisional_years},
                summary=res.summary(),
            )
            _on_commit_clear()
    return res


# ---------------------------------------------------------------------------- notice import ----

@dataclass
class ImportResult:
    notice: NoticeYear
    changed: bool
    replaced: int  # exception rows of that year before the import

    def summary(self) -> str:
        s = self.notice.summary()
        return s if self.changed else s + "（与已载入的安排相同，未作修改）"


def calendar_import_notice(*, text: str, actor=None) -> ImportResult:
    """Parse a 国务院办公厅 holiday notice and replace that schedule year's exceptions with it
    (the days from 25 Dec of the year before to 24 Dec, see `schedule_year`), marking the year
    official. A malformed notice is refused (Refused naming the date) and nothing changes.
    Re-importing the same schedule changes nothing and appends no audit event."""
    if not isinstance(text, str):
        raise Refused("通知文本必须是字符串", field="text")
    try:
        notice = parse_notice(text)
    except NoticeError as e:
        raise Refused(f"放假通知有误：{e}", field="text") from None
    _check_year(notice.year, "text", "通知年份")
    lo, hi = schedule_year_span(notice.year)
    desired = {d: (w, n[:MAX_NAME]) for d, (w, n) in notice.exceptions().items()}
    note = ("；".join(x for x in notice.notes if x.startswith("文号")) or "国务院办公厅通知")[:MAX_NOTE]
    now = timezone.now()
    with transaction.atomic():
        rows = list(CalendarDay.objects.filter(date__gte=lo, date__lte=hi))
        year_row = CalendarYear.objects.filter(year=notice.year).first()
        before_days = {r.date.isoformat(): _day_dict(r) for r in rows}
        current = {r.date: (r.is_workday, r.name) for r in rows if r.source == Source.NOTICE}
        unchanged = (len(current) == len(rows) and current == desired and year_row is not None
                     and year_row.official and year_row.source == Source.NOTICE)
        if unchanged:
            return ImportResult(notice, False, len(rows))
        CalendarDay.objects.filter(date__gte=lo, date__lte=hi).delete()
        CalendarDay.objects.bulk_create([
            CalendarDay(date=d, is_workday=w, name=n, source=Source.NOTICE, updated=now)
            for d, (w, n) in desired.items()
        ])
        before_year = _year_dict(year_row)
        if year_row is None:
            year_row = CalendarYear(year=notice.year)
        year_row.official, year_row.source, year_row.note, year_row.loaded_at = True, Source.NOTICE, note, now
        year_row.save()
        after_days = {d.isoformat(): {"is_workday": w, "name": n, "source": Source.NOTICE.value}
                      for d, (w, n) in desired.items()}
        audit_append(
            actor=actor, action="calendar.import_notice", obj_type="workcalendar.year", obj_id=str(notice.year),
            before={"year": before_year, "days": before_days},
            after={"year": _year_dict(year_row), "days": after_days,
                   "holidays": [[h.name, h.start.isoformat(), h.end.isoformat(), h.days] for h in notice.holidays]},
            summary=notice.summary()[:500],
        )
        _on_commit_clear()
    return ImportResult(notice, True, len(rows))


# ------------------------------------------------------------------------------ office edits ----

def _weekday_label(day: dt.date) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


def calendar_day_check(*, day: Any, is_workday: Any, name: Any = "") -> tuple[dt.date, bool, str]:
    """Validate the inputs of `calendar_day_set` (also used by forms to show errors early)."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise Refused(f"日期必须是日期（YYYY-MM-DD），收到 {day!r}", field="day")
    if not FIRST_SUPPORTED_YEAR <= day.year <= LAST_SUPPORTED_YEAR:
        raise Refused(f"日期 {day} 不在 {FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR} 年之内", field="day")
    if not isinstance(is_workday, bool):
        raise Refused(f"是否工作日必须是是/否，收到 {is_workday!r}", field="is_workday")
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise Refused("名称必须是文字", field="name")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise Refused(f"名称不能超过 {MAX_NAME} 个字", field="name")
    return day, is_workday, name


def calendar_day_set(*, actor, day: dt.date, is_workday: bool, name: str = "") -> CalendarDay | None:
    """The office sets whether `day` is a working day. A value that departs from the
    Monday–Friday rule is stored as an exception (source `office`); a value that agrees with
    it removes any exception. A change that changes nothing is refused. Returns the stored
    exception, or None when the day now simply follows the Monday–Friday rule."""
    day, is_workday, name = calendar_day_check(day=day, is_workday=is_workday, name=name)
    by_rule = day.weekday() < 5
    with transaction.atomic():
        row = CalendarDay.objects.filter(date=day).first()
        before = _day_dict(row) if row else None
        if is_workday == by_rule:
            if row is None:
                state = "工作日" if by_rule else "休息日"
                raise Refused(f"{day}（{_weekday_label(day)}）本来就是{state}，无需修改", field="is_workday")
            row.delete()
            result, after = None, None
            summary = f"{day} 恢复为{'工作日' if by_rule else '休息日'}（{_weekday_label(day)}）"
        else:
            name = name or ("调休上班" if is_workday else "放假")
            if row is not None and (row.is_workday, row.name, row.source) == (is_workday, name, Source.OFFICE):
                raise Refused(f"{day} 已是“{name}”，无需修改", field="is_workday")
            if row is None:
                row = CalendarDay(date=day)
            row.is_workday, row.name, row.source, row.updated = is_workday, name, Source.OFFICE, timezone.now()
            row.save()
            result, after = row, _day_dict(row)
            summary = f"{day}（{_weekday_label(day)}）设为{'上班' if is_workday else '放假'}：{name}"
        audit_append(actor=actor, action="calendar.day_set", obj_type="workcalendar.day", obj_id=day.isoformat(),
                     before=before, after=after, summary=summary)
        _on_commit_clear()
    return result


def calendar_year_set(*, actor, year: int, official: bool, note: str | None = None) -> CalendarYear:
    """The office marks whether a schedule year's official holiday schedule is loaded (e.g. after
    entering its days by hand). A change that changes nothing is refused."""
    year = _check_year(year, "year", "年份")
    if not isinstance(official, bool):
        raise Refused(f"是否正式必须是是/否，收到 {official!r}", field="official")
    if note is not None and (not isinstance(note, str) or len(note.strip()) > MAX_NOTE):
        raise Refused(f"说明必须是不超过 {MAX_NOTE} 字的文字", field="note")
    with transaction.atomic():
        row = CalendarYear.objects.filter(year=year).first()
        before = _year_dict(row)
        new_note = note.strip() if note is not None else (row.note if row else "")
        if row is not None and (row.official, row.note) == (official, new_note):
            raise Refused(f"{year} 年已是{'正式' if official else '暂定'}安排，无需修改", field="official")
        if row is None:
            row = CalendarYear(year=year)
        row.official, row.note, row.source, row.loaded_at = official, new_note, Source.OFFICE, timezone.now()
        row.save()
        audit_append(actor=actor, action="calendar.year_set", obj_type="workcalendar.year", obj_id=str(year),
                     before=before, after=_year_dict(row),
                     summary=f"{year} 年放假安排标为{'正式' if official else '暂定'}")
        _on_commit_clear()
    return row
