"""A page of a query, counted by the query that reads it.

Django's paginator counts the rows in a query of its own, then reads the page: two queries,
and building each costs Django about as much as the database spends running it. A register
of a few hundred rows is cheaper counted in the same query, by a window over its rows
(`COUNT(*) OVER ()`, which PostgreSQL and SQLite both compute before the LIMIT).
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

# The row's field that carries the count; a page's rows keep it (a dict key, or an attribute).
TOTAL = "rows_in_all_pages"


def _number(value) -> int:
    """The page asked for, as `Paginator.get_page` reads it: anything but a whole number is the
    first page (a number out of range is the last, below)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _total(row) -> int:
    return row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL)


def counted_page(queryset, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)` in one query: the page's rows, each
    carrying the number of rows in all pages. A page out of range (past the last, or below 1)
    gives the last page, as `get_page` does; only then are the rows counted apart (and the page
    read again)."""
    number = _number(number)
    paginator = Paginator(queryset, per_page)
    counted = queryset.annotate(**{TOTAL: Window(Count("pk"))})
    rows = list(counted[(number - 1) * per_page : number * per_page]) if number >= 1 else []
    if rows:
        paginator.count = _total(rows[0])
    else:
        paginator.count = queryset.count()
        if number != 1 and paginator.count:
            number = paginator.num_pages
            rows = list(counted[(number - 1) * per_page : number * per_page])
        else:
            number = 1
    return Page(rows, number, paginator)
