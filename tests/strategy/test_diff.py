"""Comparing versions: lines with difflib, changed lines word by word, unchanged runs left out."""

from strategy.diff import Fragment, line_rows, versions_compare
from strategy.services.priorities import priority_remove
from strategy.services.sections import section_add, section_update
from strategy.services.versions import version_new_draft


def test_changed_lines_are_compared_word_by_word():
    rows = line_rows(["People live shorter lives."], ["People live much shorter lives."])
    assert len(rows) == 1
    assert rows[0].old == [Fragment("People live shorter lives.", "same")]
    assert rows[0].new == [
        Fragment("People live ", "same"),
        Fragment("much ", "added"),
        Fragment("shorter lives.", "same"),
    ]


def test_added_and_removed_lines_stand_alone_and_unchanged_runs_become_gaps():
    old = ["Intro", "A", "B", "C", "D", "Removed line", "End"]
    new = ["Intro", "A", "B", "C", "D", "End", "Added line"]
    rows = line_rows(old, new, context=1)
    assert rows[0].gap == 4  # Intro, A, B, C left out
    assert rows[1].old == rows[1].new == [Fragment("D", "same")]
    assert rows[2].old == [Fragment("Removed line", "removed")] and rows[2].new is None
    assert rows[3].old == rows[3].new == [Fragment("End", "same")]
    assert rows[4].old is None and rows[4].new == [Fragment("Added line", "added")]


def test_identical_text_is_one_gap():
    rows = line_rows(["Same", "Text"], ["Same", "Text"])
    assert len(rows) == 1 and rows[0].gap == 2


def test_versions_are_compared_section_by_section_following_renames(cast, draft, adopting_decision):
    from .conftest import publish

    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    section_update(section=second.sections.get(), actor=cast.secretariat, title="Our people", body="New.")
    section_add(version=second, actor=cast.secretariat, title="Housing", body="Warm homes.")
    priority_remove(priority=second.priorities.get(), actor=cast.secretariat)
    diff = versions_compare(draft, second)
    assert [(part.title, part.change) for part in diff.sections] == [("Our people", "changed"), ("Housing", "added")]
    assert diff.sections[0].old_title == "Our population"
    assert [(part.title, part.change) for part in diff.priorities] == [("Start well", "removed")]
    assert diff.introduction.change == "unchanged"
    assert diff.changed == 3


def test_a_rewritten_line_shows_as_removed_and_added_rather_than_a_patchwork():
    rows = line_rows(
        ["Our strategy sets out how partners will work."], ["A wholly different sentence now stands here."]
    )
    assert rows[0].old == [Fragment("Our strategy sets out how partners will work.", "removed")]
    assert rows[0].new == [Fragment("A wholly different sentence now stands here.", "added")]
