"""The questionnaires' permissions in the role editor (registered in
``QuestionnairesConfig.ready``): one group, 问卷评价, by the tasks of
信用评价管理员 and 就业后台."""

from zhonglou_hrss.core import registry

GROUP = "问卷评价"


def register():
    registry.permission_group(GROUP, order=30, description="问卷定义（版本、发布、导入导出）、答卷审核、综合得分、二维码海报。")
    for order, (title, names) in enumerate([
        ("问卷定义", ("questionnaires.view_questionnaire", "questionnaires.manage_questionnaire")),
        ("答卷审核", ("questionnaires.view_response", "questionnaires.review_response")),
        ("答卷导出", ("questionnaires.export_response",)),
        ("企业合作名单", ("questionnaires.view_clienthrcompany",)),
        ("问卷二维码", ("questionnaires.print_questionnaire_poster",)),
    ]):
        registry.permission_task(GROUP, title, permissions=names, order=order * 10)
