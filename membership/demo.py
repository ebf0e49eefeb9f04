"""Demonstration data: fictional people on the real footprints of five systems.

North East and North Cumbria gets its Strategic ICP and four Area ICPs, with a core membership
shaped like the one the system proposed in 2022: the ICB's executives, non-executives and partner
members; for each council its health and wellbeing board chair and a lead officer; Healthwatch, the
VCSE sector, a foundation trust, a university, a combined authority and the police. Humber and
North Yorkshire, Surrey Heartlands (with its four places), South Yorkshire and Hampshire and Isle
of Wight get smaller ICPs. Systems, boards and councils are the real ones from the reference data,
and partner bodies carry their real names; every person is invented (`is_demonstration`), and so
are the organisations named in their interests. Some terms have ended, with a reason, so that
history shows.

Every row is looked up by a fixed natural key before it is created, so a second run creates
nothing; new rows are validated with `full_clean()` before they are saved.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.text import slugify

from partnerships.models import (
    HealthAndWellbeingBoard,
    IntegratedCareSystem,
    LocalAuthority,
    Organisation,
    Partnership,
    Place,
)

from .models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from .permissions import permissions_sync

# ICPs were set up when the ICBs took over from clinical commissioning groups on 1 July 2022.
ESTABLISHED = dt.date(2022, 7, 1)

SECTOR = Organisation.Sector
ROLE = Membership.Role
CHAIR, CO_CHAIR, VICE_CHAIR = (
    ChairAppointment.Role.CHAIR,
    ChairAppointment.Role.CO_CHAIR,
    ChairAppointment.Role.VICE_CHAIR,
)
INTEREST = Interest.Category

HONORIFICS = {"Cllr", "Dr", "Prof", "Dame", "Mayor"}
DPH, DASS, DCS = "Director of Public Health", "Director of Adult Social Services", "Director of Children's Services"
HWB_CHAIR = "Chair of the health and wellbeing board"
ICB_CHAIR, ICB_CHIEF_EXECUTIVE = "Chair of the integrated care board", "Chief executive of the integrated care board"
STATUTORY_QUORUM = "One third of voting members, including at least one member from the ICB and one from a council"
# The same rule, structured: the portal judges the quorum by this, not by the words.
STATUTORY_QUORUM_RULE = {
    "quorum_numerator": 1,
    "quorum_denominator": 3,
    "quorum_requires_icb": True,
    "quorum_requires_council": True,
}

# Partner bodies, by a short key: (name, sector).
ORGANISATIONS = {
    "healthwatch-northumberland": ("Healthwatch Northumberland", SECTOR.HEALTHWATCH),
    "vonne": ("Voluntary Organisations' Network North East", SECTOR.VCSE),
    "cntw": ("Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", SECTOR.NHS_TRUST),
    "newcastle-university": ("Newcastle University", SECTOR.UNIVERSITY),
    "tees-valley-ca": ("Tees Valley Combined Authority", SECTOR.COMBINED_AUTHORITY),
    "northumbria-police": ("Northumbria Police", SECTOR.POLICE),
    "northumbria-healthcare": ("Northumbria Healthcare NHS Foundation Trust", SECTOR.NHS_TRUST),
    "stsft": ("South Tyneside and Sunderland NHS Foundation Trust", SECTOR.NHS_TRUST),
    "south-tees": ("South Tees Hospitals NHS Foundation Trust", SECTOR.NHS_TRUST),
    "ncic": ("North Cumbria Integrated Care NHS Foundation Trust", SECTOR.NHS_TRUST),
    "healthwatch-north-yorkshire": ("Healthwatch North Yorkshire", SECTOR.HEALTHWATCH),
    "healthwatch-surrey": ("Healthwatch Surrey", SECTOR.HEALTHWATCH),
    "symca": ("South Yorkshire Mayoral Combined Authority", SECTOR.COMBINED_AUTHORITY),
}

# --- North East and North Cumbria ------------------------------------------------------------

NENC_COUNCILS = [
    # ONS code, area, Area ICP, health and wellbeing board chair, lead officer, their post
    ("E06000057", "Northumberland", "north", "Cllr Maud Heatherbank", "Dr Owen Kittiwake", DPH),
    ("E08000022", "North Tyneside", "north", "Cllr Bryony Sandpiper", "Lewis Bilberry", DASS),
    ("E08000021", "Newcastle", "north", "Cllr Dominic Cottongrass", "Dr Ruth Whinchat", DPH),
    ("E08000037", "Gateshead", "north", "Cllr Agnes Eiderfield", "Martin Harebell", DCS),
    ("E08000024", "Sunderland", "central", "Cllr Jasper Whitlow", "Dr Selina Ouselwood", DPH),
    ("E08000023", "South Tyneside", "central", "Cllr Frank Samphire", "Yvonne Dunnockley", DASS),
    ("E06000047", "County Durham", "central", "Cllr Edwin Saltmarsh", "Dr Amara Cragside", DPH),
    ("E06000005", "Darlington", "tees-valley", "Cllr Lydia Redshank", "Patrick Moorhen", DASS),
    ("E06000001", "Hartlepool", "tees-valley", "Cllr Graham Shoreweed", "Dr Eleni Sealavender", DPH),
    ("E06000002", "Middlesbrough", "tees-valley", "Cllr Hassan Cinquefoil", "Joanne Brambleby", DCS),
    ("E06000003", "Redcar and Cleveland", "tees-valley", "Cllr Wendy Ironstone", "Dr Kofi Clifftop", DPH),
    ("E06000004", "Stockton-on-Tees", "tees-valley", "Cllr Peter Lapwing", "Sandra Quarryman", DASS),
    ("E06000063", "Cumberland", "north-cumbria", "Cllr Isla Fellgate", "Dr Rory Tarnbeck", DPH),
    ("E06000064", "Westmorland and Furness", "north-cumbria", "Cllr Gareth Limestone", "Ffion Drystone", DASS),
]
# Sunderland's first health and wellbeing board chair on the partnerships, who was also the first
# council co-chair of the Strategic ICP, left the council's cabinet after the May 2024 elections.
SUNDERLAND = "E08000024"
FORMER_SUNDERLAND_CHAIR = "Cllr Nora Pennywort"
FORMER_CHAIR_LEFT = dt.date(2024, 5, 15)
FORMER_CHAIR_REASON = "Left the council's cabinet after the May 2024 local elections"

NENC_ICB_MEMBERS = [
    ("Prof Ada Fellside", ICB_CHAIR),
    ("Samuel Brackenridge", ICB_CHIEF_EXECUTIVE),
    ("Dr Nia Thornbury", "Executive medical director"),
    ("Gideon Marram", "Executive chief nurse"),
    ("Priya Wheatear", "Executive director of finance"),
    ("Helen Sandwort", "Executive director of strategy and system oversight"),
    ("Callum Tansy", "Executive director of place-based partnerships (Central and Tees Valley)"),
    ("Bethany Knapweed", "Executive director of place-based partnerships (North and North Cumbria)"),
    ("Dr Imogen Larchfield", "Non-executive director"),
    ("Prof Desmond Pipit", "Non-executive director"),
    ("Dr Farah Meadowsweet", "Partner member for primary care"),
    ("Kenneth Rockrose", "Partner member for NHS foundation trusts"),
]
NENC_PARTNERS = [
    # person, seat, organisation, role (only members vote)
    ("Moira Whitebeam", "ICS Healthwatch Network representative", "healthwatch-northumberland", ROLE.PARTICIPANT),
    ("Tariq Goldcrest", "ICS Voluntary Sector Partnership representative", "vonne", ROLE.PARTICIPANT),
    ("Dr Rajan Tidewell", "Chief executive, for the mental health trusts", "cntw", ROLE.MEMBER),
    ("Prof Lorna Gullfield", "For the region's universities", "newcastle-university", ROLE.MEMBER),
    ("Rhys Cloudberry", "Managing director, for the combined authorities", "tees-valley-ca", ROLE.ADVISER),
    ("Janet Hawkbit", "For the region's police forces", "northumbria-police", ROLE.OBSERVER),
]
NENC_AREAS = [
    # Area ICP, the ICB's executive director for it, a trust and its chief executive, a primary care
    # network clinical lead, and the chairs.
    ("north", "North", "Bethany Knapweed", "northumbria-healthcare", "Alison Dunegrass", "Dr Leah Hollyhock",
     [("Cllr Dominic Cottongrass", CHAIR), ("Cllr Maud Heatherbank", VICE_CHAIR)]),
    ("central", "Central", "Callum Tansy", "stsft", "Michael Sweetbriar", "Dr Sunil Woodruff",
     [("Cllr Frank Samphire", CHAIR)]),
    ("tees-valley", "Tees Valley", "Callum Tansy", "south-tees", "Carys Ragwort", "Dr Grace Campion",
     [("Cllr Peter Lapwing", CHAIR), ("Cllr Lydia Redshank", VICE_CHAIR)]),
    ("north-cumbria", "North Cumbria", "Bethany Knapweed", "ncic", "Duncan Scarfell", "Dr Ewan Juniperhill",
     [("Cllr Isla Fellgate", CO_CHAIR), ("Bethany Knapweed", CO_CHAIR)]),
]  # fmt: skip

INTERESTS = [
    # person, category, description, organisation, from, to, declared on
    ("Prof Ada Fellside", INTEREST.NON_FINANCIAL_PROFESSIONAL, "Honorary visiting professor in population health",
     "Wansbeck Institute of Population Health", dt.date(2019, 9, 1), None, dt.date(2022, 7, 1)),
    ("Cllr Edwin Saltmarsh", INTEREST.FINANCIAL, "Director of a family building firm that bids for council contracts",
     "Saltmarsh and Daughters Builders Ltd", dt.date(2015, 4, 1), None, dt.date(2024, 6, 1)),
    ("Cllr Edwin Saltmarsh", INTEREST.NON_FINANCIAL_PERSONAL, "Trustee of a hospice charity",
     "Friends of Wear Valley Hospice", dt.date(2018, 1, 1), None, dt.date(2024, 6, 1)),
    ("Cllr Nora Pennywort", INTEREST.INDIRECT, "Spouse is a partner in a GP practice in the area",
     "Riverbank Medical Practice", None, None, dt.date(2022, 7, 1)),
    ("Dr Imogen Larchfield", INTEREST.NON_FINANCIAL_PROFESSIONAL, "Board member of a regional health research network",
     "Northern Lights Research Collaborative", dt.date(2020, 1, 1), dt.date(2023, 3, 31), dt.date(2022, 7, 1)),
    ("Cllr Beatrice Downland", INTEREST.FINANCIAL, "Shareholder in a home care agency operating in Surrey",
     "Hillbrook Home Care Ltd", dt.date(2016, 6, 1), None, dt.date(2022, 7, 1)),
]  # fmt: skip
NIL_RETURNS = [
    ("Samuel Brackenridge", dt.date(2022, 7, 1)),
    ("Samuel Brackenridge", dt.date(2024, 4, 2)),
    ("Moira Whitebeam", dt.date(2022, 7, 1)),
    ("Moira Whitebeam", dt.date(2024, 4, 2)),
    ("Tariq Goldcrest", dt.date(2024, 4, 2)),
    ("Dr Owen Kittiwake", dt.date(2024, 4, 2)),
    ("Dr Imogen Larchfield", dt.date(2024, 4, 2)),
    ("Cllr Alastair Moorgate", dt.date(2024, 4, 1)),
]

# --- The smaller ICPs -------------------------------------------------------------------------

HNY_COUNCILS = [
    # ONS code, area, health and wellbeing board chair
    ("E06000010", "Hull", "Cllr Iris Saltings"),
    ("E06000011", "East Riding of Yorkshire", "Cllr Roland Chalkhill"),
    ("E06000012", "North East Lincolnshire", "Cllr Tessa Shrimpton"),
    ("E06000013", "North Lincolnshire", "Cllr Victor Ironbridge"),
    ("E06000014", "York", "Cllr Harriet Snickelway"),
    ("E06000065", "North Yorkshire", "Cllr Alastair Moorgate"),
]
SOUTH_YORKSHIRE_COUNCILS = [
    ("E08000016", "Barnsley", "Cllr Neil Dearneside"),
    ("E08000017", "Doncaster", "Cllr Megan Thornewood"),
    ("E08000018", "Rotherham", "Cllr Asif Canklow"),
    ("E08000019", "Sheffield", "Cllr Jenny Porterbrook"),
]
HAMPSHIRE = "E10000014"
HIOW_COUNCILS = [
    (HAMPSHIRE, "Hampshire", "Cllr Fiona Meonside"),
    ("E06000044", "Portsmouth", "Cllr Dev Spinnaker"),
    ("E06000045", "Southampton", "Cllr Carl Itchenbank"),
    ("E06000046", "Isle of Wight", "Cllr Rosa Needlesby"),
]
SURREY = "E10000030"
SURREY_PLACES = [
    # place, its lead on the ICP
    ("Surrey Downs", "Dr Poppy Mallowfield"),
    ("East Surrey", "Graham Tillingbourne"),
    ("North West Surrey", "Colin Basingwell"),
    ("Guildford and Waverley", "Anya Weybank"),
]

SYSTEMS = [
    "north-east-and-north-cumbria",
    "humber-and-north-yorkshire",
    "surrey-heartlands",
    "south-yorkshire",
    "hampshire-and-isle-of-wight",
]
COUNCILS = [row[0] for row in NENC_COUNCILS + HNY_COUNCILS + SOUTH_YORKSHIRE_COUNCILS + HIOW_COUNCILS] + [SURREY]


class ReferenceDataMissing(Exception):
    """The systems and councils the demonstration data sits on have not been loaded."""


@dataclass
class DemoReport:
    """What a load created, counted by kind (empty after a run that found everything in place),
    and the demo partnerships."""

    created: Counter = field(default_factory=Counter)
    partnerships: list[Partnership] = field(default_factory=list)

    def __str__(self):
        if not self.created:
            return "nothing new to create"
        return ", ".join(f"{count} {kind}" for kind, count in sorted(self.created.items()))


class _Builder:
    """Finds or creates each row by its natural key, counting what it creates."""

    def __init__(self, report: DemoReport):
        self.report = report
        self.systems = {ics.slug: ics for ics in IntegratedCareSystem.objects.select_related("icb")}
        self.councils = {la.ons_code: la for la in LocalAuthority.objects.filter(ons_code__in=COUNCILS)}
        self.people: dict[str, Person] = {}

    def check_reference_data(self) -> None:
        missing = [slug for slug in SYSTEMS if slug not in self.systems]
        missing += [code for code in COUNCILS if code not in self.councils]
        if missing:
            shown = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
            raise ReferenceDataMissing(
                f"England's reference geography is not loaded (missing {shown}). "
                "Run manage.py load_reference_data first."
            )

    def ensure(self, model, lookup: dict, defaults: dict | None = None):
        """The row matching `lookup`, created (and validated) with `defaults` if there is none."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **(defaults or {}))
            instance.full_clean()
            instance.save()
            self.report.created[str(model._meta.verbose_name_plural)] += 1
        return instance

    def person(self, name: str, added_for: Partnership | None = None) -> Person:
        """A fictional person from their name as written, e.g. 'Cllr Maud Heatherbank'.

        The first partnership to seat them counts as the one that added them: its secretariat
        sees their (fictional) contact details."""
        if name not in self.people:
            parts = name.split()
            honorific = parts.pop(0) if parts[0] in HONORIFICS else ""
            given_name, family_name = parts
            slug = slugify(f"{given_name} {family_name}")
            self.people[name] = self.ensure(
                Person,
                {"slug": slug},
                {
                    "honorific": honorific,
                    "given_name": given_name,
                    "family_name": family_name,
                    # Private, never shown publicly; example.org is reserved for examples.
                    "email": f"{slug}@example.org",
                    "is_demonstration": True,
                    "added_for": added_for,
                },
            )
        person = self.people[name]
        if person.added_for_id is None and added_for is not None:
            person.added_for = added_for
            person.save(update_fields=["added_for"])
        return person

    def organisation(self, key: str) -> Organisation:
        name, sector = ORGANISATIONS[key]
        return self.ensure(Organisation, {"name": name, "sector": sector})

    def partnership(self, ics: IntegratedCareSystem, *, slug: str, parent: Partnership | None = None, **fields):
        if parent is None:
            # A system has one statutory ICP: find it by its system, so that one already there is reused.
            lookup = {"ics": ics, "kind": Partnership.Kind.STATUTORY_ICP}
            fields["slug"] = slug
        else:
            lookup = {"slug": slug}
            fields |= {"ics": ics, "parent": parent, "kind": Partnership.Kind.AREA}
        defaults = {
            "access_rule": Partnership.AccessRule.LGA_1972,
            "quorum_rule": STATUTORY_QUORUM,
            **STATUTORY_QUORUM_RULE,
            "website": ics.icb.website,
            "established_on": ESTABLISHED,
            **fields,
        }
        partnership = self.ensure(Partnership, lookup, defaults)
        self.report.partnerships.append(partnership)
        return partnership

    def member(
        self,
        partnership: Partnership,
        name: str,
        seat: str,
        organisation: Organisation | None,
        *,
        sector: str = "",
        role: str = ROLE.MEMBER,
        start_date: dt.date = ESTABLISHED,
        end_date: dt.date | None = None,
        end_reason: str = "",
    ) -> Membership:
        return self.ensure(
            Membership,
            {"partnership": partnership, "person": self.person(name, partnership), "start_date": start_date},
            {
                "seat": seat,
                "organisation": organisation,
                "sector": sector or organisation.sector,
                "role": role,
                "is_voting": role == ROLE.MEMBER,
                "end_date": end_date,
                "end_reason": end_reason,
            },
        )

    def chair(
        self,
        partnership: Partnership,
        name: str,
        role: str,
        *,
        start_date: dt.date = ESTABLISHED,
        end_date: dt.date | None = None,
        end_reason: str = "",
    ) -> ChairAppointment:
        return self.ensure(
            ChairAppointment,
            {
                "partnership": partnership,
                "person": self.person(name, partnership),
                "role": role,
                "start_date": start_date,
            },
            {
                "appointed_by": ChairAppointment.AppointedBy.JOINTLY,
                "appointed_on": start_date,
                "end_date": end_date,
                "end_reason": end_reason,
            },
        )

    def council(self, code: str, area: str) -> LocalAuthority:
        """A council, with its health and wellbeing board."""
        council = self.councils[code]
        self.ensure(
            HealthAndWellbeingBoard, {"local_authority": council}, {"name": f"{area} Health and Wellbeing Board"}
        )
        return council

    def health_and_wellbeing_board_chair(self, partnership: Partnership, code: str, area: str, name: str) -> None:
        council = self.council(code, area)
        if code != SUNDERLAND or partnership.ics.slug != "north-east-and-north-cumbria":
            self.member(partnership, name, HWB_CHAIR, council)
            return
        self.member(
            partnership,
            FORMER_SUNDERLAND_CHAIR,
            HWB_CHAIR,
            council,
            end_date=FORMER_CHAIR_LEFT,
            end_reason=FORMER_CHAIR_REASON,
        )
        self.member(partnership, name, HWB_CHAIR, council, start_date=FORMER_CHAIR_LEFT + dt.timedelta(days=1))


def _north_east_and_north_cumbria(b: _Builder) -> Partnership:
    ics = b.systems["north-east-and-north-cumbria"]
    strategic = b.partnership(
        ics,
        slug="north-east-and-north-cumbria-strategic-icp",
        name="North East and North Cumbria Strategic Integrated Care Partnership",
        purpose=(
            "The Strategic ICP signs off the integrated care strategy for the three million people of North East "
            "and North Cumbria, building on the analysis of need from the four Area ICPs.\n\n"
            "It promotes joint action by its partners to improve health and wellbeing, tackle health inequalities "
            "and the wider social and economic causes of ill health, and champions the NHS's part in the region's "
            "social and economic development. It meets once or twice a year."
        ),
        contact_email="strategic-icp@example.org",
        terms_of_reference_adopted_on=dt.date(2022, 12, 6),
    )
    for name, seat in NENC_ICB_MEMBERS:
        b.member(strategic, name, seat, ics.icb)
    for name, seat, organisation, role in NENC_PARTNERS:
        b.member(strategic, name, seat, b.organisation(organisation), role=role)
    for code, area, _area_icp, chair, officer, post in NENC_COUNCILS:
        b.health_and_wellbeing_board_chair(strategic, code, area, chair)
        b.member(strategic, officer, post, b.councils[code])
    # Co-chairs chosen jointly by the ICB and the councils: the ICB chair and a council leader.
    b.chair(strategic, "Prof Ada Fellside", CO_CHAIR)
    b.chair(
        strategic,
        FORMER_SUNDERLAND_CHAIR,
        CO_CHAIR,
        end_date=FORMER_CHAIR_LEFT,
        end_reason="Stood down on leaving the council's cabinet",
    )
    b.chair(strategic, "Cllr Edwin Saltmarsh", CO_CHAIR, start_date=dt.date(2024, 6, 1))

    for slug, name, director, trust, chief_executive, pcn_lead, chairs in NENC_AREAS:
        area_icp = b.partnership(
            ics,
            slug=f"nenc-{slug}-area-icp",
            parent=strategic,
            name=f"{name} Area Integrated Care Partnership",
            purpose=(
                f"The {name} Area ICP analyses and responds to the needs of its places, using the joint strategic "
                "needs assessments led by their health and wellbeing boards. It agrees shared objectives, and turns "
                "the local health and wellbeing strategies and the integrated care strategy into action across the "
                "area. It meets every two months."
            ),
            quorum_rule="Half of the members, including one from the ICB and one from a council",
            quorum_numerator=1,
            quorum_denominator=2,
            contact_email=f"{slug}-area-icp@example.org",
        )
        for code, area, area_icp_slug, chair, _officer, _post in NENC_COUNCILS:
            if area_icp_slug == slug:
                b.health_and_wellbeing_board_chair(area_icp, code, area, chair)
        b.member(area_icp, director, dict(NENC_ICB_MEMBERS)[director], ics.icb)
        b.member(area_icp, chief_executive, "Chief executive", b.organisation(trust))
        b.member(area_icp, pcn_lead, "Primary care network clinical lead", None, sector=SECTOR.PRIMARY_CARE)
        for chair, role in chairs:
            b.chair(area_icp, chair, role)
    return strategic


def _humber_and_north_yorkshire(b: _Builder) -> None:
    ics = b.systems["humber-and-north-yorkshire"]
    icp = b.partnership(
        ics,
        slug="humber-and-north-yorkshire-icp",
        name="Humber and North Yorkshire Integrated Care Partnership",
        purpose=(
            "The partnership meets in public each quarter, as the last session of a whole ICP meetings day that "
            "also holds the Place Leadership Board and the Futures Group. It seeks assurance on progress with the "
            "system's strategy: that its people Start Well, Live Well, Age Well and Die Well."
        ),
        contact_email="hny-icp@example.org",
    )
    for code, area, chair in HNY_COUNCILS:
        b.health_and_wellbeing_board_chair(icp, code, area, chair)
    b.member(icp, "Dame Philippa Foxholes", ICB_CHAIR, ics.icb)
    b.member(icp, "Nathan Spurnpoint", ICB_CHIEF_EXECUTIVE, ics.icb)
    healthwatch = b.organisation("healthwatch-north-yorkshire")
    b.member(icp, "Zara Wheatfield", "Healthwatch representative", healthwatch, role=ROLE.PARTICIPANT)
    b.chair(
        icp,
        "Cllr Roland Chalkhill",
        CHAIR,
        end_date=dt.date(2024, 3, 31),
        end_reason="Two-year term of office ended",
    )
    b.chair(icp, "Cllr Alastair Moorgate", CHAIR, start_date=dt.date(2024, 4, 1))
    b.chair(icp, "Dame Philippa Foxholes", VICE_CHAIR)


def _surrey_heartlands(b: _Builder) -> None:
    ics = b.systems["surrey-heartlands"]
    county = b.council(SURREY, "Surrey")
    icp = b.partnership(
        ics,
        slug="surrey-heartlands-icp",
        name="Surrey Heartlands Integrated Care Partnership",
        purpose=(
            "The partnership brings the county council, the NHS and the partners of Surrey's four places together "
            "to tackle inequality in health, with a focus on the towns that people in Surrey know as home."
        ),
        contact_email="surrey-heartlands-icp@example.org",
        terms_of_reference_adopted_on=dt.date(2022, 10, 12),
    )
    b.member(icp, "Cllr Beatrice Downland", "Leader of the council and chair of the health and wellbeing board", county)
    b.member(icp, "Dr Marcus Chalkpit", DPH, county)
    b.member(icp, "Prof Clare Boxhill", ICB_CHAIR, ics.icb)
    b.member(icp, "Ian Leithwood", ICB_CHIEF_EXECUTIVE, ics.icb)
    for place_name, lead in SURREY_PLACES:
        place = b.ensure(Place, {"ics": ics, "slug": slugify(place_name)}, {"name": place_name})
        place.local_authorities.add(county)
        b.member(icp, lead, f"Place lead, {place_name}", ics.icb)
    healthwatch = b.organisation("healthwatch-surrey")
    b.member(icp, "Esther Larkhill", "Healthwatch representative", healthwatch, role=ROLE.PARTICIPANT)
    b.chair(icp, "Cllr Beatrice Downland", CHAIR)
    b.chair(icp, "Prof Clare Boxhill", VICE_CHAIR)


def _south_yorkshire(b: _Builder) -> None:
    ics = b.systems["south-yorkshire"]
    icp = b.partnership(
        ics,
        slug="south-yorkshire-icp",
        name="South Yorkshire Integrated Care Partnership",
        purpose=(
            "The partnership sets the system's integrated care strategy and links it to the region's plans for "
            "growth, skills and transport."
        ),
        contact_email="south-yorkshire-icp@example.org",
    )
    for code, area, chair in SOUTH_YORKSHIRE_COUNCILS:
        b.health_and_wellbeing_board_chair(icp, code, area, chair)
    b.member(icp, "Mayor Ruth Steelgate", "Mayor of South Yorkshire", b.organisation("symca"))
    b.member(icp, "Pearl Rivelin", ICB_CHAIR, ics.icb)
    b.chair(icp, "Mayor Ruth Steelgate", CO_CHAIR)
    b.chair(icp, "Pearl Rivelin", CO_CHAIR)


def _hampshire_and_isle_of_wight(b: _Builder) -> None:
    ics = b.systems["hampshire-and-isle-of-wight"]
    icp = b.partnership(
        ics,
        slug="hampshire-and-isle-of-wight-icp",
        name="Hampshire and Isle of Wight Integrated Care Partnership",
        purpose=(
            "The partnership prepares the integrated care strategy for Hampshire, Portsmouth, Southampton and the "
            "Isle of Wight, and holds its partners to account for the system's shared priorities."
        ),
        access_rule=Partnership.AccessRule.PUBLIC_BODIES_1960,
        contact_email="hiow-icp@example.org",
    )
    for code, area, chair in HIOW_COUNCILS:
        b.health_and_wellbeing_board_chair(icp, code, area, chair)
    b.member(icp, "Dr Stuart Testwood", DPH, b.councils[HAMPSHIRE])
    b.member(icp, "Miriam Solentide", ICB_CHAIR, ics.icb)
    b.chair(icp, "Dr Stuart Testwood", CO_CHAIR)
    b.chair(icp, "Miriam Solentide", CO_CHAIR)


def _register_of_interests(b: _Builder) -> None:
    for name, category, description, organisation, start_date, end_date, declared_on in INTERESTS:
        b.ensure(
            Interest,
            {"person": b.person(name), "description": description},
            {
                "category": category,
                "organisation_name": organisation,
                "start_date": start_date,
                "end_date": end_date,
                "declared_on": declared_on,
            },
        )
    for name, declared_on in NIL_RETURNS:
        b.ensure(NilReturn, {"person": b.person(name), "declared_on": declared_on})


def _link(person: Person, user) -> None:
    """Make `user` the sign-in account of `person`, and give the account the person's name."""
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    if (user.first_name, user.last_name) != (person.given_name, person.family_name):
        user.first_name, user.last_name = person.given_name, person.family_name
        user.save(update_fields=["first_name", "last_name"])


def _area_coverage(b: _Builder) -> None:
    """Which councils each of NENC's Area ICPs covers, so its page and the system page say which
    Area partnership is a council's (issue 15). Adds only what is missing."""
    for code, _area, area_slug, *_rest in NENC_COUNCILS:
        area_icp = Partnership.objects.filter(slug=f"nenc-{area_slug}-area-icp").first()
        if area_icp is not None and code in b.councils:
            area_icp.councils.add(b.councils[code])


def demo_load(*, users: dict) -> DemoReport:
    """Create whatever demonstration data is missing, and bring the demo partnerships'
    permissions in step with it.

    `users` maps the demo logins 'secretariat', 'chair' and 'member' to their accounts: the
    secretariat runs NENC's Strategic ICP, the chair is its co-chair Prof Ada Fellside (the ICB
    chair) and the member Dr Imogen Larchfield (a non-executive director of the ICB). Raises
    ReferenceDataMissing if the systems and councils have not been loaded. Call it inside a
    transaction."""
    report = DemoReport()
    builder = _Builder(report)
    builder.check_reference_data()
    strategic = _north_east_and_north_cumbria(builder)
    _area_coverage(builder)
    _humber_and_north_yorkshire(builder)
    _surrey_heartlands(builder)
    _south_yorkshire(builder)
    _hampshire_and_isle_of_wight(builder)
    _register_of_interests(builder)

    _link(builder.person("Prof Ada Fellside"), users["chair"])
    _link(builder.person("Dr Imogen Larchfield"), users["member"])
    builder.ensure(
        SecretariatAssignment, {"partnership": strategic, "user": users["secretariat"]}, {"start_date": ESTABLISHED}
    )
    for partnership in report.partnerships:
        permissions_sync(partnership)
    return report
