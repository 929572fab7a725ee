"""The portal's home and policy news (R-PT-01, 02, 12), mounted at ``/api/v1/portal/``.

- ``GET  home/``       the 5 latest pinned news and the four services (anyone)
- ``GET  news/?q=``    published news, newest first, paginated (anyone)
- ``POST news/``       publish (就业后台: portal.publish_news)
- ``GET  news/{id}/``  one item with its sanitised HTML and attachments (anyone;
  staff who may see the desk's list read unpublished ones too)
- ``PUT  news/{id}/``  replace its fields (portal.publish_news)
"""

from __future__ import annotations

from django.urls import path

from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.errors import ActionForbidden
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.serializers import (
    HomeSerializer,
    NewsDetailSerializer,
    NewsInputSerializer,
    NewsListItemSerializer,
)
from zhonglou_hrss.portal.rules import PUBLISH_NEWS, SERVICES
from zhonglou_hrss.portal.selectors.news import pinned_for_home, public_news_list, readable_news
from zhonglou_hrss.portal.services.news import NewsInput, save_news

TAGS = ["码上办：政策资讯"]


class HomeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, summary="门户首页", responses={200: HomeSerializer},
                   description="首页的服务清单（R-PT-01）：最近5条置顶资讯（按发布日期，未到发布日期和已下架的不显示）"
                               "和四项服务。无需登录。")
    def get(self, request):
        return Response({"pinned_news": pinned_for_home(),
                         "services": [{"key": key, "title": title} for key, title in SERVICES]})


def news_detail_data(request, news_id) -> dict:
    item = readable_news(request.user, news_id)
    return NewsDetailSerializer(item, context={"request": request}).data


def _news_input(data: dict) -> NewsInput:
    return NewsInput(title=data["title"], published_on=data["published_on"], publisher=data["publisher"],
                     content_html=data["content_html"], pinned=data["pinned"], is_published=data["is_published"])


def _check_publisher(request):
    if not request.user.has_perm(PUBLISH_NEWS):
        raise ActionForbidden("您没有发布政策资讯的权限")


class NewsListView(ListAPIView):
    serializer_class = NewsListItemSerializer
    pagination_class = ListPagination

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    def get_queryset(self):
        return public_news_list(self.request.query_params.get("q", "")[:100])

    @extend_schema(tags=TAGS, summary="政策资讯列表",
                   parameters=[OpenApiParameter("q", str, description="关键词（标题、发布人），空格分隔多个词")],
                   description="已发布且已到发布日期的资讯，发布日期最新的在前，每页20条（page_size 最多100）。无需登录。",
                   responses={200: NewsListItemSerializer(many=True), **error_responses(400), **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="发布政策资讯", request=NewsInputSerializer,
                   description="就业后台发布资讯（R-PT-12）。content_html 在服务器端净化：脚本、事件属性、样式、外部图片"
                               "一律去除；图片须先在工作台上传到本站。发布日期晚于今天的到当天才显示。",
                   responses={201: OpenApiResponse(NewsDetailSerializer, description="已发布，返回资讯详情"),
                              **error_responses(400, 401, 403)})
    def post(self, request, *args, **kwargs):
        _check_publisher(request)
        body = NewsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        news = save_news(actor=request.user, data=_news_input(body.validated_data))
        return Response(news_detail_data(request, news.pk), status=201)


class NewsDetailView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(tags=TAGS, summary="政策资讯详情", responses={200: NewsDetailSerializer, **error_responses(404)},
                   description="资讯全文（已净化的 HTML）和附件。未发布、已下架或未到发布日期的资讯对公众为 404。")
    def get(self, request, pk):
        return Response(news_detail_data(request, pk))

    @extend_schema(tags=TAGS, summary="修改政策资讯", request=NewsInputSerializer,
                   description="以请求内容替换资讯的各字段（附件保持不变）；is_published=false 即下架。",
                   responses={200: NewsDetailSerializer, **error_responses(400, 401, 403, 404)})
    def put(self, request, pk):
        _check_publisher(request)
        readable_news(request.user, pk)  # 404 before checking the body
        body = NewsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        news = save_news(actor=request.user, data=_news_input(body.validated_data), news_id=pk)
        return Response(news_detail_data(request, news.pk))


urlpatterns = [
    path("home/", HomeView.as_view(), name="portal-home"),
    path("news/", NewsListView.as_view(), name="portal-news"),
    path("news/<id:pk>/", NewsDetailView.as_view(), name="portal-news-detail"),
]
