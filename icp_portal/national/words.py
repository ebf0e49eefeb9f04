"""The words the national-scale generator builds names and text from. Every person is fictional."""

from meetings.models import (
    AgendaItem,
    Decision,
)


def words(text: str) -> list[str]:
    return text.split()


# Words the generator builds names and text from. Every person is fictional.
GIVEN_NAMES = words(
    "Aisha Alan Amara Amy Andrew Anil Ann Beth Bilal Bryony Carl Catherine Chidi Claire Colin Dan Deborah Deepa "
    "Eleanor Emeka Emma Farah Fiona Gareth Grace Hannah Harpreet Helen Ian Imran Isla Jack James Jane Jasmine Joanne "
    "Jon Josephine Kamal Karen Kate Kwame Laura Leon Lucy Mandeep Maria Mark Martin Megan Mohammed Naomi Neil Nia "
    "Oliver Olu Patrick Priya Rachel Rhys Ruth Sam Sarah Shabana Simon Sophie Stephen Tariq Tom Una Vikram Wendy Yusuf"
)
FAMILY_NAMES = words(
    "Abbott Adeyemi Ahmed Ainsworth Alder Ashdown Bancroft Barnes Beckett Bhatt Blackwood Bramley Brook Calder "
    "Carrick Chaudhry Clegg Coates Cole Dale Danby Dawson Dunmore Ellery Fairbairn Fenwick Fletcher Garside Gill "
    "Greenhalgh Hartley Haworth Heath Holroyd Hussain Iqbal Jessop Kaur Kenyon Khan Lambert Lindley Lowther Mallory "
    "Marsden Mistry Moorcroft Nair Nuttall Okafor Ormerod Patel Pickering Quayle Radley Ramsden Rowntree Sandford "
    "Sharma Shaw Singh Stainton Sutcliffe Tang Thackeray Thornton Uddin Varley Wainwright Walsh Whitaker Yates"
)
HONORIFICS = ["", "", "", "", "", "Dr", "Cllr", "Professor"]
TOPICS = [
    "Integrated care strategy: annual refresh",
    "Joint forward plan",
    "Health inequalities and Core20PLUS5",
    "Children and young people's mental health",
    "Better Care Fund plan",
    "Winter resilience",
    "Workforce and the health and care academy",
    "Housing and health",
    "Healthwatch annual report",
    "Population health management",
    "Tobacco control and smoke-free generation",
    "Healthy weight and physical activity",
    "Dementia and ageing well",
    "Carers' strategy",
    "Community engagement: you said, we did",
    "Social prescribing and the VCSE sector",
    "Urgent and emergency care recovery",
    "Suicide prevention",
    "Digital inclusion",
    "Joint strategic needs assessment",
    "Learning disability and autism",
    "Start for life and family hubs",
    "Air quality and health",
    "Employment and health",
    "Alcohol and drugs partnership",
]
PRESENTERS = [
    "Director of Public Health",
    "ICB Chief Executive",
    "Director of Adult Social Services",
    "Director of Strategy",
    "Healthwatch Chief Executive",
    "VCSE Alliance Lead",
    "Director of Children's Services",
    "Chief Nurse",
]
EXEMPT_TOPICS = [
    (3, "Procurement of community services: evaluation", "Tender prices are commercially sensitive until award."),
    (3, "Estates: disposal of a site", "Disclosure would prejudice the negotiation of the sale."),
    (1, "Appointment of the independent chair", "The item discusses named candidates."),
    (5, "Legal advice on a pooled budget dispute", "The advice is legally privileged."),
    (4, "Workforce consultation", "Consultation with staff representatives is under way."),
]
DISCUSSION = [
    "Members welcomed the report and asked how it would reach the most deprived communities.",
    "The partnership discussed the risks set out in the paper and the mitigations proposed.",
    "Members asked for the voice of people with lived experience to be heard at the next meeting.",
    "The presenter took questions on the funding position and the timetable for delivery.",
    "Members noted the progress made since the last meeting and the areas still behind plan.",
    "The chair thanked the officers and asked for an update in six months.",
]
RESOLUTIONS = [
    "The partnership agreed the recommendations of the report.",
    "The partnership noted the report.",
    "The partnership endorsed the approach and asked for a progress report.",
]
END_REASONS = [
    "Term ended",
    "Stood down",
    "Left the organisation",
    "Replaced by the nominating body",
    "Not re-elected",
    "Retired",
]
ACTION_TEXTS = [
    "Circulate the evaluation to members.",
    "Bring a progress report to the next meeting.",
    "Share the engagement findings with the health and wellbeing boards.",
    "Arrange a development session on the topic.",
    "Write to the nominating bodies about vacant seats.",
    "Publish the summary on the partnership's website.",
]
# Items that carry papers: every substantive item, the previous minutes and the action log.
PAPER_STANDARDS = ("", AgendaItem.Standard.PREVIOUS_MINUTES, AgendaItem.Standard.ACTION_LOG)
DECISION_STATUSES = (
    [Decision.Status.AGREED] * 40
    + [Decision.Status.AGREED_WITH_AMENDMENTS] * 4
    + [Decision.Status.DEFERRED] * 3
    + [Decision.Status.NOTED] * 2
    + [Decision.Status.NOT_AGREED]
)
# The text of a generated paper (`MeetingsMixin.paper_text`): an opening naming its item, then a
# few of these, so common words ("strategy", "inequalities", "workforce", "mental health",
# "housing", "winter", "carers") are found in a realistic share of papers and a topic's own words
# ("dementia", "tobacco") mostly in the papers of its items.
PAPER_OPENINGS = [
    "This report to the partnership covers {topic}.",
    "This paper updates members on {topic}.",
    "The purpose of this paper is to seek the partnership's view on {topic}.",
]
PAPER_SENTENCES = [
    "It sets out how the work supports the integrated care strategy and the joint forward plan.",
    "The strategy's priorities were agreed with the health and wellbeing boards last year.",
    "Health inequalities remain wide between the most and least deprived neighbourhoods.",
    "Action on inequalities focuses on the Core20PLUS5 groups and on children and young people.",
    "Workforce shortages in social care and community nursing are the main risk to delivery.",
    "Demand for children and young people's mental health services has risen by a fifth.",
    "Poor housing, damp and overcrowding contribute to avoidable admissions.",
    "Winter pressures on urgent and emergency care are expected to peak in January.",
    "Unpaid carers told us they want earlier support and a single point of contact.",
    "The voluntary, community and social enterprise sector is a partner in every workstream.",
    "Local authorities and the NHS have pooled budgets through the Better Care Fund.",
    "Residents were engaged through surveys, listening events and the Healthwatch network.",
    "Progress is measured against the outcomes framework and reported every quarter.",
    "Financial pressures mean that some schemes will be phased over two years.",
    "Data sharing between general practice, hospitals and councils has improved.",
    "Prevention, early intervention and healthy life expectancy are central to the plan.",
    "Members are asked to note the risks and the mitigations proposed.",
    "Members are asked to agree the recommendations and the timetable for delivery.",
]
