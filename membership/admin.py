"""Django admin for portal administrators (superusers only).

A person's sign-in account is linked here, and nowhere a secretariat can reach: the account gains
every role the person holds, on every partnership. Saving goes through
`services.person_administer`, which audits the change and re-syncs the person's partnerships.
Everything else about people and their terms is kept in the secretariat workspace, whose services
validate, audit and re-sync, so the rest is read-only here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services
from .models import ChairAppointment, Interest, Membership, Person, SecretariatAssignment


class AdministratorsOnly(admin.ModelAdmin):
    """Seen by superusers only, whatever model permissions a staff account has been given."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["user", "added_for", "contact_details_shared_on"]

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None and not user.is_active:
            raise ValidationError("That account is disabled.")
        return user

    def clean_contact_details_shared_on(self):
        shared_on = self.cleaned_data.get("contact_details_shared_on")
        if shared_on and shared_on > timezone.localdate():
            raise ValidationError("The date they agreed cannot be in the future.")
        return shared_on


@admin.register(Person)
class PersonAdmin(AdministratorsOnly):
    form = PersonAdminForm
    list_display = ["display_name", "user", "added_for", "contact_details_shared_on", "is_demonstration"]
    list_filter = ["is_demonstration", ("user", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "added_for"]
    search_fields = ["given_name", "family_name", "slug", "email", "user__username", "user__email"]
    raw_id_fields = ["user"]
    name_fields = ["honorific", "given_name", "family_name", "post_nominals", "pronouns", "slug"]
    readonly_fields = [*name_fields, "email", "phone", "is_demonstration"]
    fieldsets = [
        ("Name (edited in the secretariat workspace)", {"fields": name_fields}),
        ("Contact details (private)", {"fields": ["email", "phone"]}),
        ("Administrators only", {"fields": ["user", "added_for", "contact_details_shared_on"]}),
        (None, {"fields": ["is_demonstration"]}),
    ]

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        # The form has set the new values on `obj`; the service applies them to the stored
        # person (locked), audits them and re-syncs permissions. A refusal reaches the form.
        services.person_administer(
            actor=request.user,
            person=obj,
            user=form.cleaned_data["user"],
            added_for=form.cleaned_data["added_for"],
            contact_details_shared_on=form.cleaned_data["contact_details_shared_on"],
        )


@admin.register(Membership)
class MembershipAdmin(AdministratorsOnly):
    list_display = ["person", "partnership", "role", "seat", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["person", "partnership"]
    search_fields = ["person__given_name", "person__family_name", "partnership__name", "seat"]


@admin.register(ChairAppointment)
class ChairAppointmentAdmin(AdministratorsOnly):
    list_display = ["person", "partnership", "role", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["person", "partnership"]
    search_fields = ["person__given_name", "person__family_name", "partnership__name"]


@admin.register(SecretariatAssignment)
class SecretariatAssignmentAdmin(AdministratorsOnly):
    list_display = ["user", "partnership", "start_date", "end_date"]
    list_select_related = ["user", "partnership"]
    search_fields = ["user__username", "user__email", "partnership__name"]


@admin.register(Interest)
class InterestAdmin(AdministratorsOnly):
    list_display = ["person", "category", "organisation_name", "declared_on"]
    list_filter = ["category"]
    list_select_related = ["person"]
    search_fields = ["person__given_name", "person__family_name", "description", "organisation_name"]
