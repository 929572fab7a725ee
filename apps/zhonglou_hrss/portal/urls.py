"""Everything the portal serves under ``/portal/`` (namespace ``portal``): the
enterprises' PC portal pages. (Its desk pages are routed by its lists in the
desk site, ``admin/``; its API is ``api/urls``.)"""

from zhonglou_hrss.portal.public.urls import urlpatterns as public_patterns

app_name = "portal"

urlpatterns = public_patterns
