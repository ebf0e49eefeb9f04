"""The shipped gazetteer is exactly what its build script makes from the pinned sources, so
anyone can check it and rebuild it (partnerships/gazetteer/SOURCES.md)."""

from partnerships.gazetteer import PLACES, build


def test_the_shipped_gazetteer_is_what_the_script_builds(tmp_path):
    rebuilt = tmp_path / "places.csv"
    build.write(build.build_rows(), rebuilt)
    assert rebuilt.read_bytes() == PLACES.read_bytes()


def test_the_build_assigns_every_cumbrian_place_to_a_council_of_today():
    rows = build.build_rows()
    by_name = {(r["name"], r["kind"]): r for r in rows}
    assert by_name[("Carlisle", "town")]["councils"] == build.CUMBERLAND
    assert by_name[("Kendal", "town")]["councils"] == build.WESTMORLAND_AND_FURNESS
    assert by_name[("Penrith", "town")]["icb"] == "E54000050"  # the Eden part: North East and North Cumbria
    assert not any(r["councils"] == "" and r["kind"] == "town" for r in rows)
