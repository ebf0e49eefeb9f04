from django import forms

from .search import Filters, Kind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]


class SearchForm(forms.Form):
    """The public search and its filters. Partnership and system options are the ones the
    results come from (set by the view), so choosing one never leads to nothing."""

    q = forms.CharField(
        label="Words to find in meetings, agendas, minutes and papers",
        help_text="For example, falls prevention, winter plan, Carlisle or Gateshead Council",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label="Show",
        choices=[("", "Everything"), *Kind.CHOICES],
        required=False,
        widget=forms.RadioSelect,
    )
    partnership = forms.SlugField(label="Partnership", required=False, widget=forms.Select)
    system = forms.SlugField(label="Integrated care system", required=False, widget=forms.Select)
    start = forms.DateField(
        label="From",
        help_text="For example, 2025-04-01",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        help_text="For example, 2026-03-31",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("kind") in Kind.ALIASES:
            data = data.copy()
            data["kind"] = Kind.ALIASES[data["kind"]]
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The ‘To’ date must be the same as or after the ‘From’ date")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            partnership=data.get("partnership") or "",
            system=data.get("system") or "",
            start=data.get("start"),
            end=data.get("end"),
            kinds=frozenset([data["kind"]]) if data.get("kind") else frozenset(),
        )

    def offer(self, results) -> None:
        """Offer the partnerships and systems the results come from (and any already chosen)."""
        for name, label, everything in (
            ("partnership", "partnership", "All partnerships"),
            ("system", "system", "All systems"),
        ):
            seen = {getattr(r, f"{label}_slug"): getattr(r, label) for r in results}
            chosen = self.cleaned_data.get(name) if self.is_valid() else ""
            if chosen and chosen not in seen:
                seen[chosen] = chosen
            options = sorted(seen.items(), key=lambda pair: pair[1])
            self.fields[name].widget.choices = [("", everything), *options]
