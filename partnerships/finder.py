"""Find the integrated care systems a member of the public means: by a council in any of its
forms, a town or village, a former county, a system or ICB name, or a code.

One query whatever is typed. Which systems match, and how well, is decided in Python from the gazetteer's scores
(`partnerships.gazetteer`), so the ranking is the same on SQLite and PostgreSQL.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from . import gazetteer
from .gazetteer.names import core, fold
from .models import IntegratedCareSystem, SystemLocalAuthority, in_force_filter

# A system-name match that is only part of the name ("Surrey" in "Surrey Heartlands").
PARTIAL_NAME = 0.9
# The most reasons given for one system.
MAX_REASONS = 3


@dataclass
class Reason:
    """Why a system is listed: '{place} ({kind}) is in {council}', or a name or code it matched."""

    place: str = ""
    kind: str = ""
    council: object = None  # the SystemLocalAuthority through which the place is in the system

    def __str__(self):
        if self.council is None:
            return self.place
        council = self.council.local_authority.name
        if self.kind in ("council", "") or core(self.place) == core(council):
            return council
        if self.kind == "former":
            return f"{self.place} is now covered by {council}"
        return f"{self.place} is in {council}"


@dataclass
class SystemMatch:
    ics: IntegratedCareSystem
    score: float
    reasons: list[Reason] = field(default_factory=list)
    # The system's partnerships, for pages that show them (filled by the caller).
    partnerships: list = field(default_factory=list)

    @property
    def matching_councils(self):
        seen, areas = set(), []
        for reason in self.reasons:
            if reason.council is not None and reason.council.pk not in seen:
                seen.add(reason.council.pk)
                areas.append(reason.council)
        return areas


# What the ranking and the pages listing the systems found read of each council area: of the
# tables joined, every other column cost more to compile and load than the search took to run.
_AREA_FIELDS = (
    "ics",
    "local_authority",
    "lsoa_share_pct",
    "local_authority__name",
    "local_authority__ons_code",
    "ics__name",
    "ics__slug",
    "ics__region",
    "ics__icb__name",
    "ics__icb__ods_code",
    "ics__icb__ons_code",
)


def areas_in_force(on=None):
    """Councils' places in systems on the day `on` (today by default), of systems in force then.
    The system's dates are asked of the row the query joins anyway, not in a subquery: one table
    fewer for PostgreSQL to plan (some 2 ms of the home page's search)."""
    return SystemLocalAuthority.objects.in_force(on).filter(in_force_filter(on, "ics"))


def find_systems(query: str, limit: int = 10, *, within=None, regions=None) -> list[SystemMatch]:
    """The systems `query` most likely means, best first, among the council areas `within`
    (a `SystemLocalAuthority` queryset: those in force today by default; a page showing
    England on another day passes `areas_in_force(that_day)`). A page that has read the
    regions passes them by id (`regions`), and each system's region is taken from them rather
    than joined: a seventh table more than doubled the time PostgreSQL took to plan the query.

    One query: the council areas that could match, each with its council and system (a system
    matched by its own name or its board's brings all its council areas)."""
    query = query.strip()
    if not core(query):
        return []
    places = gazetteer.match(query)
    codes = {code for m in places for code in m.place.councils}
    within = areas_in_force() if within is None else within
    areas = (
        within.filter(
            Q(ics__name__icontains=query)
            | Q(ics__icb__name__icontains=query)
            | Q(ics__icb__ods_code__iexact=query)
            | Q(ics__icb__ons_code__iexact=query)
            | Q(local_authority__ons_code__in=codes)
            | Q(local_authority__ons_code__iexact=query)
            | Q(local_authority__name__icontains=query)
        )
        .select_related("local_authority", "ics__icb", *([] if regions is not None else ["ics__region"]))
        .only(*_AREA_FIELDS, *([] if regions is not None else ["ics__region__name"]))
        .order_by("-lsoa_share_pct", "local_authority__name")
    )
    systems = {}
    for area in areas:
        systems.setdefault(area.ics_id, (area.ics, []))[1].append(area)
    if regions is not None:
        for ics, _ in systems.values():
            ics.region = regions[ics.region_id]
    matches = [m for ics, its_areas in systems.values() if (m := _match(ics, its_areas, query, places))]
    matches.sort(key=lambda m: (-m.score, m.ics.name))
    return matches[:limit]


def _match(ics, areas, query: str, places) -> SystemMatch | None:
    folded = fold(query)
    scored = []  # (score, reason)
    icb = getattr(ics, "icb", None)
    icb_names = {fold(icb.name), fold(icb.ods_code or ""), fold(icb.ons_code or "")} if icb else set()
    if folded == fold(ics.name) or folded in icb_names:
        scored.append((1.0, Reason(ics.name)))
    elif folded in fold(ics.name) or (icb and folded in fold(icb.name)):
        scored.append((PARTIAL_NAME, Reason(ics.name)))
    for area in areas:
        council = area.local_authority
        if folded in {fold(council.ons_code), fold(council.name), core(council.name)}:
            scored.append((1.0, Reason(council.name, "council", area)))
        elif folded in fold(council.name):
            scored.append((PARTIAL_NAME, Reason(council.name, "council", area)))
        for m in places:
            if council.ons_code not in m.place.councils:
                continue
            # Of a council split between systems, the system with the larger share first...
            score = m.score + 0.0001 * float(area.lsoa_share_pct)
            if m.place.icb and icb is not None:
                # ...unless the town is known to lie in the smaller part.
                score += 0.02 if m.place.icb == icb.ons_code else -0.05
            scored.append((score, Reason(m.place.name, m.place.kind, area)))
    if not scored:
        return None
    scored.sort(key=lambda pair: -pair[0])
    reasons = {}
    for _, reason in scored:
        reasons.setdefault(str(reason), reason)
    return SystemMatch(ics, scored[0][0], list(reasons.values())[:MAX_REASONS])
