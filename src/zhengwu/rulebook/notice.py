"""Read the text of a 国务院办公厅 holiday notice (关于20XX年部分节假日安排的通知).

Pure Python (no Django). `parse_notice(text)` returns a `NoticeYear`: the holidays as stated,
the make-up working days (调休上班) and notes, after checking every weekday the notice states
against the real calendar and every "共N天" against the span. It refuses (`NoticeError`, naming
the date) on any mismatch, so a mistyped notice never reaches the calendar.

Phrasings accepted (as used by the notices over the years):
- "1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
- "2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
  2月14日（周六）、2月28日（周六）上班。"
- "4月4日（周六）至6日（周一）放假，共3天。"   "4月5日放假，共1天。"   "9月27日放假。"
- "1月1日放假，与周末连休。"   "4月5日放假，4月6日（星期一）补休。"
- "9月29日至10月6日放假调休，共8天。"   "2022年12月31日至2023年1月2日放假调休，共3天。"
- "2018年12月29日（星期六）上班。"; weekday names 周X / 星期X / 礼拜X (日 or 天 for Sunday);
  full-width or ASCII brackets and colons; full-width digits; items numbered 一、二、… or not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .calendar import WEEKDAY_NAMES, schedule_year, schedule_year_span
from .numerals import from_chinese

__all__ = ["Holiday", "NoticeError", "NoticeYear", "parse_notice"]

FIRST_NOTICE_YEAR, LAST_NOTICE_YEAR = 2000, 2100


class NoticeError(ValueError):
    """The notice text is not a well-formed holiday notice; the message names the date or line."""


class Holiday(NamedTuple):
    name: str
    start: dt.date
    end: dt.date
    days: int


@dataclass
class NoticeYear:
    year: int
    holidays: list[Holiday]
    makeup_workdays: list[dt.date]
    notes: list[str] = field(default_factory=list)
    # weekdays that are off (date -> holiday name) and make-up days (date -> holiday name)
    days_off: dict[dt.date, str] = field(default_factory=dict)
    workday_names: dict[dt.date, str] = field(default_factory=dict)

    def exceptions(self) -> dict[dt.date, tuple[bool, str]]:
        """Exceptions to the Monday–Friday rule: date -> (is_workday, name)."""
        out = {d: (False, n) for d, n in self.days_off.items()}
        out.update({d: (True, f"{self.workday_names.get(d, '')}调休上班") for d in self.makeup_workdays})
        return dict(sorted(out.items()))

    def summary(self) -> str:
        parts = [f"{h.name} {h.start:%m-%d}至{h.end:%m-%d}（{h.days}天）" for h in self.holidays]
        work = "、".join(f"{d:%m-%d}" for d in self.makeup_workdays) or "无"
        return (f"{self.year} 年放假安排：{len(self.holidays)} 个节假日，{len(self.days_off)} 个工作日放假，"
                f"{len(self.makeup_workdays)} 个调休上班日（{work}）。" + "；".join(parts))


# ------------------------------------------------------------------------- normalisation ----

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            "（": "(", "）": ")", "：": ":", "；": ";", "～": "~", "－": "-",
                            "—": "-", "–": "-", "〜": "~"})
_ENUM = r"(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])"


def _normalise(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH)
    text = re.sub(r"[ \t\u3000\xa0\u200b\ufeff]+", "", text)
    # an item numbered 一、二、… inside a line ("…上班。二、春节：…") starts a new line
    text = re.sub(r"(?<=[^\n])(?=[一二三四五六七八九十]{1,3}、[\u4e00-\u9fff、]{1,30}:)", "\n", text)
    return [ln for ln in text.split("\n") if ln]


# --------------------------------------------------------------------------------- dates ----

_DATE = (r"(?:(?P<y{i}>\d{{4}})年)?(?:(?P<m{i}>\d{{1,2}})月)?(?P<d{i}>\d{{1,2}})日"
         r"(?:\((?P<a{i}>[^()]*)\))?")
_ONE = re.compile(_DATE.format(i=""))
_RANGE = re.compile(_DATE.format(i="1") + r"(?:至|到|~|-)" + _DATE.format(i="2")
                    + r"(?:调休)?放假(?:调休)?")
_SINGLE = re.compile(_DATE.format(i="") + r"(?:调休)?放假(?:调休)?")
_WEEKDAY = re.compile(r"(周|星期|礼拜)([一二三四五六日天])")
_DAYS = re.compile(r"共计?([0-9]+|[一二三四五六七八九十]+)天")


@dataclass
class _RawDate:
    y: int | None
    m: int | None
    d: int
    ann: str | None
    text: str


def _raw(m: re.Match, i: str = "") -> _RawDate:
    g = m.group
    return _RawDate(int(g(f"y{i}")) if g(f"y{i}") else None, int(g(f"m{i}")) if g(f"m{i}") else None,
                    int(g(f"d{i}")), g(f"a{i}"), m.group(0))


class _Ctx:
    """Running state inside one item: the notice year and the last month/year mentioned."""

    def __init__(self, year: int, name: str):
        self.year, self.name = year, name
        self.month: int | None = None
        self.saw_previous_year = False  # a date of the year before the notice's was mentioned

    def default_year(self, r: _RawDate) -> int | None:
        """A December date without a year, in an item that started the year before (元旦:
        "2018年12月30日至2019年1月1日…12月29日上班"), is in the previous year."""
        if r.y is None and self.saw_previous_year and (r.m or self.month) == 12:
            return self.year - 1
        return None

    def resolve(self, r: _RawDate, *, year: int | None = None) -> dt.date:
        month = r.m if r.m is not None else self.month
        if month is None:
            raise NoticeError(f"{self.name}：“{r.text}”缺少月份")
        y = r.y if r.y is not None else (year if year is not None else self.year)
        if not self.year - 1 <= y <= self.year:
            raise NoticeError(f"{self.name}：{y}年{month}月{r.d}日不属于 {self.year} 年的放假安排")
        try:
            day = dt.date(y, month, r.d)
        except ValueError:
            raise NoticeError(f"{self.name}：{y}年{month}月{r.d}日不是有效日期") from None
        self.month = month
        if y < self.year:
            self.saw_previous_year = True
        _check_weekday(day, r.ann)
        return day


def _check_weekday(day: dt.date, ann: str | None) -> None:
    if not ann:
        return
    for m in _WEEKDAY.finditer(ann):
        prefix, stated = m.groups()
        stated_i = 6 if stated in "日天" else WEEKDAY_NAMES.index(stated)
        if stated_i != day.weekday():
            actual = WEEKDAY_NAMES[day.weekday()]
            raise NoticeError(f"{day.isoformat()} 不是{prefix}{stated}（实际为{prefix}{actual}）")


def _weekday_label(day: dt.date) -> str:
    return "周" + WEEKDAY_NAMES[day.weekday()]


def _days(n: str) -> int:
    return int(n) if n.isdigit() else from_chinese(n)


# ---------------------------------------------------------------------------------- items ----

_ITEM = re.compile(_ENUM + r"?(?P<name>[\u4e00-\u9fff]{1,12}(?:[、和与][\u4e00-\u9fff]{1,12})*):(?P<body>.+)$")


def _items(lines: list[str]) -> list[tuple[str, str]]:
    """(name, body) of every line that reads like '一、春节：……放假……', joining wrapped lines:
    a line that continues an unfinished sentence, or that starts with a date ("2月14日（周六）…上班。")
    right after an item."""
    items: list[list[str]] = []
    open_item = after_item = False
    for ln in lines:
        m = _ITEM.match(ln)
        if m:
            items.append([m.group("name"), m.group("body")])
        elif (open_item or after_item and re.match(r"\d{1,4}[年月]", ln)) and not re.match(_ENUM, ln):
            items[-1][1] += ln
        else:
            open_item = after_item = False
            continue
        open_item, after_item = not ln.endswith("。"), True
    return [(n, b) for n, b in items if "放假" in b]


def _parse_item(year: int, name: str, body: str, notes: list[str]):
    ctx = _Ctx(year, name)
    holidays: list[tuple[Holiday, set[dt.date]]] = []
    workdays: list[dt.date] = []
    sentences = [s for s in re.split(r"[。;]", body) if s]
    for s in sentences:
        clauses = [c for c in re.split(r"[，,]", s) if c]
        # "…放假调休，共7天，9月20日（周日）、10月10日（周六）上班" or "…上班，…上班": the working
        # days may share a sentence with the holiday or with each other
        work = [c for c in clauses if c.endswith("上班")]
        clauses = [c for c in clauses if not c.endswith("上班")]
        if clauses and "放假" in clauses[0]:
            holidays.append(_parse_holiday(ctx, "，".join(clauses), clauses, notes))
        elif any("放假" in c for c in clauses):
            raise NoticeError(f"{name}：无法识别放假日期“{s}”")
        elif clauses:
            rest = "，".join(clauses)
            notes.append(f"{name}：{rest}")
            for m in _ONE.finditer(rest):  # still check any weekday it states
                r = _raw(m)
                if r.ann and (r.m is not None or ctx.month is not None):
                    ctx.resolve(r, year=ctx.default_year(r))
        for c in work:
            workdays.extend(_parse_workdays(ctx, c))
    if not holidays:
        raise NoticeError(f"{name}：未找到放假日期")
    return holidays, workdays


def _parse_holiday(ctx: _Ctx, s: str, clauses: list[str], notes: list[str]) -> tuple[Holiday, set[dt.date]]:
    head, rest = clauses[0], clauses[1:]
    m = _RANGE.fullmatch(head)
    if m:
        r1, r2 = _raw(m, "1"), _raw(m, "2")
        if r1.y is None and r2.y is not None:  # "12月31日至2023年1月2日"
            y1 = r2.y if (r1.m or 0) <= (r2.m or r1.m or 0) else r2.y - 1
            start = ctx.resolve(r1, year=y1)
        elif r1.y is None and r1.m == 12 and r2.m is not None and r2.m < 12:
            start = ctx.resolve(r1, year=ctx.year - 1)  # "12月30日至1月1日" in next year's notice
        else:
            start = ctx.resolve(r1)
        y2 = r2.y if r2.y is not None else start.year
        end = ctx.resolve(r2, year=y2)
        if end < start and r2.y is None and start.month == 12 and end.month < 12:
            end = ctx.resolve(r2, year=start.year + 1)  # "12月30日至1月1日"
        if end < start:
            raise NoticeError(f"{ctx.name}：结束日 {end} 早于开始日 {start}")
        stated = set(_span(start, end))
        block = (start, end)
    else:
        m = _SINGLE.fullmatch(head)
        if not m:
            raise NoticeError(f"{ctx.name}：无法识别放假日期“{s}”")
        start = ctx.resolve(_raw(m))
        stated = {start}
        block = (start, start)

    extend = False
    total: int | None = None
    for c in rest:
        dm = _DAYS.fullmatch(c)
        if dm:
            total = _days(dm.group(1))
        elif c in ("与周末连休", "与双休日连休"):
            extend = True
            if start.weekday() in (1, 2, 3) and block[0] == block[1]:
                raise NoticeError(f"{ctx.name}：{start} 是{_weekday_label(start)}，不与周末相连，无法“与周末连休”")
        elif c.endswith("补休"):
            for part in re.split(r"[、和]", c[: -len("补休")]):
                bm = _ONE.fullmatch(part)
                if not bm:
                    raise NoticeError(f"{ctx.name}：无法识别补休日期“{c}”")
                day = ctx.resolve(_raw(bm), year=start.year)
                if day.weekday() >= 5:
                    raise NoticeError(f"{ctx.name}：补休日 {day} 是{_weekday_label(day)}，本来就休息")
                stated.add(day)
            extend = True
        else:
            notes.append(f"{ctx.name}：{c}")

    if extend:  # the block of consecutive days off: the stated days plus the adjoining weekend
        lo, hi = min(stated), max(stated)
        for day in _span(lo, hi):
            if day not in stated and day.weekday() < 5:
                raise NoticeError(f"{ctx.name}：{day}（{_weekday_label(day)}）不在假期内，{lo} 至 {hi} 不连续")
        while (lo - dt.timedelta(days=1)).weekday() >= 5:
            lo -= dt.timedelta(days=1)
        while (hi + dt.timedelta(days=1)).weekday() >= 5:
            hi += dt.timedelta(days=1)
        block = (lo, hi)
    span = (block[1] - block[0]).days + 1
    if total is not None and total != span:
        raise NoticeError(f"{ctx.name}：{block[0]} 至 {block[1]} 实为 {span} 天，与“共{total}天”不符")
    return Holiday(ctx.name, block[0], block[1], span), {d for d in stated if d.weekday() < 5}


def _parse_workdays(ctx: _Ctx, s: str) -> list[dt.date]:
    out = []
    for part in re.split(r"[、和及]", s[: -len("上班")]):
        m = _ONE.fullmatch(part)
        if not m:
            raise NoticeError(f"{ctx.name}：无法识别上班日期“{s}”")
        r = _raw(m)
        out.append(ctx.resolve(r, year=ctx.default_year(r)))
    return out


def _span(a: dt.date, b: dt.date):
    for i in range((b - a).days + 1):
        yield a + dt.timedelta(days=i)


# ---------------------------------------------------------------------------------- parse ----

_TITLE_YEAR = re.compile(r"(\d{4})年部分节假日安排")
_BODY_YEAR = re.compile(r"现将(\d{4})年")
_DOC_NO = re.compile(r"国办发明电[〔\[(（]\d{4}[〕\])）]\d+号")


def parse_notice(text: str) -> NoticeYear:
    """Parse and check a holiday notice; `NoticeError` (naming the date or line) if it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise NoticeError("通知文本为空")
    lines = _normalise(text)
    joined = "\n".join(lines)
    years = {int(y) for y in _TITLE_YEAR.findall(joined)}
    if not years:
        years = {int(y) for y in _BODY_YEAR.findall(joined)}
    if not years:
        raise NoticeError("未找到通知年份：标题应为“国务院办公厅关于20XX年部分节假日安排的通知”")
    if len(years) > 1:
        raise NoticeError(f"通知年份不一致：{'、'.join(str(y) for y in sorted(years))}")
    year = years.pop()
    if not FIRST_NOTICE_YEAR <= year <= LAST_NOTICE_YEAR:
        raise NoticeError(f"通知年份 {year} 不在 {FIRST_NOTICE_YEAR}–{LAST_NOTICE_YEAR} 之内")

    notes: list[str] = []
    doc = _DOC_NO.search(joined)
    if doc:
        notes.append(f"文号：{doc.group(0)}")
    items = _items(lines)
    if not items:
        raise NoticeError("未找到放假安排：应有形如“一、元旦：1月1日至3日放假调休，共3天。”的条目")

    lo, hi = schedule_year_span(year)
    holidays: list[Holiday] = []
    days_off: dict[dt.date, str] = {}
    workday_names: dict[dt.date, str] = {}
    for name, body in items:
        hs, ws = _parse_item(year, name, body, notes)
        for h, off in hs:
            for other in holidays:
                if h.start <= other.end and other.start <= h.end:
                    raise NoticeError(f"{h.name}（{h.start} 至 {h.end}）与{other.name}（{other.start} 至 {other.end}）重叠")
            holidays.append(h)
            for d in off:
                days_off[d] = name
        for d in ws:
            if d in workday_names:
                raise NoticeError(f"{d} 重复列为上班日")
            if d.weekday() < 5:
                raise NoticeError(f"{name}：{d} 是{_weekday_label(d)}，本来就是工作日，不能列为调休上班日")
            workday_names[d] = name
    for h in holidays:
        for d in (h.start, h.end):
            if not lo <= d <= hi:
                raise NoticeError(f"{h.name}：{d} 不属于 {year} 年的放假安排（应在 {lo} 至 {hi} 之间）")
    for d in workday_names:
        if not lo <= d <= hi or schedule_year(d) != year:
            raise NoticeError(f"{workday_names[d]}：上班日 {d} 不属于 {year} 年的放假安排（应在 {lo} 至 {hi} 之间）")
        for h in holidays:
            if h.start <= d <= h.end:
                raise NoticeError(f"{workday_names[d]}：上班日 {d} 在{h.name}假期（{h.start} 至 {h.end}）之内")
    holidays.sort(key=lambda h: h.start)
    return NoticeYear(year=year, holidays=holidays, makeup_workdays=sorted(workday_names),
                      notes=notes, days_off=dict(sorted(days_off.items())),
                      workday_names=workday_names)
