"""接口令牌 in the desk: every desk user sees and revokes their own API
tokens; a user administrator (``core.change_user``) sees and revokes
everyone's. Revoking is deleting the row, through core.tokens (audited)."""

from django.contrib import admin
from knox.models import AuthToken

from django.utils import timezone

from zhonglou_hrss.core import tokens
from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.core.desk import can_use_desk
from zhonglou_hrss.core.models import ApiToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)  # knox's own page: English, every token to every admin


@admin.register(ApiToken)
class ApiTokenAdmin(DeskModelAdmin):
    list_display = ("key_start", "owner", "created", "expiry", "state")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__name")
    ordering = ("-created",)
    actions = ["revoke_selected"]

    def get_queryset(self, request):
        return tokens.tokens_visible_to(request.user, super().get_queryset(request))

    def get_list_display(self, request):
        return self.list_display if tokens.sees_all_tokens(request.user) else ("key_start", "created", "expiry", "state")

    # Read-only rows: a token is issued by signing in (POST /api/v1/auth/token/),
    # never typed in; the only change is revoking it.
    def has_view_permission(self, request, obj=None):
        return can_use_desk(request.user) and (obj is None or tokens.sees_all_tokens(request.user) or obj.user_id == request.user.pk)

    def has_module_permission(self, request):
        return can_use_desk(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoking goes through core.tokens (audited)
        return actions

    @admin.display(description="令牌开头")
    def key_start(self, obj):
        return f"{obj.token_key[:8]}…"

    @admin.display(description="账号", ordering="user__username")
    def owner(self, obj):
        return str(obj.user)

    @admin.display(description="状态")
    def state(self, obj):
        return "已过期" if obj.expiry and obj.expiry <= timezone.now() else "有效"

    @admin.action(description="撤销所选令牌", permissions=["delete"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for owner_id in set(queryset.values_list("user_id", flat=True)):
            owned = queryset.filter(user_id=owner_id)
            revoked += tokens.revoke(owned, user=owned.first().user, reason=self._reason(request, owner_id),
                                     actor=request.user, request=request)
        self.message_user(request, f"已撤销 {revoked} 个令牌，持有者须重新登录。")

    def delete_model(self, request, obj):
        tokens.revoke(AuthToken.objects.filter(pk=obj.pk), user=obj.user, reason=self._reason(request, obj.user_id),
                      actor=request.user, request=request)

    @staticmethod
    def _reason(request, owner_id):
        return tokens.Revoked.BY_SELF if owner_id == request.user.pk else tokens.Revoked.BY_ADMIN
