from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .models import IntegratedCareSystem, Partnership, Region, SystemLocalAuthority
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
    """Systems whose name, ICB name or code, or one of whose councils, matches `query`.

    Each result carries the councils that matched, so the page can say why it is listed."""
    matching_councils = SystemLocalAuthority.objects.filter(
        Q(local_authority__name__icontains=query) | Q(local_authority__ons_code__iexact=query)
    ).select_related("local_authority")
    return (
        IntegratedCareSystem.objects.filter(
            Q(name__icontains=query)
            | Q(icb__name__icontains=query)
            | Q(icb__ods_code__iexact=query)
            | Q(icb__ons_code__iexact=query)
            | Q(council_areas__local_authority__name__icontains=query)
            | Q(council_areas__local_authority__ons_code__iexact=query)
        )
        .distinct()
        .select_related("region", "icb")
        .prefetch_related(Prefetch("council_areas", queryset=matching_councils, to_attr="matching_councils"))
        .order_by("name")
    )


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
