"""The portal's navigation shows 信用评价 to accounts that applied for credit
(portal/public/base.html reads ``credit_access``). Lazy: a page that never
reads it (the desk, the API) never queries it; core.selectors.access_of
caches it for the request."""

from django.utils.functional import SimpleLazyObject

from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.credit.rules import SUBSYSTEM


def credit_access(request):
    user = getattr(request, "user", None)
    return {"credit_access": SimpleLazyObject(lambda: access_of(user, SUBSYSTEM))}
