"""What an uploaded or published PDF may not do: run scripts, open other files or programs, send
data. A generic PDF helper at the bottom of the apps: meetings checks uploads with it
(meetings.validators) and publishing cleans every pack it assembles (publishing.pdf)."""

from urllib.parse import urlsplit

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Active content -----------------------------------------------------------------------------
#
# What a published PDF may still do when a reader clicks: go to a page of the same file, open
# a web or email link, turn the page. Every other action - JavaScript, launching a program or
# another file (/Launch, /GoToR, /GoToE), submitting or importing form data, media, 3D, hiding
# fields - is removed. It is an allow-list, so an action type we have not heard of goes too.

SCRIPTS = "scripts"
EMBEDDED_FILES = "embedded files"
MEDIA = "embedded media"
OTHER_ACTIONS = "actions that open other files or programs or send data"
UNSAFE_LINKS = "links to scripts or to files on the reader's computer"
XFA_FORMS = "a dynamic (XFA) form"
# The order in which the uploader is told what was removed.
REMOVED_ORDER = (SCRIPTS, EMBEDDED_FILES, MEDIA, OTHER_ACTIONS, UNSAFE_LINKS, XFA_FORMS)

SAFE_NAMED_ACTIONS = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# Plain web and email links stay: papers cite reports on the web, and a viewer asks before
# opening them. javascript:, file:, data: and scheme-less targets are removed.
SAFE_URI_SCHEMES = frozenset({"http", "https", "mailto"})
_ACTION_LABELS = {
    "/JavaScript": SCRIPTS,
    "/Rendition": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/Sound": MEDIA,
    "/Movie": MEDIA,
    "/GoTo3DView": MEDIA,
}
# Annotations that carry a file, media or a player of their own: removed whole.
UNSAFE_ANNOTATIONS = {
    "/FileAttachment": EMBEDDED_FILES,
    "/Sound": MEDIA,
    "/Movie": MEDIA,
    "/Screen": MEDIA,
    "/RichMedia": MEDIA,
    "/3D": MEDIA,
}
# Entries of the catalog's /Names dictionary that hold scripts or files.
UNSAFE_NAME_TREES = {
    "/JavaScript": SCRIPTS,
    "/EmbeddedFiles": EMBEDDED_FILES,
    "/AlternatePresentations": MEDIA,
    "/Renditions": MEDIA,
}


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_action(value) -> bool:
    # Structure elements also have an /A entry (their attributes), without /S: not an action.
    return isinstance(value, DictionaryObject) and ("/S" in value or value.get("/Type") == "/Action")


def _safe_uri(value) -> bool:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    # Browsers ignore tabs, newlines and leading controls in a scheme ("java\tscript:").
    target = "".join(ch for ch in str(value or "") if ord(ch) > 0x20 and ord(ch) != 0x7F).lower()
    try:
        return urlsplit(target).scheme in SAFE_URI_SCHEMES
    except ValueError:
        return False


def unsafe_action(action) -> str | None:
    """What is wrong with the action chain starting at `action` (following /Next), as one
    of the labels above, or None when every action in it is allowed."""
    pending, seen = [action], set()
    while pending:
        item = _resolve(pending.pop())
        if id(item) in seen:
            continue
        seen.add(id(item))
        if not isinstance(item, DictionaryObject):
            return OTHER_ACTIONS
        kind = item.get("/S")
        if kind == "/URI":
            if not _safe_uri(_resolve(item.get("/URI"))):
                return UNSAFE_LINKS
        elif kind == "/Named":
            if _resolve(item.get("/N")) not in SAFE_NAMED_ACTIONS:
                return OTHER_ACTIONS
        elif kind != "/GoTo":
            return _ACTION_LABELS.get(kind, OTHER_ACTIONS)
        following = _resolve(item.get("/Next"))
        if isinstance(following, ArrayObject):
            pending.extend(following)
        elif following is not None:
            pending.append(following)
    return None


def _unsafe_annotation(annotation) -> str | None:
    annotation = _resolve(annotation)
    if not isinstance(annotation, DictionaryObject):
        return None
    subtype = annotation.get("/Subtype")
    if subtype in UNSAFE_ANNOTATIONS:
        return UNSAFE_ANNOTATIONS[subtype]
    action = _resolve(annotation.get("/A"))
    if subtype == "/Link" and _is_action(action):
        return unsafe_action(action)
    return None


def _clean_node(node: DictionaryObject, removed: set[str]) -> None:
    """Remove the active content held directly by one dictionary."""
    annotations = _resolve(node.get("/Annots"))
    if isinstance(annotations, ArrayObject):
        kept = []
        for annotation in annotations:
            label = _unsafe_annotation(annotation)
            if label:
                removed.add(label)
            else:
                kept.append(annotation)
        if len(kept) != len(annotations):
            annotations[:] = kept
    # Triggered actions: page open/close, field keystroke/format/validate, document will-save...
    triggers = _resolve(node.get("/AA"))
    if isinstance(triggers, DictionaryObject):
        for event in list(triggers):
            label = unsafe_action(triggers[event])
            if label:
                removed.add(label)
                del triggers[event]
        if not triggers:
            del node["/AA"]
    elif "/AA" in node:
        del node["/AA"]
        removed.add(OTHER_ACTIONS)
    for key in ("/A", "/OpenAction"):
        action = _resolve(node.get(key))
        if _is_action(action):
            label = unsafe_action(action)
            if label:
                removed.add(label)
                del node[key]
    # A file specification with the file itself inside (attachments, associated files).
    if "/EF" in node:
        del node["/EF"]
        removed.add(EMBEDDED_FILES)


def _clean_catalog(root: DictionaryObject, removed: set[str]) -> None:
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        for key, label in UNSAFE_NAME_TREES.items():
            if key in names:
                del names[key]
                removed.add(label)
    if "/Collection" in root:  # a portfolio: a PDF that is mainly a wrapper for embedded files
        del root["/Collection"]
        removed.add(EMBEDDED_FILES)
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        # XFA forms carry their own scripts; the static AcroForm fields and pages stay.
        del form["/XFA"]
        if "/NeedsRendering" in root:
            del root["/NeedsRendering"]
        removed.add(XFA_FORMS)


def _reachable(writer: PdfWriter, on_dictionary=None) -> set[int]:
    """The object numbers reachable from the writer's catalog and document information,
    calling `on_dictionary` on every dictionary met (before following its entries)."""
    numbers: set[int] = set()
    seen: set[int] = set()
    # The trailer's entries: the catalog, the document information and the file identifier.
    pending = [writer.root_object.indirect_reference, writer._info, writer._ID]  # noqa: SLF001
    while pending:
        value = pending.pop()
        reference = value if isinstance(value, IndirectObject) else getattr(value, "indirect_reference", None)
        if isinstance(reference, IndirectObject) and reference.pdf is writer:
            numbers.add(reference.idnum)
        value = _resolve(value)
        if not isinstance(value, (DictionaryObject, ArrayObject)) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, DictionaryObject):
            if on_dictionary is not None:
                on_dictionary(value)
            pending.extend(dict.values(value))  # the raw entries, references unresolved
        else:
            pending.extend(list.__iter__(value))
    return numbers


def strip_active_content(writer: PdfWriter) -> tuple[str, ...]:
    """Remove from `writer`, in place, everything a PDF viewer could run or open from the
    document: JavaScript (document-level, /OpenAction, triggered /AA actions, links, form
    fields), launch, remote go-to, form submission, import and media actions, unsafe URI
    links, embedded files, file attachment and media annotations and XFA forms. Objects left
    unreachable are dropped so they are not written out. Returns what was removed, as labels
    for the uploader ('scripts', 'embedded files'...), in a fixed order; () for a clean file."""
    removed: set[str] = set()
    _clean_catalog(writer.root_object, removed)
    _reachable(writer, on_dictionary=lambda node: _clean_node(node, removed))
    if removed:
        reachable = _reachable(writer)
        objects = writer._objects  # noqa: SLF001 - pypdf's own compress_identical_objects prunes it the same way
        for number in range(1, len(objects) + 1):
            if number not in reachable and objects[number - 1] is not None:
                objects[number - 1] = None
    return tuple(label for label in REMOVED_ORDER if label in removed)
