"""Everything the questionnaires serve outside the desk and the API: the
employee's phone pages (``/questionnaires/``, namespace ``questionnaires``)
and the enterprise's portal pages (``portal_urls``: ``/portal/evaluations/``,
namespace ``evaluations``). Desk pages are routed by the app's lists in the
desk site (``admin/``)."""

from zhonglou_hrss.questionnaires.public.urls import employee_patterns

app_name = "questionnaires"

urlpatterns = employee_patterns
