"""The API's description (``/api/schema/``, ``/api/docs/``): open to anyone
on a demo or test site, to signed-in users only on a production site
(``settings.API_DOCS_PUBLIC``, from ``SiteConfig.is_production``; issue 10
item 9) — the list of every endpoint and field is no help to a stranger."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer


class SchemaAccess(BasePermission):
    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class _RefusedInJSON:
    """A stranger gets the API's 401 in JSON (in Chinese), not a YAML or HTML page."""

    permission_classes = [SchemaAccess]

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.PermissionDenied)):
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


class SchemaView(_RefusedInJSON, SpectacularAPIView):
    pass


class DocsView(_RefusedInJSON, SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script a file (``?script``): no inline script (CSP)."""
