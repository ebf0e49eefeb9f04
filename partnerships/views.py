from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import finder
from .models import IntegratedCareSystem, Partnership, Region
from .presenters import partnership_tree

MAX_QUERY_LENGTH = 100


def home(request):
    """Find your integrated care system: by council or system name, or by region."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    regions = Region.objects.annotate(system_count=Count("systems")).order_by("name")
    context = {"regions": regions, "query": query, "searched": "q" in request.GET}
    if query:
        context["results"] = find_systems(query)
    return render(request, "partnerships/home.html", context)


def find_systems(query: str):
    """Systems that `query` names (a council in any of its forms, a town, a former county, a
    system's or board's name or code: `partnerships.finder`), best first. Each carries the
    councils that matched and, for a town or former county, how it led there."""
    systems = []
    for match in finder.find_systems(query):
        match.ics.matching_councils = match.matching_councils
        match.ics.found_as = [str(reason) for reason in match.reasons if reason.kind in ("town", "former")]
        systems.append(match.ics)
    return systems


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    systems = region.systems.select_related("icb").annotate(council_count=Count("council_areas")).order_by("name")
    crumbs = [("Home", reverse("home"))]
    return render(request, "partnerships/region.html", {"region": region, "systems": systems, "crumbs": crumbs})


def system_detail(request, slug):
    ics = get_object_or_404(IntegratedCareSystem.objects.select_related("region", "icb"), slug=slug)
    council_areas = ics.council_areas.select_related("local_authority").order_by("local_authority__name")
    partnerships = Partnership.objects.public().filter(ics=ics).order_by("name")
    crumbs = [("Home", reverse("home")), (ics.region.name, ics.region.get_absolute_url())]
    context = {
        "ics": ics,
        "council_areas": council_areas,
        "partnership_tree": partnership_tree(partnerships),
        "places": ics.places.order_by("name"),
        "crumbs": crumbs,
    }
    return render(request, "partnerships/system.html", context)
