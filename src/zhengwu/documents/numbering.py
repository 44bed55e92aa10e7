"""Gapless numbers per series and year: 发文字号 (白洮政发〔2026〕12号) and 收文号 (收〔2026〕3号).

A number is taken inside the caller's transaction with an atomic increment: the row stays locked
until the caller commits (PostgreSQL row lock; SQLite IMMEDIATE write lock), so two documents signed
at the same moment get consecutive numbers, and a rolled-back signing gives its number back."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import NumberCounter


def take(*, government, series: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.take must run inside the caller's transaction")
    if not NumberCounter.objects.filter(government=government, series=series, year=year).exists():
        try:
            with transaction.atomic():  # savepoint: a concurrent creator may win the unique constraint
                NumberCounter.objects.create(government=government, series=series, year=year, last=0)
        except IntegrityError:
            pass
    NumberCounter.objects.filter(government=government, series=series, year=year).update(last=F("last") + 1)
    return NumberCounter.objects.values_list("last", flat=True).get(government=government, series=series, year=year)


def doc_number(series: str, year: int, n: int) -> str:
    return f"{series}〔{year}〕{n}号"


REGISTER_KEY_YEAR = 1_000_000  # more numbers than any series takes in a year


def register_key(year: int, n: int) -> int:
    """A number's place in its register, year by year then by sequence: 白洮政收〔2026〕12号 → 2026000012."""
    return year * REGISTER_KEY_YEAR + n
