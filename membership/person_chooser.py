"""Choosing a person by searching, not from a list of hundreds.

A plain GET search on the page itself: "Search by name" shows up to `PAGE_SIZE` matches a
page, each a link that reloads the page (or goes to the next step) with `?person=<value>`;
the form then carries the chosen person in a hidden field and shows their name with "Choose
someone else". It works without JavaScript and costs two queries (the count and the page),
whatever the number of people. The same address with `format=json` answers the same search
as JSON (`chooser_json`) for `static/js/person-chooser.mjs`, which shows the matches as you
type. Names only: no contact details ever leave through it.

Used in the workspace (a seat, a chair: `selectors.system_people`) and when recording a
meeting (a substitute or someone in attendance, a declaration: `meetings.views.record`).
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.utils.cache import patch_cache_control

from partnerships.models import Partnership

from .models import Person
from .selectors import system_people

PAGE_SIZE = 20
MAX_WORDS = 5
MAX_QUERY = 100


def search_query(request) -> str:
    """The words searched for, tidied and cut to a sensible length."""
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY]


def name_search(people: QuerySet, query: str) -> QuerySet:
    """`people` whose name has every word of `query` (in any of honorific, given name, family
    name or post-nominals), in name order."""
    for word in query.split()[:MAX_WORDS]:
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(honorific__icontains=word)
            | Q(post_nominals__icontains=word)
        )
    return people.order_by("family_name", "given_name", "pk")


def people_search(partnership: Partnership, query: str):
    """The people of `partnership`'s system matching `query` (see `name_search`)."""
    return name_search(system_people(partnership), query)


@dataclass
class Chooser:
    query: str
    results: Page | None
    chosen: Person | None
    # How a match is chosen: a link to `choose_url` + the person's `by` value (+ `then`).
    choose_url: str = "?person="
    by: str = "slug"
    then: str = ""
    # What the search says (the page names the people it offers).
    label: str = "Person: search by name"
    hint: str = ""
    field_id: str = "id_person"
    errors: list = field(default_factory=list)

    def link(self, person: Person) -> str:
        return f"{self.choose_url}{quote(str(getattr(person, self.by)))}{self.then}"

    @property
    def choices(self) -> list[tuple[Person, str]]:
        return [(person, self.link(person)) for person in self.results or []]


def choose(request, people: QuerySet, value, **options) -> Chooser:
    """What a chooser shows: the person chosen (`value`, a primary key, if it is one of
    `people`), else the search of `people` and its results."""
    chosen = None
    if value not in (None, "") and str(value).isdigit():
        chosen = people.filter(pk=value).defer("email", "phone").first()
    query = search_query(request)
    results = None
    if chosen is None and query:
        matches = name_search(people.defer("email", "phone"), query)
        results = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    return Chooser(query=query, results=results, chosen=chosen, **options)


def wants_json(request) -> bool:
    return request.method == "GET" and request.GET.get("format") == "json"


def chooser_json(chooser: Chooser) -> JsonResponse:
    """The search as JSON, for choosing as you type: the number of matches and the first page,
    each a name and the same link the page offers. Never stored by a shared cache."""
    page = chooser.results
    response = JsonResponse(
        {
            "query": chooser.query,
            "count": page.paginator.count if page else 0,
            "results": [{"name": str(person), "href": href} for person, href in chooser.choices],
        }
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def system_chooser(request, partnership: Partnership, form=None) -> Chooser:
    """The workspace's chooser: the people of the partnership's system, chosen by their slug;
    on a page whose `form` has a `person` field, with its value and errors."""
    hint = (
        f"People of {partnership.ics.name}: anyone who sits or sat on one of its partnerships, or whom this "
        "partnership added. Part of a name is enough."
    )
    value = form["person"].value() if form is not None else None
    errors = form["person"].errors if form is not None else []
    return choose(request, system_people(partnership), value, hint=hint, errors=errors)


def person_chooser(request, partnership: Partnership, form) -> Chooser:
    return system_chooser(request, partnership, form)
