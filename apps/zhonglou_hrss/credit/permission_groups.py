"""Credit's permissions in the role editor (registered in ``CreditConfig.ready``):
one group, 信用评价, by the tasks of 信用评价管理员. (Seeing the accounts,
core.view_enterpriseaccount, is offered in the portal's group 企业账号.)"""

from zhonglou_hrss.core import registry

CREDIT = "信用评价"


def register():
    registry.permission_group(CREDIT, order=30, description="人力资源企业信用评价：企业账号审核、年度评价标准、申报退回、初评终评与扣分。")
    for order, (title, names) in enumerate([
        ("企业账号", ("core.approve_credit_access",)),
        ("评价标准", ("credit.manage_criteria",)),
        ("申报与评分", ("credit.review_declaration", "credit.score_declaration")),
        ("评价结果", ("credit.manage_results",)),
    ]):
        registry.permission_task(CREDIT, title, permissions=names, order=order * 10)
