from django import forms

from .models import Subscription


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to this address to confirm. You do not need an account.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you want emails"},
    )


class FollowSearchForm(FollowForm):
    query = forms.CharField(
        label="Search words",
        max_length=200,
        help_text="We email you when something published contains all of these words.",
        error_messages={"required": "Enter the words to search for"},
    )

    field_order = ["query", "email", "frequency"]

    def clean_query(self):
        query = " ".join(self.cleaned_data["query"].split())
        if not query:
            raise forms.ValidationError("Enter the words to search for")
        return query
