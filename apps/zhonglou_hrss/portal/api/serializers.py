"""The portal API's bodies (contract of issue 12): news, concerns, accounts, job fairs."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.api_fields import ChoiceLabelField, CustomValuesField
from zhonglou_hrss.portal.rules import MAX_ATTENDEES, MAX_POSITIONS



def _text(label: str, *, required: bool = True, max_length: int | None = None, **kwargs):
    messages = {"required": f"请填写{label}", "blank": f"请填写{label}", "null": f"请填写{label}",
                "invalid": f"{label}须为文字"}
    if max_length:
        messages["max_length"] = f"{label}不能超过{max_length}个字"
    return serializers.CharField(label=label, required=required, allow_blank=not required, max_length=max_length,
                                 error_messages=messages, trim_whitespace=True, **kwargs)


# --- home and news -------------------------------------------------------------------------
class PinnedNewsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    published_on = serializers.DateField()
    publisher = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="news / demands / concerns / jobfairs")
    title = serializers.CharField()


class HomeSerializer(serializers.Serializer):
    pinned_news = PinnedNewsSerializer(many=True, help_text="最近5条置顶资讯（按发布日期）")
    services = ServiceSerializer(many=True)


class NewsListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    published_on = serializers.DateField()
    publisher = serializers.CharField()
    pinned = serializers.BooleanField()


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        path = reverse("portal:news_attachment", args=[obj.news_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NewsDetailSerializer(NewsListItemSerializer):
    content_html = serializers.CharField(help_text="已在服务器端净化的 HTML（不含脚本、事件属性和外部资源）")
    is_published = serializers.BooleanField(help_text="false：已下架（仅工作人员可见）")
    attachments = AttachmentSerializer(many=True)


class NewsInputSerializer(serializers.Serializer):
    title = _text("标题", max_length=200)
    published_on = serializers.DateField(label="发布日期", error_messages={
        "required": "请填写发布日期", "null": "请填写发布日期", "invalid": "发布日期格式应为 YYYY-MM-DD"})
    publisher = _text("发布人", max_length=100)
    content_html = _text("资讯内容", help_text="富文本 HTML；保存前在服务器端净化")
    pinned = serializers.BooleanField(label="置顶", required=False, default=False)
    is_published = serializers.BooleanField(label="发布", required=False, default=True,
                                            help_text="false：下架（不删除）")


# --- concerns ---------------------------------------------------------------------------------
class ConcernInputSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    details = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    custom = serializers.DictField(required=False, default=None, allow_null=True,
                                   help_text="局里设为在群众表单显示的自定义字段 {字段代码: 值}；错误在 errors[\"custom.字段代码\"]")
    captcha_key = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="GET /api/v1/captcha/ 得到的 key")
    captcha_value = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="图片中的4个字符")


class ConcernNumberSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="编号，如 JN2026-000001；同一手机号几分钟内重复提交相同内容时为第一次的编号")


class ConcernLookupQuerySerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, default="", help_text="咨询编号")
    phone = serializers.CharField(required=False, allow_blank=True, default="", help_text="提交时填写的手机号")


class ConcernStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="new / viewed / contacted / completed")
    status_label = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ConcernFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["new", "viewed", "contacted", "completed"], required=False,
                                     error_messages={"invalid_choice": "状态只能是 new、viewed、contacted 或 completed"})
    date_from = serializers.DateField(required=False, help_text="提交日期起（含）",
                                      error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    date_to = serializers.DateField(required=False, help_text="提交日期止（含）",
                                    error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="关键词：编号、姓名、咨询内容；完整手机号可精确查找")


class ConcernListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.SerializerMethodField(help_text="列表中一律脱敏")
    details = serializers.CharField()
    status = serializers.CharField()
    status_label = ChoiceLabelField("status")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_phone(self, obj) -> str:
        return obj.phone if self.context.get("full_pii") else pii.mask(pii.MOBILE, obj.phone)


class ConcernEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    note = serializers.CharField()

    def get_actor(self, obj) -> str:
        return obj.actor.display_name if obj.actor_id else "提交人"


class ConcernDetailSerializer(ConcernListItemSerializer):
    events = ConcernEventSerializer(many=True, source="events_list", help_text="处理记录，最新的在前")


class ConcernStatusInputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="viewed（已查看）、contacted（已联系）或 completed（已完成咨询）",
                                   error_messages={"required": "请选择状态", "blank": "请选择状态"})
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


# --- accounts ---------------------------------------------------------------------------------
PROFILE_TEXT = ("name", "industry", "address", "industrial_chain", "profile", "contact_name", "contact_phone")


class RegistrationInputSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, allow_blank=True, default="", help_text="登录账号")
    password = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                     style={"input_type": "password"})
    uscc = serializers.CharField(required=False, allow_blank=True, default="", help_text="18位统一社会信用代码")
    confirm_uscc = serializers.BooleanField(required=False, default=False,
                                            help_text="代码校验位不符但确认无误时为 true（将提示工作人员核对）")
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text="企业名称")
    industry = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="所属行业编码：GET /api/v1/lookups/industries/")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    industrial_chain = serializers.CharField(required=False, allow_blank=True, default="",
                                             help_text="十大产业链编码或 other：GET /api/v1/lookups/industrial_chains/")
    profile = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")


class RegisteredSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="企业账号 id")
    status = serializers.CharField(help_text="pending：待审核")


class ProfilePatchSerializer(serializers.Serializer):
    """PATCH /me/: any of the profile's fields; ``username`` and ``uscc`` only unchanged."""

    username = serializers.CharField(required=False, allow_blank=True, help_text="只读：与注册时不同则 400")
    uscc = serializers.CharField(required=False, allow_blank=True, help_text="只读：与注册时不同则 400")
    name = serializers.CharField(required=False, allow_blank=True)
    industry = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    industrial_chain = serializers.CharField(required=False, allow_blank=True)
    profile = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)


class AccountSerializer(serializers.Serializer):
    """An account with its portal access: the company's own view (``me``) and staff's list."""

    id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    uscc = serializers.CharField(source="enterprise.uscc")
    uscc_checksum_confirmed = serializers.BooleanField(help_text="true：代码校验位不符，企业确认无误后提交，审核时请核对")
    name = serializers.CharField(source="company_name")
    industry = serializers.CharField(source="industry.code")
    industry_label = serializers.CharField(source="industry.label")
    address = serializers.CharField()
    industrial_chain = serializers.CharField(source="industrial_chain.code")
    industrial_chain_label = serializers.CharField(source="industrial_chain.label")
    profile = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.SerializerMethodField(help_text="本企业看到完整号码；工作人员列表中脱敏")
    status = serializers.SerializerMethodField(help_text="pending / approved / rejected")
    status_label = serializers.SerializerMethodField()
    reject_reason = serializers.SerializerMethodField(help_text="未通过的原因（仅 rejected）")
    registered_at = serializers.DateTimeField(source="created_at")

    def _access(self, obj):
        return self.context["access"](obj)

    def get_contact_phone(self, obj) -> str:
        return obj.contact_phone if self.context.get("full_pii") else pii.mask(pii.MOBILE, obj.contact_phone)

    def get_status(self, obj) -> str:
        return self._access(obj).status

    def get_status_label(self, obj) -> str:
        return self._access(obj).get_status_display()

    def get_reject_reason(self, obj) -> str:
        access = self._access(obj)
        return access.reason if access.status == "rejected" else ""


class AccountReviewSerializer(AccountSerializer):
    requested_at = serializers.SerializerMethodField()
    decided_at = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    def get_requested_at(self, obj) -> str:
        return serializers.DateTimeField().to_representation(self._access(obj).requested_at)

    def get_decided_at(self, obj) -> str | None:
        at = self._access(obj).decided_at
        return serializers.DateTimeField().to_representation(at) if at else None

    def get_decided_by(self, obj) -> str:
        access = self._access(obj)
        return access.decided_by.display_name if access.decided_by_id else ""


class AccountFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "approved", "rejected"], required=False,
                                     error_messages={"invalid_choice": "状态只能是 pending、approved 或 rejected"})


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="未通过的原因（必填）")


# --- job fairs (R-PT-08, 09, 10, 17, 18) -------------------------------------------------------
class FairAttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="下载地址（门户页面 /portal/jobfairs/<id>/files/<附件id>/）")

    def get_url(self, obj) -> str:
        path = reverse("portal:jobfair_attachment", args=[obj.fair_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class StaffFairAttachmentSerializer(FairAttachmentSerializer):
    id = serializers.IntegerField()
    is_form_template = serializers.BooleanField(help_text="true：空白报名表模板")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="字节")


class FairSerializer(serializers.Serializer):
    """A fair as the public and enterprises see it; staff (``staff`` in the
    context) also get whether registration is open, its notes and counts."""

    STAFF_FIELDS = ("registration_open", "notes", "registration_count", "pending_count")

    id = serializers.IntegerField()
    name = serializers.CharField()
    date = serializers.DateField()
    venue = serializers.CharField()
    attachments = FairAttachmentSerializer(many=True)
    registration_open = serializers.BooleanField(required=False, help_text="仅工作人员：是否开放报名")
    notes = serializers.CharField(required=False, help_text="仅工作人员：说明")
    registration_count = serializers.IntegerField(required=False, help_text="仅工作人员：已提交的报名数（不含草稿）")
    pending_count = serializers.IntegerField(required=False, help_text="仅工作人员：待审核的报名数")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            for name in self.STAFF_FIELDS:
                data.pop(name, None)
        return data


class FairInputSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text="招聘会名称")
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text="举办日期 YYYY-MM-DD",
                                 error_messages={"invalid": "举办日期格式应为 YYYY-MM-DD"})
    venue = serializers.CharField(required=False, allow_blank=True, default="", help_text="举办地点")
    notes = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                  help_text="说明（可空）")


class FairListQuerySerializer(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False,
                                   help_text="工作人员：1 列出全部招聘会（含未开放、已结束）及报名数；其他人忽略")


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="PDF、Word、Excel 或 JPG/PNG，不超过20 MB")
    is_form_template = serializers.BooleanField(required=False, default=False,
                                                help_text="true：空白报名表模板（替换原模板标记）")


class StampedFormUploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="加盖公章的报名表扫描件：JPG、PNG 或 PDF，不超过10 MB")


class FairBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date = serializers.DateField()
    venue = serializers.CharField()


class StampedFormSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField(help_text="GET 该地址查看文件（本企业和就业后台）")
    content_type = serializers.CharField(help_text="image/jpeg 或 application/pdf")


def _shown(context, kind, value) -> str:
    return value if context.get("full_pii") else pii.mask(kind, value)


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    gender = serializers.CharField(help_text="male / female")
    gender_label = ChoiceLabelField("gender", help_text="男 / 女")
    title = serializers.CharField()
    phone = serializers.SerializerMethodField(help_text="本企业看到完整号码；工作人员看到脱敏值（?pii=1 且有权限时完整，记入审计）")
    id_number = serializers.SerializerMethodField(help_text="同上")

    def get_phone(self, obj) -> str:
        return _shown(self.context, pii.MOBILE, obj.phone)

    def get_id_number(self, obj) -> str:
        return _shown(self.context, pii.ID_CARD, obj.id_number)


class PositionSerializer(serializers.Serializer):
    title = serializers.CharField()
    count = serializers.IntegerField()
    education = serializers.CharField(source="education.code", help_text="学历编码：GET /api/v1/lookups/education_levels/")
    education_label = serializers.CharField(source="education.label")
    major = serializers.CharField()
    description = serializers.CharField()
    salary_min = serializers.IntegerField(help_text="月薪下限（元）")
    salary_max = serializers.IntegerField(help_text="月薪上限（元）")


class RegistrationSerializer(serializers.Serializer):
    """One registration: the enterprise's own in full, staff's masked unless disclosed."""

    id = serializers.IntegerField()
    jobfair = FairBriefSerializer(source="fair")
    company_name = serializers.CharField(help_text="报名时的企业名称")
    status = serializers.CharField(help_text="draft 草稿 / pending 待审核 / approved 已通过 / rejected 未通过")
    status_label = ChoiceLabelField("status")
    reject_reason = serializers.CharField(help_text="未通过的原因（仅 rejected）")
    contact_name = serializers.CharField()
    contact_phone = serializers.SerializerMethodField()
    introduction = serializers.CharField()
    attendees = AttendeeSerializer(many=True, source="attendees.all")
    positions = PositionSerializer(many=True, source="positions.all")
    stamped_form = serializers.SerializerMethodField()
    custom = CustomValuesField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_contact_phone(self, obj) -> str:
        return _shown(self.context, pii.MOBILE, obj.contact_phone)

    def get_stamped_form(self, obj) -> StampedFormSerializer(allow_null=True):
        if not obj.stamped_form_path:
            return None
        path = reverse("portal-registration-stamped-form", args=[obj.pk])
        request = self.context.get("request")
        return {"name": obj.stamped_form_name, "url": request.build_absolute_uri(path) if request else path,
                "content_type": obj.stamped_form_type}


MAX_ID = 10**18 - 1  # the <id:…> converter's 18 digits: a BIGINT
FAIR_ID_MESSAGES = {"invalid": "招聘会应为招聘会的 id（整数）", "min_value": "招聘会不存在",
                    "max_value": "招聘会不存在", "max_string_length": "招聘会不存在"}


class AttendeeInputSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text="姓名")
    gender = serializers.CharField(required=False, allow_blank=True, default="", help_text="male / female（也接受 男 / 女）")
    title = serializers.CharField(required=False, allow_blank=True, default="", help_text="职务")
    phone = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="手机号；修改时原样送回脱敏值表示不变")
    id_number = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="身份证号；修改时原样送回脱敏值表示不变")


def _whole(label: str):
    return serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=MAX_ID,
                                    help_text=label,
                                    error_messages={"invalid": f"{label}应为整数", "min_value": f"{label}不能为负数",
                                                    "max_value": f"{label}过大", "max_string_length": f"{label}过大"})


class PositionInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", help_text="岗位名称")
    count = _whole("招聘人数")
    education = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="学历编码：GET /api/v1/lookups/education_levels/")
    major = serializers.CharField(required=False, allow_blank=True, default="", help_text="专业要求（可空）")
    description = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                        help_text="岗位描述（可空）")
    salary_min = _whole("月薪下限")
    salary_max = _whole("月薪上限")


class RegistrationInputBodySerializer(serializers.Serializer):
    """POST/PUT registrations: every field is checked by the service at once (R-PT-10),
    a row's field named as the site's API names it (``attendees[0].id_number``);
    this only reads the body's shape."""

    jobfair = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                       help_text="招聘会 id（新建时必填；修改时可省略，不能更换）",
                                       error_messages=FAIR_ID_MESSAGES)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="", help_text="联系人")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="", help_text="联系人手机号")
    introduction = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                         help_text="招聘简介")
    custom = serializers.DictField(required=False, default=None, allow_null=True,
                                   help_text="局里设为在企业表单显示的自定义字段 {字段代码: 值}；错误在 errors[\"custom.字段代码\"]")
    attendees = AttendeeInputSerializer(many=True, required=False, default=list, max_length=MAX_ATTENDEES,
                                        help_text=f"参会人员，1—{MAX_ATTENDEES}名",
                                        error_messages={"max_length": f"参会人员最多{MAX_ATTENDEES}名",
                                                        "not_a_list": "参会人员应为列表"})
    positions = PositionInputSerializer(many=True, required=False, default=list, max_length=MAX_POSITIONS,
                                        help_text=f"招聘岗位，1—{MAX_POSITIONS}个",
                                        error_messages={"max_length": f"招聘岗位最多{MAX_POSITIONS}个",
                                                        "not_a_list": "招聘岗位应为列表"})


class RegistrationFilterSerializer(serializers.Serializer):
    jobfair = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                       help_text="招聘会 id；工作人员不填时为最近一场招聘会（R-PT-18）",
                                       error_messages=FAIR_ID_MESSAGES)
    status = serializers.ChoiceField(choices=["draft", "pending", "approved", "rejected"], required=False,
                                     error_messages={"invalid_choice":
                                                     "状态只能是 draft、pending、approved 或 rejected"})
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="关键词：企业名称",
                              error_messages={"max_length": "关键词不能超过100个字"})


class RegistrationDetailQuerySerializer(serializers.Serializer):
    pii = serializers.BooleanField(required=False, default=False,
                                   help_text="工作人员：1 查看完整手机号和身份证号（须有“查看完整个人信息”权限，记入审计）")


class ExportQuerySerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["approved", "submitted"], required=False, default="approved",
                                    help_text="approved：审核通过的企业（默认）；submitted：已提交的企业（待审核和审核通过）",
                                    error_messages={"invalid_choice": "范围只能是 approved（审核通过的企业）或 submitted"
                                                                      "（已提交的企业）"})
    full = serializers.BooleanField(required=False, default=False,
                                    help_text="1：导出完整个人信息（须有“导出完整个人信息”权限并填写 export_reason）")
    export_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="完整导出的理由（记入审计日志）")
