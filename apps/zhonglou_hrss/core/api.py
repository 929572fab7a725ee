"""Core API: sign-in token and lookup lists."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.selectors import lookup_choices


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", error_messages={"required": "请填写用户名", "blank": "请填写用户名"})
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     error_messages={"required": "请填写密码", "blank": "请填写密码"})

    def validate(self, attrs):
        from django.contrib.auth import authenticate

        user = authenticate(self.context["request"], username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError({"password": ["用户名或密码不正确，连续输错5次账号将被锁定"]})
        if not user.is_active:
            raise serializers.ValidationError({"username": ["该账号已停用"]})
        attrs["user"] = user
        return attrs


class TokenView(APIView):
    """POST {username, password} → {token}; then ``Authorization: Token <token>``."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
                   400: OpenApiResponse(description="字段错误（中文说明）")},
        summary="获取访问令牌",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


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

    @extend_schema(responses=LookupEntrySerializer(many=True), summary="字典列表")
    def get(self, request, kind):
        choices = lookup_choices(kind)
        if choices is None:
            raise Http404
        return Response(LookupEntrySerializer(choices, many=True).data)
