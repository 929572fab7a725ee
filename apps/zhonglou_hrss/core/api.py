"""Core API: sign-in token and lookup lists."""

from django.http import Http404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import captcha, tokens
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.auth import address_limit, lockout_message
from zhonglou_hrss.core.selectors import lookup_choices
from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.selectors import API_LOOKUPS, PUBLIC_LOOKUPS


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", error_messages={"required": "请填写用户名", "blank": "请填写用户名"})
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     error_messages={"required": "请填写密码", "blank": "请填写密码"})

    def validate(self, attrs):
        from django.contrib.auth import authenticate

        # The plain Django request: django-axes marks a lockout on it.
        user = authenticate(self.context["request"]._request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError({"password": ["用户名或密码不正确，连续输错5次账号将被锁定"]})
        if not user.is_active:
            raise serializers.ValidationError({"username": ["该账号已停用"]})
        attrs["user"] = user
        return attrs


_DETAIL = inline_serializer("TokenError", {"detail": serializers.CharField()})


class TokenView(APIView):
    """POST {username, password} → {token, expiry}; then ``Authorization: Token <token>``.

    Each sign-in gets its own token (core.tokens): it expires (12 hours for
    staff, 30 days for enterprise accounts), and is revoked by logging out,
    a password change, an administrator, a lockout or deactivation."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                             "expiry": serializers.DateTimeField()}),
                   400: OpenApiResponse(description="字段错误（中文说明）"),
                   403: OpenApiResponse(_DETAIL, description="须先在工作台修改初始密码"),
                   429: OpenApiResponse(_DETAIL, description="账号已临时锁定，或该网络地址登录失败次数过多")},
        summary="获取访问令牌",
    )
    def post(self, request):
        limit = address_limit()
        if limit.exceeded(client_ip(request)):
            return Response({"detail": limit.message}, status=429)
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=429)
        if not valid:
            raise ValidationError(serializer.errors)
        row, key = tokens.issue(serializer.validated_data["user"], request=request)
        return Response({"token": key, "expiry": row.expiry})


class LogoutView(APIView):
    """POST (with the token): this token stops working."""

    @extend_schema(request=None, responses={204: None, **error_responses(401)}, summary="退出登录（撤销当前令牌）")
    def post(self, request):
        if isinstance(request.auth, tokens.AuthToken):
            tokens.revoke(tokens.AuthToken.objects.filter(pk=request.auth.pk), user=request.user,
                          reason=tokens.Revoked.LOGOUT, request=request)
        return Response(status=204)


class LogoutAllView(APIView):
    """POST: every token of this account stops working (a lost phone)."""

    @extend_schema(request=None, responses={204: None, **error_responses(401)}, summary="退出所有设备（撤销本账号全部令牌）")
    def post(self, request):
        tokens.revoke_all(request.user, reason=tokens.Revoked.LOGOUT_ALL, request=request)
        return Response(status=204)


class CaptchaSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="提交时作为 captcha_key 发回")
    image_url = serializers.CharField(help_text="验证码图片（PNG）的地址")


class CaptchaView(APIView):
    """GET → {key, image_url}: a new captcha for clients that show one (the
    mini program's 急难愁盼 form). The key answers once, within 10 minutes."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=CaptchaSerializer, summary="获取图片验证码",
                   description="返回新的验证码 key 和图片地址；用户输入图片中的4个字符，与 key 一起提交。每个 key 只能"
                               "使用一次，10分钟内有效。")
    def get(self, request):
        challenge = captcha.new_challenge()
        return Response({"key": challenge.key, "image_url": request.build_absolute_uri(challenge.image_url)},
                        headers={"Cache-Control": "no-store"})


class LookupEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class LookupListView(APIView):
    """Active entries of one lookup list: ``[{"code", "label"}]``.

    Lists the public pages use need no sign-in; the rest do."""

    def get_permissions(self):
        from zhonglou_hrss.core.selectors import PUBLIC_LOOKUPS

        if self.kwargs.get("kind") in PUBLIC_LOOKUPS:
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="字典列表",
        parameters=[OpenApiParameter(
            "kind", str, OpenApiParameter.PATH, enum=sorted({"grids", "street_grids", *API_LOOKUPS}),
            description=f"字典名；无需登录的：{'、'.join(sorted(PUBLIC_LOOKUPS))}，其余须登录")],
        responses={200: LookupEntrySerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request, kind):
        choices = lookup_choices(kind)
        if choices is None:
            raise Http404
        return Response(LookupEntrySerializer(choices, many=True).data)


class TokenAuthScheme(OpenApiAuthenticationExtension):
    """The OpenAPI document's description of core.tokens' header."""

    target_class = "zhonglou_hrss.core.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "登录令牌：先 POST /api/v1/auth/token/，再在请求头写 Authorization: Token <令牌>"}
