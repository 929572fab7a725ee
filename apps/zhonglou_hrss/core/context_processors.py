from django.conf import settings


def site(request):
    return {"SITE_TITLE": settings.SITE_TITLE, "SITE_IS_DEMO": settings.SITE.is_demo}
