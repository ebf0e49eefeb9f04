"""Strategy text is written in Markdown and shown on public pages and in the PDF, so it is
rendered and then sanitised with nh3: headings, lists, links and tables survive; scripts,
styles, event handlers, inline HTML we do not expect and `javascript:` links do not.
"""

import functools

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# Section titles are <h2> on the page (the strategy's title is the <h1>), so headings written
# in a section's body start at <h3>: "# Heading" becomes <h3>, "## Heading" <h4>, and so on.
HEADING_OFFSET = 2

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# NHS.UK table styling for tables written in Markdown; header cells only occur in the table head.
# Added after sanitising, when these tags can carry no attributes at all, so that the output is
# the same on every render (nh3 would add them in no fixed order, and pages carry ETags).
TABLE_TAGS = {
    "<table>": '<table class="nhsuk-table">',
    "<thead>": '<thead class="nhsuk-table__head">',
    "<tbody>": '<tbody class="nhsuk-table__body">',
    "<tr>": '<tr class="nhsuk-table__row">',
    "<th>": '<th scope="col" class="nhsuk-table__header">',
    "<td>": '<td class="nhsuk-table__cell">',
}


class _ShiftHeadings(markdown.treeprocessors.Treeprocessor):
    def run(self, root) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_OFFSET)}"


class _ShiftHeadingsExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


# The result depends on the text alone, so a text seen before is not parsed again: every public
# strategy page shows each section's body, and parsing and sanitising is most of its rendering.
@functools.lru_cache(maxsize=512)
def render_markdown(text: str) -> SafeString:
    """`text` (Markdown) as sanitised HTML, safe to put in a page or a PDF."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - empty
    html = markdown.markdown(
        text,
        extensions=["tables", "sane_lists", _ShiftHeadingsExtension()],
        output_format="html",
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    for bare, styled in TABLE_TAGS.items():
        clean = clean.replace(bare, styled)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above; only fixed attributes added
