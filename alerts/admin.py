from django.contrib import admin

from .models import AlertEvent, Delivery, Subscription, SuppressedAddress


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "partnership", "ics", "query", "frequency", "confirmed_at", "ended_at", "end_reason"]
    list_filter = ["frequency", "end_reason"]
    search_fields = ["email"]
    raw_id_fields = ["partnership", "ics"]
    readonly_fields = ["token", "created_at", "confirmed_at"]


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    search_fields = ["email"]


@admin.register(AlertEvent)
class AlertEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "partnership", "object_id", "created_at", "fanned_out_at"]
    list_filter = ["kind"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "subscription"]
