"""Parts of the secretariat's pages kept between requests, always current
(docs/adr/007-workspace-fragments.md).

    {% load fragments %}
    {% workspace_fragment "dashboard" partnership.pk members.number %}
      …what is due, the composition, the members…
    {% endworkspace_fragment %}

The fragment is rendered once and kept under a key made of its name, the values after the name,
and what every public page's key holds (icp_portal.pagecache.record_state): the version of the
record, replaced after every committed write to a table a page may read, today's date and the
next moment a meeting starts or ends. The next request after any change renders it afresh.

What may go inside: only what every reader allowed on the page sees alike, read from tables the
version watches. The view decides who may see the page before the template runs, on every
request; the fragment must not depend on who the reader is (no "(you)", no CSRF token: a
fragment holding one is rendered but never kept) nor show a table in
`pagecache.PRIVATE_TABLES` (invitations, the audit log), whose writes leave the version as it is.
What the fragment reads should be read lazily, inside it, so that a kept fragment saves the reads
as well as the rendering.

Kept only while the page cache is on (`PAGE_CACHE`): the tests turn it off, since their writes
are never committed and so never replace the version.
"""

import logging

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key

from icp_portal import pagecache

logger = logging.getLogger(__name__)
register = template.Library()

CSRF_FIELD = "csrfmiddlewaretoken"


def fragment_cache():
    return caches[settings.FRAGMENT_CACHE_ALIAS]


def _record_state(context) -> list[str]:
    """The record's state, read once for all the parts of a page (two reads of the cache)."""
    state = context.render_context.get(_record_state)
    if state is None:
        state = context.render_context[_record_state] = pagecache.record_state()
    return state


class WorkspaceFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        if not settings.PAGE_CACHE:
            return self.nodelist.render(context)
        try:
            vary = [*_record_state(context), *(value.resolve(context) for value in self.vary)]
            key = make_template_fragment_key(self.name.resolve(context), vary)
            kept = fragment_cache().get(key)
        except Exception:
            logger.exception("Fragment cache unavailable; rendering")
            return self.nodelist.render(context)
        if kept is not None:
            return kept
        output = self.nodelist.render(context)
        if CSRF_FIELD not in output:
            try:
                fragment_cache().set(key, output, timeout=settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("Could not keep a fragment")
        return output


@register.tag
def workspace_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name, then the values the fragment varies with.")
    nodelist = parser.parse(("endworkspace_fragment",))
    parser.delete_first_token()
    return WorkspaceFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
