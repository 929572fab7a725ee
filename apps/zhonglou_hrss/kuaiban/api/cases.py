"""Kuaiban REST API, mounted at ``/api/v1/kuaiban/`` (the contract of issue #3).

- ``GET  cases/``                 the caller's visible cases, filtered, newest first, paginated
- ``POST cases/``                 internal registration (R-KB-02)
- ``GET  cases/{id}/``            detail, timeline and the actions the caller may take now
- ``POST cases/{id}/{action}/``   one workflow action (``workflow.ACTIONS``)

Reads go through ``selectors`` (visibility first, R-KB-16), writes through
``services`` (registration, the one transition door); errors are the domain
errors mapped by ``core.api_errors``. Personal data: always masked in lists;
in full in a detail only for holders of core.view_pii, and every such answer
writes one audit row.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.api_errors import error_responses, flatten_errors
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.kuaiban.api.paging import CaseListPagination
from zhonglou_hrss.kuaiban.api.serializers.cases import (
    ACTION_SERIALIZERS,
    CaseDetailSerializer,
    CaseHiddenSerializer,
    CaseListItemSerializer,
    CaseRegistrationSerializer,
)
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for, filter_cases, with_overdue
from zhonglou_hrss.kuaiban.selectors.filters import CaseFilterSerializer
from zhonglou_hrss.kuaiban.selectors.handling import grid_handling_of
from zhonglou_hrss.kuaiban.services.registration import (
    CompanionInput,
    RegistrationInput,
    register_case,
    validate_registration,
)
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform
from zhonglou_hrss.kuaiban.workflow import ACTIONS

TAGS = ["快办"]
REGISTER_PERM = "kuaiban.register_case"
# After these the acting user may no longer see the case (R-KB-07, R-KB-10).
HIDING_ACTIONS = {"grid_return", "return_to_leader"}
PII_FIELDS = ("reporter_id_number", "reporter_phone")
LIST_COLUMNS = ("id", "number", "status", "grid__code", "grid__name", "reason__code", "reason__label", "custom",
                "respondent_name", "reporter_name", "reporter_id_number", "reporter_phone", "created_at",
                "grid_accepted_at")


# --- detail: one place builds it (GET, after registration, after an action) ---------
def case_detail_data(request, case_id) -> dict:
    """The detail body of a case the caller can see (else NotVisible → 404).

    Personal data is shown in full to holders of core.view_pii, and that view
    is written to the audit log (one row per answer)."""
    user = request.user
    case = (with_overdue(case_list_for(user))
            .select_related("grid", "reason", "channel", "attributed_grid", "registered_by",
                            "open_assignment__inspector")
            .prefetch_related("companions")
            .filter(pk=case_id).first())
    if case is None:
        raise NotVisible()
    with_last_grid_acceptance([case])
    case.timeline_events = list(case.events.order_by("-at", "-id"))
    case.caller_actions = allowed_actions(case, user)
    shown = custom_fields.visible("case", user)
    personal = custom_fields.personal_shown("case", case, user, shown)
    full = pii.disclose(user, case, request=request,
                        fields=pii.shown_fields(case, PII_FIELDS, companions=case.companions.all()) + personal)
    return CaseDetailSerializer(case, context={"request": request, "full_pii": full, "custom_fields": shown}).data


def with_last_grid_acceptance(cases: list) -> list:
    """``last_grid_accepted_at`` on each case, from the rounds (one query for
    all): what the desk list and the export show as the grid's acceptance."""
    handling = grid_handling_of([c.pk for c in cases]) if cases else {}
    for case in cases:
        known = handling.get(case.pk)
        case.last_grid_accepted_at = known.accepted_at if known else None
    return cases


# --- registration input -----------------------------------------------------------------
def _registration_input(values: Mapping) -> RegistrationInput:
    def text(mapping, key):
        return mapping.get(key) or ""

    return RegistrationInput(
        reporter_name=text(values, "reporter_name"),
        reporter_id_number=text(values, "reporter_id_number"),
        reporter_phone=text(values, "reporter_phone"),
        companions=[CompanionInput(name=text(c, "name"), id_number=text(c, "id_number"), phone=text(c, "phone"))
                    for c in values.get("companions") or []],
        respondent_name=text(values, "respondent_name"),
        respondent_uscc=text(values, "respondent_uscc"),
        respondent_uscc_confirmed=bool(values.get("respondent_uscc_confirmed")),
        reason=text(values, "reason"),
        grid=text(values, "grid"),
        demand=text(values, "demand"),
        channel=text(values, "channel"),
        custom=values.get("custom"),
    )


def _top_field(key: str) -> str:
    return key.split(".")[0].split("[")[0]


def parse_registration(raw, *, actor=None) -> RegistrationInput:
    """The JSON body as the service's input. Values of the wrong type (a list
    where text belongs…) are refused here; the service then still names every
    other bad field, so one answer lists all problems."""
    serializer = CaseRegistrationSerializer(data=raw, partial=True)
    if serializer.is_valid():
        return _registration_input(serializer.validated_data)
    type_errors = flatten_errors(serializer.errors)
    if not isinstance(raw, Mapping):
        raise InvalidInput(type_errors)
    bad = {_top_field(key) for key in type_errors}
    rest = CaseRegistrationSerializer(data={k: v for k, v in raw.items() if k not in bad}, partial=True)
    errors: dict[str, list[str]] = {}
    if rest.is_valid():
        try:
            validate_registration(_registration_input(rest.validated_data), source=CaseSource.INTERNAL, actor=actor)
        except InvalidInput as exc:
            errors = {k: v for k, v in exc.errors.items() if _top_field(k) not in bad}
    errors.update(type_errors)
    raise InvalidInput(errors)


# --- views --------------------------------------------------------------------------------
class CaseListCreateView(ListCreateAPIView):
    serializer_class = CaseListItemSerializer
    pagination_class = CaseListPagination  # fast at 10⁶ cases: see api/paging.py

    def get_queryset(self):
        params = CaseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        now = clock.now()  # one "now" for the badge and the filter
        qs = with_overdue(case_list_for(self.request.user), now=now)
        qs = filter_cases(qs, now=now, user=self.request.user, **params.validated_data)
        qs = custom_fields.filter_queryset(qs, "case", custom_fields.filter_params(self.request.query_params),
                                           user=self.request.user)
        return qs.select_related("grid", "reason").only(*LIST_COLUMNS).order_by("-created_at", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_last_grid_acceptance(list(page))

    def get_serializer_context(self):
        # Lists: personal data always masked; the custom fields' definitions read once per request.
        return {**super().get_serializer_context(), "full_pii": False,
                "custom_fields": custom_fields.visible("case", self.request.user)}

    @extend_schema(
        tags=TAGS, summary="事件列表", parameters=[CaseFilterSerializer],
        description="调用者可见的事件（领导、区后勤人员：全部；监察员：指派给本人的；网格员：派给本网格且未被"
                    "本网格以“非本网格”退回的），最新登记的在前，每页 20 条。列表中的身份证号、手机号一律脱敏。",
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 401), **PAGE_NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS, summary="内部登记事件", request=CaseRegistrationSerializer,
        description="区后勤人员登记事件（R-KB-02）。网格为区本级时直接进入“待领导指派”。同一人同一诉求几分钟内"
                    "重复提交时不新建事件，返回 200 和已有事件。需要“内部登记快办事件”权限。",
        responses={201: OpenApiResponse(CaseDetailSerializer, description="已登记，返回事件详情"),
                   200: OpenApiResponse(CaseDetailSerializer, description="重复提交：返回先前登记的事件"),
                   **error_responses(400, 401, 403)},
    )
    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(REGISTER_PERM):
            raise ActionForbidden("您没有登记事件的权限")
        result = register_case(actor=request.user, data=parse_registration(request.data, actor=request.user),
                               source=CaseSource.INTERNAL)
        return Response(case_detail_data(request, result.case.pk), status=200 if result.duplicate else 201)


class CaseDetailView(APIView):
    @extend_schema(
        tags=TAGS, summary="事件详情",
        description="事件的全部信息、同行人员、事件记录（最新的在前）和调用者此刻可执行的操作。有“查看完整个人"
                    "信息”权限时身份证号、手机号为完整值，并记入审计日志；否则脱敏。",
        responses={200: CaseDetailSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk):
        return Response(case_detail_data(request, pk))


class CaseActionView(APIView):
    """Base of the per-action views below (one URL and one schema entry each)."""

    action_name = ""

    def run(self, request, pk):
        data = request.data
        if not isinstance(data, Mapping):
            raise InvalidInput({"non_field_errors": ["请求内容须为 JSON 对象"]})
        outcome = perform(case_id=pk, action=self.action_name, actor=request.user, data=data)
        try:
            return Response(case_detail_data(request, pk))
        except NotVisible:  # the action handed the case away from the caller
            return Response(CaseHiddenSerializer(outcome.case).data)


def _action_description(name: str) -> str:
    spec = ACTIONS[name]
    states = "、".join(CaseStatus(s).label for s in CaseStatus.values if s in spec.from_states)
    after = f"执行后状态为“{CaseStatus(spec.to_state).label}”。" if spec.to_state else "状态不变。"
    text = f"{spec.label}。可执行的状态：{states}；{after}时间字段可不填，默认为当前时间。"
    if name in HIDING_ACTIONS:
        text += "执行后调用者不能再查看该事件，返回的是简要结果（visible=false）。"
    return text


def _action_view(name: str) -> type[CaseActionView]:
    success = CaseDetailSerializer
    if name in HIDING_ACTIONS:
        success = PolymorphicProxySerializer(component_name="CaseActionResult",
                                             serializers=[CaseDetailSerializer, CaseHiddenSerializer],
                                             resource_type_field_name=None)

    @extend_schema(
        tags=TAGS, operation_id=f"kuaiban_case_{name}", summary=ACTIONS[name].label,
        description=_action_description(name), request=ACTION_SERIALIZERS[name],
        responses={200: OpenApiResponse(success, description="成功，返回更新后的事件详情"),
                   **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        return self.run(request, pk)

    camel = "".join(part.title() for part in name.split("_"))
    return type(f"Case{camel}View", (CaseActionView,), {"action_name": name, "post": post, "__module__": __name__})


ACTION_VIEWS = {name: _action_view(name) for name in ACTIONS}


@extend_schema(exclude=True)
class UnknownActionView(APIView):
    """Any other ``cases/{id}/{word}/``: a JSON 404, not the site's HTML page."""

    def _missing(self, request, *args, **kwargs):
        raise NotVisible("没有这个操作")

    get = post = put = patch = delete = _missing


urlpatterns = [
    path("cases/", CaseListCreateView.as_view(), name="api-kuaiban-cases"),
    path("cases/<int:pk>/", CaseDetailView.as_view(), name="api-kuaiban-case"),
    *[path(f"cases/<int:pk>/{name}/", view.as_view(), name=f"api-kuaiban-case-{name}")
      for name, view in ACTION_VIEWS.items()],
    path("cases/<int:pk>/<str:action>/", UnknownActionView.as_view(), name="api-kuaiban-case-unknown-action"),
]
