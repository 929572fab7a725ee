"""Petition (信访, R-KB-15) REST API, mounted at ``/api/v1/kuaiban/petitions/``.

- ``GET   petitions/``       the caller's visible petitions, filtered, newest first, paginated
- ``POST  petitions/``       enter a petition (kuaiban.add_petition)
- ``GET   petitions/{id}/``  detail with companions and history (newest first)
- ``PUT   petitions/{id}/``  replace every field (kuaiban.change_petition)
- ``PATCH petitions/{id}/``  change only the fields sent; the rest keep their values

Reads go through ``selectors.petitions`` (``petition_list_for`` first), writes
through ``services.petitions.save_petition`` (all checks, all or nothing,
one history row per change). Errors: the case API's contract
(``core.api_errors``): 400 names each field, 403, 404. Personal data: always
masked in lists; in full in a detail only for holders of core.view_pii, and
every such answer writes one audit row.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.core.api_errors import error_responses, flatten_errors
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.kuaiban.api.paging import ListPagination
from zhonglou_hrss.kuaiban.api.serializers.petitions import (
    PetitionDetailSerializer,
    PetitionInputSerializer,
    PetitionListItemSerializer,
)
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.selectors.filters import PetitionFilterSerializer
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_for, petition_list_for
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition, validate_petition

TAGS = ["信访"]
ADD_PERM = "kuaiban.add_petition"
CHANGE_PERM = "kuaiban.change_petition"
PII_FIELDS = ("id_number", "phone")
LIST_COLUMNS = ("id", "number", "custom", "name", "id_number", "phone", "respondent_name", "reason__code", "reason__label",
                "grid__code", "grid__name", "result", "handled_at", "created_at")
TEXT_FIELDS = ("name", "id_number", "phone", "respondent_name", "respondent_uscc", "reason", "grid", "demand",
               "result")


# --- detail: one place builds it (GET, after create, after a change) ---------------------
def petition_detail_data(request, petition_id) -> dict:
    """The detail body of a petition the caller can see (else NotVisible → 404).

    Personal data in full only for holders of core.view_pii, and that view is
    written to the audit log (one row per answer)."""
    user = request.user
    petition = (petition_list_for(user).select_related("grid", "reason", "registered_by")
                .prefetch_related("companions").filter(pk=petition_id).first())
    if petition is None:
        raise NotVisible()
    petition.history_events = list(petition.events.order_by("-at", "-id"))
    shown = custom_fields.visible("petition", user)
    personal = custom_fields.personal_shown("petition", petition, user, shown)
    full = pii.disclose(user, petition, request=request,
                        fields=pii.shown_fields(petition, PII_FIELDS, companions=petition.companions.all()) + personal)
    return PetitionDetailSerializer(petition, context={"request": request, "full_pii": full,
                                                       "custom_fields": shown}).data


# --- input --------------------------------------------------------------------------------
def current_values(petition: Petition) -> dict:
    """A stored petition as a request body (full values: the base a PATCH merges onto)."""
    return {
        "name": petition.name, "id_number": petition.id_number, "phone": petition.phone,
        "companions": [{"name": c.name, "id_number": c.id_number, "phone": c.phone}
                       for c in petition.companions.all()],
        "respondent_name": petition.respondent_name, "respondent_uscc": petition.respondent_uscc,
        # The stored code was accepted (and confirmed if its check digit is off) when it was entered.
        "respondent_uscc_confirmed": True,
        "reason": petition.reason.code, "grid": petition.grid.code, "demand": petition.demand,
        "result": petition.result, "handled_at": petition.handled_at,
    }


def _petition_input(values: Mapping) -> PetitionInput:
    def text(mapping, key):
        return mapping.get(key) or ""

    return PetitionInput(
        **{name: text(values, name) for name in TEXT_FIELDS},
        companions=[CompanionInput(name=text(c, "name"), id_number=text(c, "id_number"), phone=text(c, "phone"))
                    for c in values.get("companions") or []],
        respondent_uscc_confirmed=bool(values.get("respondent_uscc_confirmed")),
        handled_at=values.get("handled_at") or None,
        custom=values.get("custom"),
    )


def _top_field(key: str) -> str:
    return key.split(".")[0].split("[")[0]


def _merge(base: Mapping | None, values: Mapping, raw: Mapping) -> Mapping:
    """PATCH: the fields the body names replace the stored ones."""
    if base is None:
        return values
    sent = {k: v for k, v in values.items() if k in raw}
    merged = {**base, **sent}
    if ("respondent_uscc" in sent and "respondent_uscc_confirmed" not in sent
            and (sent["respondent_uscc"] or "").strip().upper() != base["respondent_uscc"]):
        merged["respondent_uscc_confirmed"] = False  # a new code is checked afresh
    return merged


def parse_petition(raw, *, base: Mapping | None = None, petition: Petition | None = None,
                   actor=None) -> PetitionInput:
    """The JSON body as the service's input; with ``base`` (PATCH) the body's
    fields replace the stored ones and the others are kept. Values of the wrong
    type are refused here; the service still names every other bad field, so
    one answer lists all problems."""
    if not isinstance(raw, Mapping):
        raise InvalidInput({"non_field_errors": ["请求内容须为 JSON 对象"]})
    raw = {k: (None if k == "handled_at" and v == "" else v) for k, v in raw.items()}
    serializer = PetitionInputSerializer(data=raw, partial=True)
    if serializer.is_valid():
        return _petition_input(_merge(base, serializer.validated_data, raw))
    type_errors = flatten_errors(serializer.errors)
    bad = {_top_field(key) for key in type_errors}
    rest = PetitionInputSerializer(data={k: v for k, v in raw.items() if k not in bad}, partial=True)
    errors: dict[str, list[str]] = {}
    if rest.is_valid():
        try:
            validate_petition(_petition_input(_merge(base, rest.validated_data, raw)), petition, actor)
        except InvalidInput as exc:
            errors = {k: v for k, v in exc.errors.items() if _top_field(k) not in bad}
    errors.update(type_errors)
    raise InvalidInput(errors)


def _visible_for_change(request, pk) -> Petition:
    """The petition to change: 404 when the caller cannot see it, 403 when they
    see it but may not change it."""
    petition = petition_for(request.user, pk)
    if not request.user.has_perm(CHANGE_PERM):
        raise ActionForbidden("您没有修改信访记录的权限")
    return petition


# --- views --------------------------------------------------------------------------------
class PetitionListCreateView(ListCreateAPIView):
    serializer_class = PetitionListItemSerializer
    pagination_class = ListPagination

    def get_queryset(self):
        params = PetitionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        qs = filter_petitions(petition_list_for(self.request.user), **params.validated_data)
        qs = custom_fields.filter_queryset(qs, "petition", custom_fields.filter_params(self.request.query_params),
                                           user=self.request.user)
        return qs.select_related("grid", "reason").only(*LIST_COLUMNS).order_by("-created_at", "-id")

    def get_serializer_context(self):
        # Lists: personal data always masked; the custom fields' definitions read once per request.
        return {**super().get_serializer_context(), "full_pii": False,
                "custom_fields": custom_fields.visible("petition", self.request.user)}

    @extend_schema(
        tags=TAGS, summary="信访列表", parameters=[PetitionFilterSerializer],
        description="调用者可见的信访记录（有“查看信访记录”权限的区后勤人员、领导：全部；其他人：无），最新录入的"
                    "在前，每页 20 条。可按网格、案由、办结情况、录入时间、处置时间、对方单位和关键词筛选。列表中的"
                    "身份证号、电话一律脱敏。",
        responses={200: PetitionListItemSerializer(many=True), **error_responses(400, 401), **PAGE_NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS, summary="录入信访", request=PetitionInputSerializer,
        description="区后勤人员录入信访记录（R-KB-15）。网格可为区本级。处置结果与处置时间同时填写即为已办结。"
                    "所有字段一次校验，有误时逐项列出且不保存。需要“添加信访记录”权限。",
        responses={201: OpenApiResponse(PetitionDetailSerializer, description="已录入，返回信访详情"),
                   **error_responses(400, 401, 403)},
    )
    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(ADD_PERM):
            raise ActionForbidden("您没有录入信访记录的权限")
        petition = save_petition(actor=request.user, data=parse_petition(request.data, actor=request.user))
        return Response(petition_detail_data(request, petition.pk), status=201)


class PetitionDetailView(APIView):
    @extend_schema(
        tags=TAGS, summary="信访详情",
        description="信访记录的全部信息、同行人员、是否办结和变更记录（最新的在前）。有“查看完整个人信息”权限时"
                    "身份证号、电话为完整值，并记入审计日志；否则脱敏。",
        responses={200: PetitionDetailSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk):
        return Response(petition_detail_data(request, pk))

    @extend_schema(
        tags=TAGS, summary="修改信访（整条）", request=PetitionInputSerializer,
        description="以请求内容替换整条信访记录（未提供的字段视为清空，必填项会报错）。有改动时写一条变更记录。"
                    "需要“修改信访记录”权限。",
        responses={200: OpenApiResponse(PetitionDetailSerializer, description="已保存，返回信访详情"),
                   **error_responses(400, 401, 403, 404)},
    )
    def put(self, request, pk):
        petition = _visible_for_change(request, pk)
        save_petition(actor=request.user, data=parse_petition(request.data, petition=petition, actor=request.user), petition_id=pk)
        return Response(petition_detail_data(request, pk))

    @extend_schema(
        tags=TAGS, summary="修改信访（部分字段）", request=PetitionInputSerializer(partial=True),
        description="只修改请求中给出的字段，其余保持原值（如只补录处置结果和处置时间）；companions 给出时整体替换"
                    "同行人员。合并后整条重新校验。有改动时写一条变更记录。需要“修改信访记录”权限。",
        responses={200: OpenApiResponse(PetitionDetailSerializer, description="已保存，返回信访详情"),
                   **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk):
        petition = _visible_for_change(request, pk)
        data = parse_petition(request.data, base=current_values(petition), petition=petition, actor=request.user)
        save_petition(actor=request.user, data=data, petition_id=pk)
        return Response(petition_detail_data(request, pk))


urlpatterns = [
    path("", PetitionListCreateView.as_view(), name="api-kuaiban-petitions"),
    path("<int:pk>/", PetitionDetailView.as_view(), name="api-kuaiban-petition"),
]
