"""The portal API's bodies (contract of issue 12): news, concerns, accounts."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from zhonglou_hrss.core import pii



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
    status_label = serializers.CharField(source="get_status_display")
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
