"""Talent demands (R-PT-04, 05, 06, 07, 13, 14), mounted at ``/api/v1/portal/``.

Enterprise (an approved account; a pending or rejected one gets 403 账号待审核 /
账号未通过审核：<原因>):
- ``GET/POST demands/``                 its own demands / a new draft
- ``GET/PUT/DELETE demands/{id}/``      one; change it until approved; withdraw it (not once approved)
- ``POST demands/{id}/submit/``         to review
- ``POST demands/{id}/outcome/``        after approval: ``{"positions":[{"id","hired"}],"result"}``
Staff (portal.view_demand; deciding needs portal.review_demand):
- ``GET demands/?status=&from=&to=&industry=&industrial_chain=&uscc=&q=``
- ``POST demands/{id}/approve/``, ``POST demands/{id}/reject/`` ``{"reason"}``
- ``GET stats/demands/?from=&to=``      the statistics (default: this year up to today)

Another enterprise's demand is 404. Every write goes through
``services.demands`` (row lock, the workflow table, the timeline).
"""

from __future__ import annotations

from datetime import date

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import clock, custom_fields
from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.selectors import access_refusal
from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from zhonglou_hrss.portal.api.demand_serializers import (
    DemandFilterSerializer,
    DemandInputSerializer,
    DemandSerializer,
    DemandStatsSerializer,
    OutcomeInputSerializer,
    DemandRejectSerializer,
    StatsQuerySerializer,
)
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.permissions import ApprovedEnterprise, has_perm
from zhonglou_hrss.portal.models import Demand
from zhonglou_hrss.portal.rules import REVIEW_DEMANDS, SUBSYSTEM, VIEW_DEMANDS
from zhonglou_hrss.portal.selectors.demands import (
    DEFINITIONS,
    demand_for,
    demand_list_for,
    demand_statistics,
    filter_demands,
    is_demand_staff,
    with_rows,
)
from zhonglou_hrss.portal.services.demands import (
    DemandInput,
    DemandPositionInput,
    MajorInput,
    OutcomeInput,
    decide_demand,
    report_outcome,
    save_demand,
    submit_demand,
    withdraw_demand,
)

TAGS = ["码上办：人才需求"]


class EnterpriseOrDemandStaff(BasePermission):
    """Staff who may view demands, or an approved enterprise (the exact 403 otherwise)."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if is_demand_staff(request.user):
            return True
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            raise PermissionDenied(refusal)
        return True


def _input(body: dict) -> DemandInput:
    positions = [DemandPositionInput(**{**row, "majors": [MajorInput(**m) for m in row.get("majors", [])]})
                 for row in body.pop("positions", [])]
    return DemandInput(**body, positions=positions)


def _read(request, demand_id) -> dict:
    visible = demand_for(request.user, demand_id)  # 404 for another enterprise's
    demand = with_rows(Demand.objects.filter(pk=visible.pk)).select_related("enterprise").get()
    own = not is_demand_staff(request.user)
    return DemandSerializer(demand, context={"request": request, "full_pii": own,
                                             "custom_fields": _custom_shown(request.user, own)}).data


def _custom_shown(user, own: bool):
    """The enterprise sees the fields of its own forms (public); staff those their roles may."""
    return custom_fields.visible("demand", None if own else user, public=own)


class DemandListCreateView(ListAPIView):
    serializer_class = DemandSerializer
    pagination_class = ListPagination
    permission_classes = [EnterpriseOrDemandStaff]

    def get_queryset(self):
        params = DemandFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        qs = filter_demands(demand_list_for(self.request.user), **params.validated_data)
        qs = custom_fields.filter_queryset(qs, "demand", custom_fields.filter_params(self.request.query_params),
                                           user=self.request.user)
        return with_rows(qs).select_related("enterprise").order_by("-submitted_at", "-id")

    def get_serializer_context(self):
        own = not is_demand_staff(self.request.user)
        return {**super().get_serializer_context(), "full_pii": own,
                "custom_fields": _custom_shown(self.request.user, own)}

    @extend_schema(tags=TAGS, summary="人才需求列表", parameters=[DemandFilterSerializer],
                   description="企业：本企业的全部需求（含草稿）。工作人员：已提交的需求，可按状态、提交期间（from、to，"
                               "YYYY-MM-DD，含起止日）、行业、产业链、统一社会信用代码和关键词筛选；联系人手机号脱敏。",
                   responses={200: DemandSerializer(many=True), **error_responses(400, 401, 403), **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="填写人才需求（企业）", request=DemandInputSerializer,
                   description="保存为草稿，之后可继续修改，提交审核见 submit。所有字段一次检查，错误按字段给出，如 "
                               "positions[1].salary_max、positions[0].majors[0].headcount。行业和产业链取自企业资料。",
                   responses={201: DemandSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        if is_demand_staff(request.user):
            raise PermissionDenied("人才需求由企业填写")
        body = DemandInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        demand = save_demand(actor=request.user, data=_input(dict(body.validated_data)))
        return Response(_read(request, demand.pk), status=201)


class DemandDetailView(APIView):
    permission_classes = [EnterpriseOrDemandStaff]

    @extend_schema(tags=TAGS, summary="人才需求详情", responses={200: DemandSerializer,
                                                              **error_responses(401, 403, 404)})
    def get(self, request, pk):
        return Response(_read(request, pk))

    @extend_schema(tags=TAGS, summary="修改人才需求（企业）", request=DemandInputSerializer,
                   description="审核通过前可修改（整体替换岗位和专业）；已通过的为 409。原样发回脱敏的手机号表示不修改。",
                   responses={200: DemandSerializer, **error_responses(400, 401, 403, 404, 409)})
    def put(self, request, pk):
        body = DemandInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        save_demand(actor=request.user, demand_id=pk, data=_input(dict(body.validated_data)))
        return Response(_read(request, pk))

    @extend_schema(tags=TAGS, summary="撤回人才需求（企业）", request=None,
                   description="审核通过前可撤回（删除，留审计记录）；已通过的为 409。",
                   responses={204: None, **error_responses(401, 403, 404, 409)})
    def delete(self, request, pk):
        withdraw_demand(actor=request.user, demand_id=pk)
        return Response(status=204)


class SubmitView(APIView):
    permission_classes = [ApprovedEnterprise]

    @extend_schema(tags=TAGS, summary="提交审核（企业）", request=None,
                   description="草稿或未通过（修改后）的需求提交审核。", responses={200: DemandSerializer,
                                                                  **error_responses(401, 403, 404, 409)})
    def post(self, request, pk):
        submit_demand(actor=request.user, demand_id=pk)
        return Response(_read(request, pk))


class OutcomeView(APIView):
    permission_classes = [ApprovedEnterprise]

    @extend_schema(tags=TAGS, summary="反馈招聘结果（企业）", request=OutcomeInputSerializer,
                   description="审核通过后填写每个岗位的实际招聘人数，并选择 completed（已完成）或 partial（未完全达成）。"
                               "首次反馈后30天内可以更正。", responses={200: DemandSerializer,
                                                         **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        body = OutcomeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hired = {row["id"]: row["hired"] for row in body.validated_data["positions"]}
        report_outcome(actor=request.user, demand_id=pk,
                       data=OutcomeInput(hired=hired, result=body.validated_data["result"]))
        return Response(_read(request, pk))


class DecideView(APIView):
    approve = True
    permission_classes = [has_perm(REVIEW_DEMANDS, message="您没有审核人才需求的权限")]

    def post(self, request, pk):
        reason = ""
        if not self.approve:
            body = DemandRejectSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            reason = body.validated_data["reason"]
        decide_demand(actor=request.user, demand_id=pk, approve=self.approve, reason=reason)
        return Response(_read(request, pk))


class ApproveView(DecideView):
    @extend_schema(tags=TAGS, summary="审核通过（工作人员）", request=None,
                   responses={200: DemandSerializer, **error_responses(401, 403, 404, 409)})
    def post(self, request, pk):
        return super().post(request, pk)


class RejectView(DecideView):
    approve = False

    @extend_schema(tags=TAGS, summary="审核不通过（工作人员）", request=DemandRejectSerializer,
                   description="须填写原因；企业看到“未通过”和原因，修改后重新提交。",
                   responses={200: DemandSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        return super().post(request, pk)


def stats_payload(date_from: date, date_to: date) -> dict:
    stats = demand_statistics(date_from, date_to)
    out = {"from": stats.date_from, "to": stats.date_to}
    for key in ("demands", "approved", "completed", "partial", "no_feedback", "satisfaction", "requested", "hired"):
        out[key] = getattr(stats, key)
    for key, rows in stats.dimensions.items():
        out[f"by_{key}"] = [vars(r) for r in rows]
    out["by_service"] = stats.services
    out["by_enterprise"] = stats.enterprises
    out["definitions"] = DEFINITIONS
    return out


class DemandStatsView(APIView):
    permission_classes = [has_perm(VIEW_DEMANDS, message="您没有查看人才需求统计的权限")]

    @extend_schema(tags=TAGS, summary="人才需求统计（工作人员）", parameters=[StatsQuerySerializer],
                   description="统计期间内提交且审核通过的需求：按年龄段、学历、工作经历、性别、用工性质、月薪区间、技能要求、"
                               "专业类别、行业、产业链的需求人数占比（合计为1），服务需求条数占比，各企业需求与实际招聘人数，"
                               "满意度（已完成 ÷ 已通过；未完全达成、未反馈另列）。口径见 definitions。",
                   responses={200: DemandStatsSerializer, **error_responses(400, 401, 403)})
    def get(self, request):
        params = StatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = timezone.localdate(clock.now())
        date_to = params.validated_data.get("date_to") or today
        date_from = params.validated_data.get("date_from") or date(date_to.year, 1, 1)
        # Plain numbers and strings already: the serializer documents the shape (schema), and
        # running it over a year's 2,000 enterprises cost more than the figures themselves.
        return Response(stats_payload(date_from, date_to))


urlpatterns = [
    path("demands/", DemandListCreateView.as_view(), name="portal-demands"),
    path("demands/<id:pk>/", DemandDetailView.as_view(), name="portal-demand"),
    path("demands/<id:pk>/submit/", SubmitView.as_view(), name="portal-demand-submit"),
    path("demands/<id:pk>/outcome/", OutcomeView.as_view(), name="portal-demand-outcome"),
    path("demands/<id:pk>/approve/", ApproveView.as_view(), name="portal-demand-approve"),
    path("demands/<id:pk>/reject/", RejectView.as_view(), name="portal-demand-reject"),
    path("stats/demands/", DemandStatsView.as_view(), name="portal-demand-stats"),
]
