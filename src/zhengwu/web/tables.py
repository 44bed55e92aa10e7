"""Lists as tables: one way to sort, filter and page every list (part of the shared UI kit).

A list declares its columns and filters; `Table(request, columns, filters=…)` reads
`?sort=<col>` / `?sort=-<col>`, the filters and `?page=` from the query string and gives the view
`apply(qs)` (filter + order, database side), `page(qs_or_list)` and the links the template needs:

    COLUMNS = (Column("number", _("No."), order=("intake_number",), cell="documents/cells/number.html"),
               Column("title", _("Title"), order=("title",)), …)
    table = Table(request, COLUMNS, filters=(Filter.choice("status", _("Status"), STATUS_CHOICES),),
                  default="-created", keep=("tab",))
    page = table.page(table.apply(qs))

and in the template `{% include "_table.html" with table=table rows=rows %}` (each row a dict or an
object; a cell is `row.<key>` unless the column names a cell template, rendered with `row` and `col`).

Sorting: only the declared columns with an `order` sort; an unknown `sort` value is ignored (the
default order is used and the page says nothing) — a bookmark never breaks. A filter value that
cannot be read (a date that is no date, a choice not offered) is refused with 400 naming the field
(`BadInput`, shown by the input guard's page). A new column is one more `Column(…)` line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from zhengwu.web.input_guard import BadInput

PAGE_SIZE = 30
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a (lazy) translated string
    # ORM fields to order by when sorting on this column (ascending; "-" reverses); empty: not sortable
    order: tuple[str, ...] = ()
    # for a list sorted in Python (not a queryset): the sort key of one row
    sort_key: Callable[[Any], Any] | None = None
    cell: str = ""  # template rendering the cell (with `row`, `col`); default: row.<key>
    css: str = ""  # class of the <th>/<td> (e.g. "num", "nowrap", "wide")

    @property
    def sortable(self) -> bool:
        return bool(self.order or self.sort_key)


@dataclass(frozen=True)
class Filter:
    key: str
    label: Any
    kind: str  # "choice", "date_from", "date_to", "text"
    lookup: str = ""  # ORM lookup the value goes to (e.g. "status", "unit_id", "created_at__date__gte")
    choices: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def choice(cls, key: str, label, choices: Iterable[tuple[Any, Any]], lookup: str = "") -> "Filter":
        return cls(key, label, "choice", lookup or key, tuple((str(v), lbl) for v, lbl in choices))

    @classmethod
    def dates(cls, key: str, label_from, label_to, lookup: str) -> tuple["Filter", "Filter"]:
        """A date range over `lookup` (a date field, or `<datetime>__date`): `<key>_from`, `<key>_to`."""
        return (cls(f"{key}_from", label_from, "date_from", f"{lookup}__gte"),
                cls(f"{key}_to", label_to, "date_to", f"{lookup}__lte"))


@dataclass
class HeadCell:
    col: Column
    url: str = ""  # the link that sorts by this column (toggles the direction when already sorted)
    sorted: str = ""  # "ascending" / "descending" / "" (aria-sort values)


@dataclass
class Table:
    request: Any
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    default: str = ""  # default sort, e.g. "-created"; may name a column or not
    keep: Sequence[str] = ()  # other GET parameters carried by every link (e.g. "tab")
    page_size: int = 0  # 0: PAGE_SIZE
    select: str = ""  # name of a checkbox per row (batch actions); empty: no checkbox column
    values: dict[str, Any] = field(default_factory=dict, init=False)  # parsed filter values
    raw: dict[str, str] = field(default_factory=dict, init=False)  # filter values as typed
    sort: str = field(default="", init=False)  # the sort in force ("col" or "-col"), "" for default

    def __post_init__(self):
        get = self.request.GET
        self._by_key = {c.key: c for c in self.columns}
        wanted = (get.get("sort") or "").strip()
        name = wanted.lstrip("-")
        if name and name in self._by_key and self._by_key[name].sortable and wanted.count("-") <= 1:
            self.sort = wanted
        elif self.default.lstrip("-") in self._by_key:
            self.sort = self.default
        for f in self.filters:
            raw = (get.get(f.key) or "").strip()
            if not raw:
                continue
            self.raw[f.key] = raw
            self.values[f.key] = self._parse(f, raw)

    # ---- reading the query string ---------------------------------------------------------------

    def _parse(self, f: Filter, raw: str):
        if f.kind in ("date_from", "date_to"):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise BadInput(f"{f.key}: 日期格式应为 YYYY-MM-DD", field=f.key,
                               page_message=_("“%(label)s” must be a date (YYYY-MM-DD).") % {"label": f.label}) from None
        if f.kind == "choice":
            if raw not in {v for v, _label in f.choices}:
                raise BadInput(f"{f.key}: 无此选项", field=f.key,
                               page_message=_("“%(label)s”: there is no such choice.") % {"label": f.label}) from None
            return raw
        if len(raw) > 100:
            raise BadInput(f"{f.key}: 过长", field=f.key,
                           page_message=_("“%(label)s” is too long.") % {"label": f.label})
        return raw

    @property
    def sort_column(self) -> Column | None:
        return self._by_key.get(self.sort.lstrip("-")) if self.sort else None

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def filtered(self) -> bool:
        return bool(self.values)

    # ---- applying ---------------------------------------------------------------------------------

    def filter_q(self) -> dict[str, Any]:
        return {f.lookup: self.values[f.key] for f in self.filters if f.key in self.values and f.lookup}

    def order_by(self, tiebreak: Sequence[str] = ("-id",)) -> list:
        col = self.sort_column
        if col is None or not col.order:
            return []
        out = []
        for name in col.order:
            desc = name.startswith("-") != self.descending
            expr = F(name.lstrip("-"))
            out.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
        return out + list(tiebreak)

    def apply(self, qs: QuerySet, *, tiebreak: Sequence[str] = ("-id",)) -> QuerySet:
        """`qs` filtered by the filters that have a lookup, ordered by the sort (else left as it was)."""
        qs = qs.filter(**self.filter_q())
        order = self.order_by(tiebreak)
        return qs.order_by(*order) if order else qs

    def sort_rows(self, rows: list) -> list:
        """A Python list sorted by the sort column's `sort_key` (None last either way)."""
        col = self.sort_column
        if col is None or col.sort_key is None:
            return rows
        present = [r for r in rows if col.sort_key(r) is not None]
        missing = [r for r in rows if col.sort_key(r) is None]
        return sorted(present, key=col.sort_key, reverse=self.descending) + missing

    def page(self, items) -> Page:
        return Paginator(items, self.page_size or PAGE_SIZE).get_page(self.request.GET.get("page"))

    # ---- links ------------------------------------------------------------------------------------

    def _params(self, **over) -> dict[str, str]:
        get = self.request.GET
        params = {k: get[k] for k in self.keep if get.get(k)}
        params.update(self.raw)
        if self.sort and self.sort != self.default:
            params["sort"] = self.sort
        for k, v in over.items():
            if v in (None, ""):
                params.pop(k, None)
            else:
                params[k] = v
        return params

    def url(self, **over) -> str:
        params = self._params(**over)
        return "?" + urlencode(params) if params else "?"

    @property
    def head(self) -> list[HeadCell]:
        cells = []
        for c in self.columns:
            if not c.sortable:
                cells.append(HeadCell(c))
                continue
            now = self.sort.lstrip("-") == c.key
            if now:
                flip = c.key if self.descending else f"-{c.key}"
                cells.append(HeadCell(c, self.url(sort=flip, page=None),
                                      "descending" if self.descending else "ascending"))
            else:
                cells.append(HeadCell(c, self.url(sort=c.key, page=None)))
        return cells

    @property
    def heads(self) -> dict[str, HeadCell]:
        """The header cells by column key, for a list that writes its own <thead> (`_th.html`)."""
        return {h.col.key: h for h in self.head}

    @property
    def query(self) -> str:
        """For `_pager.html`: the other parameters, ending with "&" (or empty)."""
        params = self._params()
        return urlencode(params) + "&" if params else ""

    @property
    def filter_fields(self) -> list[dict]:
        return [{"f": f, "value": self.raw.get(f.key, "")} for f in self.filters]

    @property
    def kept(self) -> list[tuple[str, str]]:
        """Hidden inputs for the filter form: the kept parameters and the sort."""
        out = [(k, self.request.GET[k]) for k in self.keep if self.request.GET.get(k)]
        if self.sort and self.sort != self.default:
            out.append(("sort", self.sort))
        return out

    @property
    def clear_url(self) -> str:
        get = self.request.GET
        params = {k: get[k] for k in self.keep if get.get(k)}
        return "?" + urlencode(params) if params else "?"
