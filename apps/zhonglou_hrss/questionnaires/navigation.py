"""The questionnaires' entries in the desk sidebar (registered in
``QuestionnairesConfig.ready``): the group 问卷评价."""

from django.urls import reverse_lazy

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import changelist
from zhonglou_hrss.questionnaires.rules import MANAGE, POSTER, VIEW, VIEW_CLIENT_LISTS, VIEW_RESPONSES

GROUP = "问卷评价"


def register():
    registry.nav_group(GROUP, order=70)
    registry.nav_item(GROUP, "问卷定义", icon="quiz", link=changelist("questionnaires.questionnaire"),
                      permissions=(VIEW, MANAGE), order=10)
    registry.nav_item(GROUP, "答卷审核", icon="fact_check", link=changelist("questionnaires.response"),
                      permissions=(VIEW_RESPONSES,), order=20)
    registry.nav_item(GROUP, "综合得分", icon="leaderboard", link=reverse_lazy("admin:questionnaires_composites"),
                      permissions=(VIEW_RESPONSES,), order=30)
    registry.nav_item(GROUP, "企业合作名单", icon="handshake", link=changelist("questionnaires.clienthrcompany"),
                      permissions=(VIEW_CLIENT_LISTS,), order=40)
    registry.nav_item(GROUP, "问卷二维码", icon="qr_code_2", link=reverse_lazy("admin:questionnaires_posters"),
                      permissions=(POSTER,), order=50)
