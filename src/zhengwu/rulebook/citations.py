"""Citations by id: the apps name what they act under (a route, a parameter, a rule or a declared
implementation) and the book in force supplies the article and its wording.

    article_of(book, "doc.intake")        -> 68   (the route's article, from the book)
    cite(book, "R60.agenda")              -> （《工作规则》第六十条）

Routes and parameters are looked up in the book itself, so another county's book that numbers
its articles differently changes every citation of the apps without touching them. Rules and
declared implementations carry their article where they are registered (rulebook/rules/*).
Pure Python, no Django import.
"""

from __future__ import annotations

from .model import Rulebook, RulebookError
from .registry import implementations, load_rules


def article_of(book: Rulebook, ref: str) -> int:
    """The article `ref` (a route id, a parameter name, a rule id or a declared id) stands on
    under `book`."""
    if ref in book.routes:
        return book.routes[ref].article
    if ref in book.parameters:
        return book.parameters[ref].article
    article = _registered.get(ref)
    if article is None:
        spec = load_rules().get(ref)
        impl = implementations().get(ref) if spec is None else None
        if spec is None and impl is None:
            raise RulebookError(f"{book.id}: {ref!r} is no route, parameter, rule or declared implementation")
        article = _registered[ref] = spec.article if spec is not None else impl.article
    return article


# rule and declared ids already looked up (they never change once registered)
_registered: dict[str, int] = {}


def cite(book: Rulebook, ref: str) -> str:
    """The citation that ends a message about `ref`: （《工作规则》第六十八条）."""
    return book.cite(article_of(book, ref))
