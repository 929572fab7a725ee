"""The employee's phone pages under ``/questionnaires/`` (namespace
``questionnaires``) and the enterprise's portal pages under
``/portal/evaluations/`` (namespace ``evaluations``)."""

from django.urls import path, register_converter

from zhonglou_hrss.questionnaires.public import views


class Year:
    regex = "20[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(Year, "qyear")

employee_patterns = [
    path("<slug:key>/", views.employee_entry, name="employee_entry"),
    path("<slug:key>/answer/", views.employee_answer, name="employee_answer"),
    path("<slug:key>/done/", views.employee_done, name="employee_done"),
]

portal_patterns = [
    path("", views.hr_list, name="list"),
    path("<str:uscc>/<qyear:year>/", views.hr_form, name="form"),
]
