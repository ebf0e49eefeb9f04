"""The home page's "Find your integrated care system" understands what people type: council
names in every form, towns, former counties and misspellings (`partnerships.finder`)."""

from django.urls import reverse

NENC = "North East and North Cumbria"
LSC = "Lancashire and South Cumbria"


def _results(client, query) -> str:
    content = client.get(reverse("home"), {"q": query}).content.decode()
    return content[content.index('id="results"') :]


def test_the_examples_of_the_issue_each_find_their_system(client, reference_data):
    for query in ["Gateshead Council", "Newcastle upon Tyne", "County Durham", "Carlisle"]:
        results = _results(client, query)
        assert "0 results" not in results, query
        assert NENC in results, query


def test_a_town_says_which_council_it_is_in(client, reference_data):
    results = _results(client, "Carlisle")
    assert "Carlisle is in Cumberland Council" in results
    assert results.index(NENC) < results.index(LSC)  # most of Cumberland is in North East and North Cumbria


def test_a_town_in_the_smaller_part_of_a_council_leads_to_its_own_system(client, reference_data):
    results = _results(client, "Penrith")
    assert results.index(NENC) < results.index(LSC)
    assert "Westmorland and Furness Council (part: 25.4%)" in results


def test_a_former_county_and_a_misspelling_find_their_systems(client, reference_data):
    assert "Cumbria is now covered by Cumberland Council" in _results(client, "Cumbria")
    assert NENC in _results(client, "Gatshead")
