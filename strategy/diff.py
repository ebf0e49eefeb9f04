"""What changed between two versions of a strategy, section by section and priority by
priority, for a side-by-side table.

Sections and priorities are matched by the key they keep when a version is copied, so a
renamed or moved section is still compared with itself. Lines are compared with difflib;
lines that changed are compared word by word. The result is plain data (text fragments
marked same, added or removed): templates escape it like any other text.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .models import Priority, Section, StrategyVersion
from .selectors import by_priority, priority_summaries

CONTEXT_LINES = 1
# Below this similarity a changed line reads better as one line removed and another added
# than as a patchwork of changed words.
WORD_DIFF_MIN_RATIO = 0.5
_TOKENS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Fragment:
    text: str
    change: str  # "same", "added" or "removed"


@dataclass
class Row:
    """One line of each version, side by side. `old` or `new` is None where the other version
    has a line this one does not. A gap stands for unchanged lines left out."""

    old: list[Fragment] | None = None
    new: list[Fragment] | None = None
    gap: int = 0


@dataclass
class PartDiff:
    """One section or priority in both versions."""

    old_title: str | None
    new_title: str | None
    rows: list[Row] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or ""

    @property
    def change(self) -> str:
        if self.old_title is None:
            return "added"
        if self.new_title is None:
            return "removed"
        if self.old_title != self.new_title or any(not row.gap for row in self.rows):
            return "changed"
        return "unchanged"


@dataclass
class VersionDiff:
    old: StrategyVersion
    new: StrategyVersion
    introduction: PartDiff
    sections: list[PartDiff]
    priorities: list[PartDiff]

    @property
    def changed(self) -> int:
        parts = [self.introduction, *self.sections, *self.priorities]
        return sum(1 for part in parts if part.change != "unchanged")


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _words(old: str, new: str) -> tuple[list[Fragment], list[Fragment]]:
    a, b = _TOKENS.split(old), _TOKENS.split(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < WORD_DIFF_MIN_RATIO:
        return [Fragment(old, "removed")], [Fragment(new, "added")]
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(a[i1:i2])
            left.append(Fragment(text, "same"))
            right.append(Fragment(text, "same"))
            continue
        if i2 > i1:
            left.append(Fragment("".join(a[i1:i2]), "removed"))
        if j2 > j1:
            right.append(Fragment("".join(b[j1:j2]), "added"))
    return _merge(left), _merge(right)


def _merge(fragments: list[Fragment]) -> list[Fragment]:
    merged: list[Fragment] = []
    for fragment in fragments:
        if merged and merged[-1].change == fragment.change:
            merged[-1] = Fragment(merged[-1].text + fragment.text, fragment.change)
        else:
            merged.append(fragment)
    return merged


def line_rows(old_lines: list[str], new_lines: list[str], *, context: int = CONTEXT_LINES) -> list[Row]:
    """Side-by-side rows for two lists of lines: changes, with `context` unchanged lines
    around them and a gap row for each run of unchanged lines left out."""
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            same = [Row([Fragment(line, "same")], [Fragment(line, "same")]) for line in old_lines[i1:i2]]
            rows.extend(same)
            continue
        old_part, new_part = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(old_part), len(new_part))):
            old_line = old_part[index] if index < len(old_part) else None
            new_line = new_part[index] if index < len(new_part) else None
            if old_line is not None and new_line is not None:
                rows.append(Row(*_words(old_line, new_line)))
            elif old_line is not None:
                rows.append(Row([Fragment(old_line, "removed")], None))
            else:
                rows.append(Row(None, [Fragment(new_line, "added")]))
    return _with_context(rows, context)


def _is_same(row: Row) -> bool:
    return bool(row.old and row.new) and all(f.change == "same" for f in [*row.old, *row.new])


def _with_context(rows: list[Row], context: int) -> list[Row]:
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if not _is_same(row):
            for near in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[near] = True
    result: list[Row] = []
    for index, row in enumerate(rows):
        if keep[index]:
            result.append(row)
        elif result and result[-1].gap:
            result[-1].gap += 1
        else:
            result.append(Row(gap=1))
    return result


def _section_lines(section) -> list[str]:
    return _lines(section.body)


def _priority_lines(priority) -> list[str]:
    lines = _lines(priority.summary)
    lines.append(f"Theme: {priority.theme_label}")
    lines.extend(f"Aim: {label}" for label in priority.aim_labels)
    places = sorted(priority.place_names)
    councils = sorted(priority.council_names)
    if places:
        lines.append(f"Places: {', '.join(places)}")
    if councils:
        lines.append(f"Councils: {', '.join(councils)}")
    for measure in priority.measure_list:
        baseline = f"{measure.baseline} ({measure.baseline_period})" if measure.baseline_period else measure.baseline
        target = f"{measure.target} by {measure.target_date}" if measure.target_date else measure.target
        lines.append(f"Measure: {measure.name}: from {baseline} to {target}")
    lines.extend(f"Evidence: {title}" for title in sorted(priority.evidence_titles))
    return lines


def _parts(old_items, new_items, lines) -> list[PartDiff]:
    old_by_key = {item.key: item for item in old_items}
    parts, seen = [], set()
    for item in new_items:
        before = old_by_key.get(item.key)
        seen.add(item.key)
        parts.append(
            PartDiff(
                before.title if before else None,
                item.title,
                line_rows(lines(before) if before else [], lines(item), context=CONTEXT_LINES),
            )
        )
    for item in old_items:
        if item.key not in seen:
            parts.append(PartDiff(item.title, None, line_rows(lines(item), [])))
    return parts


def versions_compare(old: StrategyVersion, new: StrategyVersion) -> VersionDiff:
    """The differences between two versions of the same strategy (in a fixed number of queries)."""

    # Both versions' sections in one query, and their priorities in another, then split by
    # version. What a priority's lines name is read in one query per relation, as plain
    # (priority, name) pairs, unordered but for the measures: the lines sort names themselves,
    # and Django's prefetching and ordering cost more than the few rows.
    sections = list(Section.objects.filter(version__in=[old, new]).order_by("position"))
    priorities = list(Priority.objects.filter(version__in=[old, new]).order_by("position"))
    priority_summaries(priorities)
    evidence = by_priority(
        Priority.evidence.through.objects.filter(priority_id__in=[priority.pk for priority in priorities]).values_list(
            "priority_id", "evidence__title"
        )
    )
    for priority in priorities:
        priority.evidence_titles = evidence[priority.pk]
    old_sections = [section for section in sections if section.version_id == old.pk]
    new_sections = [section for section in sections if section.version_id == new.pk]
    old_priorities = [priority for priority in priorities if priority.version_id == old.pk]
    new_priorities = [priority for priority in priorities if priority.version_id == new.pk]
    introduction = PartDiff(
        old.title,
        new.title,
        line_rows(_lines(old.summary), _lines(new.summary)),
    )
    return VersionDiff(
        old=old,
        new=new,
        introduction=introduction,
        sections=_parts(old_sections, new_sections, _section_lines),
        priorities=_parts(old_priorities, new_priorities, _priority_lines),
    )
