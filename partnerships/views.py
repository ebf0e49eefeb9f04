import datetime as dt
import re

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from . import finder
from .models import ChangeSet, IntegratedCareSystem, Partnership, Place, Region, Succession, SystemLocalAuthority
from .presenters import partnership_tree

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

MAX_QUERY_LENGTH = 100


class BadDate(ValueError):
    pass


def date_shown(request) -> dt.date:
    """The day a page shows England as it was: `?on=2025-03-31`, or today. Raises BadDate."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        if not ISO_DATE.match(raw):
            raise ValueError
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadDate(
            f"‘{raw[:20]}’ is not a date. Give the date as year-month-day, for example on=2025-03-31."
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise BadDate(f"Give a date between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}.")
    return day


def bad_date(request, error: BadDate):
    return render(request, "400.html", {"reason": str(error)}, status=400)


def _on_context(on: dt.date) -> dict:
    today = timezone.localdate()
    return {"on": on, "today": today, "is_today": on == today, "on_param": "" if on == today else f"?on={on:%Y-%m-%d}"}


def home(request):
    """Find your integrated care system: by council or system name, or by region."""
    try:
        on = date_shown(request)
    except BadDate as error:
        return bad_date(request, error)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    in_force = IntegratedCareSystem.objects.in_force(on).values("pk")
    regions = Region.objects.annotate(system_count=Count("systems", filter=Q(systems__in=in_force))).order_by("name")
    regions = list(regions)
    context = {
        "regions": regions,
        "query": query,
        "searched": "q" in request.GET,
        "system_count": sum(region.system_count for region in regions),  # every system has a region
        **_on_context(on),
    }
    if query:
        context["results"] = find_systems(query, on, regions={region.pk: region for region in regions})
    return render(request, "partnerships/home.html", context)


def find_systems(query: str, on: dt.date, *, regions=None):
    """Systems in force on `on` that `query` names (a council in any of its forms, a town, a
    former county, a system's or board's name or code: `partnerships.finder`), best first. Each
    carries the councils that matched and, for a town or former county, how it led there.
    Given every region by id (`regions`), the query need not join each system's."""
    systems = []
    for match in finder.find_systems(query, within=finder.areas_in_force(on), regions=regions):
        match.ics.matching_councils = match.matching_councils
        match.ics.found_as = [str(reason) for reason in match.reasons if reason.kind in ("town", "former")]
        systems.append(match.ics)
    return systems


def region_detail(request, slug):
    try:
        on = date_shown(request)
    except BadDate as error:
        return bad_date(request, error)
    region = get_object_or_404(Region, slug=slug)
    in_force_areas = SystemLocalAuthority.objects.in_force(on).values("pk")
    shown = (
        region.systems.filter(Q(pk__in=IntegratedCareSystem.objects.in_force(on).values("pk")) | Q(valid_to__lt=on))
        .select_related("icb")
        .annotate(council_count=Count("council_areas", filter=Q(council_areas__in=in_force_areas)))
        .order_by("name")
    )
    systems = [ics for ics in shown if ics.in_force_on(on)]
    ended = [ics for ics in shown if not ics.in_force_on(on)]
    crumbs = [("Home", reverse("home") + _on_context(on)["on_param"])]
    context = {"region": region, "systems": systems, "ended": ended, "crumbs": crumbs, **_on_context(on)}
    return render(request, "partnerships/region.html", context)


def system_detail(request, slug):
    """A system as it was on a day (today by default): its board, its councils, its partnerships
    and what it came from or became."""
    try:
        on = date_shown(request)
    except BadDate as error:
        return bad_date(request, error)
    ics = get_object_or_404(IntegratedCareSystem.objects.select_related("region", "icb"), slug=slug)
    # A system not in force on the day is shown on its nearest day: its first or its last.
    day = on
    if ics.valid_from and on < ics.valid_from:
        day = ics.valid_from
    elif ics.valid_to and on > ics.valid_to:
        day = ics.valid_to
    own = list(Partnership.objects.public().in_force(day).filter(ics=ics).order_by("name"))
    council_areas = _council_areas(ics, day)
    _set_covering(council_areas, own)
    successions = list(
        Succession.objects.filter(Q(to_system=ics) | Q(from_system=ics))
        .select_related("change", "from_system", "to_system")
        .order_by("from_system__name", "to_system__name")
    )
    formerly = [s for s in successions if s.to_system_id == ics.pk]
    became = [s for s in successions if s.from_system_id == ics.pk]
    # Partnerships survive their system's merger: a successor's page lists those of its
    # predecessors still in force, which keep their own record and system.
    carried = (
        Partnership.objects.public()
        .in_force(day)
        .filter(ics__in=[s.from_system_id for s in formerly])
        .select_related("ics")
        .order_by("name")
        if formerly and ics.in_force_on(on)
        else Partnership.objects.none()
    )
    carried = list(carried)
    crumbs = [("Home", reverse("home") + _on_context(on)["on_param"]), (ics.region.name, ics.region.get_absolute_url())]
    places = list(ics.places.order_by("name"))
    for place in places:
        place.ics = ics  # for its address; spares a query each
    context = {
        "ics": ics,
        "day": day,
        "in_force": ics.in_force_on(on),
        "council_areas": council_areas,
        "partnership_tree": partnership_tree(own),
        "carried_over": carried,
        # The statutory ICP first, as in the list above.
        "glance_partnerships": sorted([*own, *carried], key=lambda p: p.kind != Partnership.Kind.STATUTORY_ICP),
        "formerly": formerly,
        "became": became,
        "places": places,
        "crumbs": crumbs,
        **_on_context(on),
    }
    return render(request, "partnerships/system.html", context)


def _council_areas(ics, day) -> list[SystemLocalAuthority]:
    """The council areas of `ics` in force on `day`, by council name, each with `formerly` and
    `became`: the other systems the council was in the day before the area started, or is in
    the day after it ended. One query: every row of those councils, in any system."""
    councils = ics.council_areas.in_force(day).values("local_authority")
    rows = (
        SystemLocalAuthority.objects.filter(local_authority__in=councils)
        .select_related("local_authority", "ics")
        .order_by("local_authority__name", "ics__name")
    )
    areas, moves = [], {}
    for row in rows:
        if row.ics_id == ics.pk:
            if row.in_force_on(day):
                areas.append(row)
        elif row.valid_from or row.valid_to:
            moves.setdefault(row.local_authority_id, []).append(row)
    one_day = dt.timedelta(days=1)
    for area in areas:
        others = moves.get(area.local_authority_id, [])
        area.formerly = [m.ics for m in others if area.valid_from and m.valid_to == area.valid_from - one_day]
        area.became = [m.ics for m in others if area.valid_to and m.valid_from == area.valid_to + one_day]
        area.became_on = area.valid_to + one_day if area.valid_to else None
    return areas


def _set_covering(council_areas, partnerships) -> None:
    """Set `covering` on each area's council: those of `partnerships` (the system's, in their
    order) whose area takes it in. Reads only the pairs, since the partnerships are loaded."""
    councils = [area.local_authority_id for area in council_areas]
    pairs = set()
    if councils and partnerships:
        pairs = set(
            Partnership.councils.through.objects.filter(
                partnership__in=[p.pk for p in partnerships], localauthority__in=councils
            ).values_list("localauthority_id", "partnership_id")
        )
    for area in council_areas:
        area.local_authority.covering = [p for p in partnerships if (area.local_authority_id, p.pk) in pairs]


def place_detail(request, slug, place_slug):
    """A place: its councils and the partnerships that cover it."""
    place = get_object_or_404(Place.objects.select_related("ics__region"), ics__slug=slug, slug=place_slug)
    ics = place.ics
    partnerships = list(
        Partnership.objects.public().in_force().filter(Q(place=place) | Q(places=place)).distinct().order_by("name")
    )
    crumbs = [
        ("Home", reverse("home")),
        (ics.region.name, ics.region.get_absolute_url()),
        (ics.name, ics.get_absolute_url()),
    ]
    context = {
        "place": place,
        "ics": ics,
        "councils": place.local_authorities.order_by("name"),
        "partnerships": partnerships,
        "crumbs": crumbs,
    }
    return render(request, "partnerships/place.html", context)


def changes(request):
    """Every change to England's systems the portal has loaded, newest first, with its source."""
    change_sets = ChangeSet.objects.prefetch_related(
        Prefetch(
            "successions",
            queryset=Succession.objects.filter(from_system__isnull=False)
            .select_related("from_system", "to_system")
            .order_by("to_system__name", "from_system__name"),
            to_attr="system_successions",
        )
    ).order_by("-effective_on", "title")
    today = timezone.localdate()
    context = {
        "change_sets": change_sets,
        "system_count": IntegratedCareSystem.objects.in_force(today).count(),
        "crumbs": [("Home", reverse("home"))],
        "today": today,
    }
    return render(request, "partnerships/changes.html", context)
