"""Full-text search over the documents a person may see, Chinese included.

The index is kept by the database itself, so it can never drift from the table:

- SQLite: an FTS5 table `documents_document_fts` with `tokenize='trigram'` over (title, body,
  doc_number, intake_number), holding its own copy of those columns (rowid = document id), kept
  in sync by AFTER INSERT / UPDATE OF … / DELETE triggers on `documents_document`. It stores its
  own content (not external-content) so a delete is by rowid and can never corrupt the index
  even if the two were ever out of step.
- PostgreSQL: the pg_trgm extension and a GIN trigram index on
  `title || ' ' || body || ' ' || doc_number || ' ' || intake_number`, queried with ILIKE
  (which the index serves) and ranked with `word_similarity`. An index cannot drift.

On SQLite a later migration that alters `documents_document` rebuilds the table (create, copy,
drop, rename) and silently loses its triggers; `install()` is idempotent, re-creates whatever is
missing and then rebuilds the FTS content. It runs in migration 0002_fulltext and should run
after every `migrate` (connect `reassert_after_migrate` to post_migrate in apps.py, as the audit
app does for its triggers).

Queries: the text is split on white space into terms; a document matches when it contains every
term (AND), in its title, body, 发文字号 or 收文号, case-insensitively. Trigrams need at least three
characters, so a term of one or two characters (most Chinese words: 旱情, 抗旱) cannot use the
trigram index: such terms are matched with LIKE on the document table instead (a scan of the
person's visible documents — correct, only slower). Terms are always passed as bound parameters
and, for FTS5, quoted as phrase strings, so quotes, `*`, `OR`, `NEAR`, `-` … are plain text.

Permissions: only `access.visible_documents(person)`; a classified (涉密) document's title is
found only by the office and by its own unit (its body is empty by law: R89).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db import connections, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person

from . import access
from .models import Document

TABLE = "documents_document"
COLUMNS = ("title", "body", "doc_number", "intake_number")

FTS_TABLE = "documents_document_fts"
SQLITE_TRIGGERS = ("documents_document_fts_ai", "documents_document_fts_ad", "documents_document_fts_au")
BM25_WEIGHTS = (10.0, 1.0, 5.0, 5.0)  # a hit in the title or a number counts more than one in the body

PG_INDEX = "documents_document_search_trgm"
PG_EXPR = " || ' ' || ".join(f'"{TABLE}"."{c}"' for c in COLUMNS)
PG_EXPR_INDEX = " || ' ' || ".join(COLUMNS)  # the same expression, as the index is declared

MIN_TRIGRAM = 3  # FTS5 trigram and pg_trgm need three characters to use the index
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
DEFAULT_LIMIT = 50


# ==== the index: DDL, install, re-assert ==========================================================

def _sqlite_statements() -> list[str]:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    ai, ad, au = SQLITE_TRIGGERS
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON {TABLE} BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
        f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF id, {cols} ON {TABLE} BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def _sqlite_rebuild() -> list[str]:
    cols = ", ".join(COLUMNS)
    return [f"DELETE FROM {FTS_TABLE}",
            f"INSERT INTO {FTS_TABLE}(rowid, {cols}) SELECT id, {cols} FROM {TABLE}"]


def _pg_statements() -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (({PG_EXPR_INDEX}) gin_trgm_ops)",
    ]


def installed(connection=None) -> set[str]:
    """The parts of the index present: FTS table and trigger names (SQLite), index name (PostgreSQL)."""
    connection = connection or default_connection
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE (type = 'table' AND name = %s) "
                        "OR (type = 'trigger' AND tbl_name = %s)", [FTS_TABLE, TABLE])
            return {row[0] for row in cur.fetchall()} & {FTS_TABLE, *SQLITE_TRIGGERS}
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND tablename = %s AND indexname = %s", [TABLE, PG_INDEX])
            return {row[0] for row in cur.fetchall()}
    raise NotImplementedError(f"full-text search: database vendor {connection.vendor!r} is not supported")


def expected(vendor: str) -> set[str]:
    return {FTS_TABLE, *SQLITE_TRIGGERS} if vendor == "sqlite" else {PG_INDEX}


def install(connection=None) -> bool:
    """Create whatever part of the index is missing; True if something was (re)created. On SQLite
    the FTS content is then rebuilt from the table, since rows may have changed while a trigger
    was missing. Idempotent."""
    connection = connection or default_connection
    if expected(connection.vendor) <= installed(connection):
        return False
    statements = _sqlite_statements() + _sqlite_rebuild() if connection.vendor == "sqlite" else _pg_statements()
    with transaction.atomic(using=connection.alias), connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
    return True


def run_install(apps, schema_editor) -> None:
    """RunPython forward of migration 0002_fulltext."""
    install(schema_editor.connection)


def run_uninstall(apps, schema_editor) -> None:
    """RunPython reverse of migration 0002_fulltext (pg_trgm stays: other things may use it)."""
    connection = schema_editor.connection
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
            cur.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cur.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


MIGRATION = ("documents", "0002_fulltext")


def reassert_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: put the index back if a later migration lost it (SQLite table
    rebuild). Skipped while the fulltext migration is deliberately unapplied."""
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if TABLE not in connection.introspection.table_names():
        return
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return
    install(connection)


# ==== queries =====================================================================================

def terms_of(q: str | None) -> list[str]:
    """The search terms: white-space separated, deduplicated, in order. Refuses (naming the field
    `q`) a query longer than MAX_QUERY_CHARS characters or with more than MAX_TERMS terms."""
    q = "".join(" " if unicodedata.category(c) == "Cc" else c for c in (q or "")).strip()  # NUL, tabs …
    if len(q) > MAX_QUERY_CHARS:
        raise Refused(f"搜索内容过长：不超过{MAX_QUERY_CHARS}个字", field="q")
    found: list[str] = []
    for term in q.split():
        if term.casefold() not in {t.casefold() for t in found}:
            found.append(term)
    if len(found) > MAX_TERMS:
        raise Refused(f"搜索词过多：不超过{MAX_TERMS}个（以空格分隔）", field="q")
    return found


def _fts_phrase(term: str) -> str:
    """One FTS5 phrase string: the term in double quotes, inner quotes doubled, so no character
    of it is query syntax."""
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains_any_column(term: str) -> Q:
    return (Q(title__icontains=term) | Q(body__icontains=term) | Q(doc_number__icontains=term)
            | Q(intake_number__icontains=term))


def _scope(person: Person, on: dt.date) -> QuerySet:
    """Visible documents; a classified one only for the office and its own unit."""
    qs = Document.objects.filter(pk__in=access.visible_documents(person, on=on).values("pk"))
    if not access.is_office_staff(person, on):
        own_units = [p.unit_id for p in org.positions_of(person, on) if p.unit_id]
        qs = qs.filter(Q(classification="") | Q(unit_id__in=own_units))
    return qs


def matching(person: Person, terms: list[str], *, on: dt.date | None = None) -> QuerySet:
    """The visible documents containing every term, best first (a queryset, not yet limited)."""
    on = on or rules.today()
    qs = _scope(person, on).select_related("unit")
    title_hit = Case(When(Q(*[Q(title__icontains=t) for t in terms]), then=Value(1)), default=Value(0),
                     output_field=IntegerField())
    vendor = connections[qs.db].vendor
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM]
    short_terms = [t for t in terms if len(t) < MIN_TRIGRAM]
    if vendor == "sqlite":
        for t in short_terms:
            qs = qs.filter(_contains_any_column(t))
        if long_terms:
            weights = ", ".join(str(w) for w in BM25_WEIGHTS)
            qs = qs.extra(
                tables=[FTS_TABLE],
                where=[f'{FTS_TABLE}.rowid = "{TABLE}"."id"', f"{FTS_TABLE} MATCH %s"],
                params=[" AND ".join(_fts_phrase(t) for t in long_terms)],
                select={"search_rank": f"-bm25({FTS_TABLE}, {weights})"},
            )
        else:
            qs = qs.annotate(search_rank=Value(0.0))
        return qs.annotate(title_hit=title_hit).order_by("-title_hit", "-search_rank", "-created_at", "-id")
    if vendor == "postgresql":
        qs = qs.extra(
            where=[f"({PG_EXPR}) ILIKE %s" for _ in terms],
            params=[_like_pattern(t) for t in terms],
            select={"search_rank": f"word_similarity(%s, {PG_EXPR})"},
            select_params=[" ".join(terms)],
        )
        return qs.annotate(title_hit=title_hit).order_by("-title_hit", "-search_rank", "-created_at", "-id")
    raise NotImplementedError(f"full-text search: database vendor {vendor!r} is not supported")


def search(person: Person, q: str, limit: int = DEFAULT_LIMIT, *, on: dt.date | None = None) -> list[Document]:
    """The visible documents matching `q`, best first, at most `limit` (see the module doc)."""
    terms = terms_of(q)
    if not terms:
        return []
    return list(matching(person, terms, on=on)[:limit])


# ==== presenting hits: highlighted, escaped =======================================================

def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern | None) -> SafeString:
    """`text` HTML-escaped, each match wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    out, at = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[at:m.start()]), "<mark>", escape(m.group()), "</mark>"]
        at = m.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # every piece of the text went through escape()


def highlight(text: str, terms: list[str]) -> SafeString:
    return _marked(text or "", _pattern(terms))


def snippet(text: str, terms: list[str], width: int = 90) -> SafeString:
    """About `width` characters of `text` around the first match (or its start), escaped, with the
    matches marked and … where it was cut."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    m = pattern.search(text) if pattern else None
    start = 0 if m is None else max(0, m.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    piece = _marked(text[start:end], pattern)
    return mark_safe(("…" if start > 0 else "") + piece + ("…" if end < len(text) else ""))


@dataclass
class Hit:
    document: Document
    title_html: SafeString
    number_html: SafeString
    snippet_html: SafeString


@dataclass
class Results:
    q: str
    terms: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there are more matches than shown
    short_terms: list[str] = field(default_factory=list)  # matched without the trigram index


def results(person: Person, q: str, limit: int = DEFAULT_LIMIT, *, on: dt.date | None = None) -> Results:
    """For the search page: the hits (one more is fetched to know whether there are more)."""
    terms = terms_of(q)
    found = Results(q=(q or "").strip(), terms=terms, short_terms=[t for t in terms if len(t) < MIN_TRIGRAM])
    if not terms:
        return found
    docs = list(matching(person, terms, on=on)[:limit + 1])
    found.more = len(docs) > limit
    for doc in docs[:limit]:
        number = doc.doc_number or doc.intake_number
        found.hits.append(Hit(document=doc, title_html=highlight(doc.title, terms),
                              number_html=highlight(number, terms),
                              snippet_html=snippet("" if doc.classified else doc.body, terms)))
    return found
