from django.conf import settings


def portal(request):
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_phase": settings.PORTAL_PHASE,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
    }
