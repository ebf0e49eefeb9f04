"""Choosing a person in the workspace by searching, not from a list of hundreds.

A plain GET search on the page itself: "Search by name" shows up to `PAGE_SIZE` matches a
page, each a link that reloads the page with `?person=<slug>`; the form then carries the
chosen person in a hidden field and shows their name with "Choose someone else". It works
without JavaScript and costs two queries (the count and the page), whatever the number of
people. The people offered are `selectors.system_people`: names only, as before.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q

from partnerships.models import Partnership

from .models import Person
from .selectors import system_people

PAGE_SIZE = 20
MAX_WORDS = 5


def people_search(partnership: Partnership, query: str):
    """The people of `partnership`'s system whose name has every word of `query` (in any of
    honorific, given name, family name or post-nominals), in name order."""
    people = system_people(partnership)
    for word in query.split()[:MAX_WORDS]:
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(honorific__icontains=word)
            | Q(post_nominals__icontains=word)
        )
    return people.order_by("family_name", "given_name", "pk")


@dataclass
class Chooser:
    query: str
    results: Page | None
    chosen: Person | None


def person_chooser(request, partnership: Partnership, form) -> Chooser:
    """What the chooser shows on a page whose `form` has a `person` field: the person chosen
    (from the posted form or `?person=`), else the search and its results."""
    field = form["person"]
    value = field.value()
    chosen = None
    if value not in (None, ""):
        chosen = system_people(partnership).filter(pk=value).first() if str(value).isdigit() else None
    query = " ".join(request.GET.get("q", "").split())[:100]
    results = None
    if chosen is None and query:
        results = Paginator(people_search(partnership, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return Chooser(query=query, results=results, chosen=chosen)
