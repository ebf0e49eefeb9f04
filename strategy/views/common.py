"""Pages shared by the workspace and the public site."""

from django.shortcuts import render

from ..diff import versions_compare
from ..forms import CompareForm


def compare_page(request, partnership, versions, crumbs, *, public: bool):
    """Two of `versions` side by side: those chosen in the query string, else the two newest."""
    by_number = {version.number: version for version in versions}
    initial = {"old": versions[1].number, "new": versions[0].number} if len(versions) >= 2 else {}
    chosen = "old" in request.GET or "new" in request.GET
    form = CompareForm(request.GET if chosen else None, versions=versions, initial=initial)
    diff = None
    if chosen and form.is_valid():
        diff = versions_compare(by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]])
    elif not chosen and initial:
        diff = versions_compare(by_number[initial["old"]], by_number[initial["new"]])
    context = {"partnership": partnership, "versions": versions, "form": form, "diff": diff, "public": public}
    return render(request, "strategy/compare.html", {**context, "crumbs": crumbs})
