"""Everything kuaiban serves under ``/kuaiban/`` (namespace ``kuaiban``): the
public phone pages and two desk pages that live beside them (the reporter's
photo for desk users who may see the case, the QR posters)."""

from zhonglou_hrss.kuaiban.desk.urls import kuaiban_patterns
from zhonglou_hrss.kuaiban.public.urls import urlpatterns as public_patterns

app_name = "kuaiban"

urlpatterns = public_patterns + kuaiban_patterns
