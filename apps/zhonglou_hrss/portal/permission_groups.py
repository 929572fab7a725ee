"""The portal's permissions in the role editor (registered in ``PortalConfig.ready``):
one group, 就业服务, by the tasks of 就业后台."""

from zhonglou_hrss.core import registry

SERVICES = "就业服务"


def register():
    registry.permission_group(SERVICES, order=20, description="就业人才“码上办”：企业账号审核、政策资讯、急难愁盼、招聘会及报名审核、人才需求审核与统计。")
    for order, (title, names) in enumerate([
        ("企业账号", ("core.view_enterpriseaccount", "core.approve_portal_access")),
        ("政策资讯", ("portal.view_news", "portal.publish_news")),
        ("急难愁盼", ("portal.view_concern", "portal.handle_concern")),
        ("招聘会", ("portal.view_jobfair", "portal.manage_jobfair", "portal.review_registration")),
        ("人才需求", ("portal.view_demand", "portal.review_demand")),
    ]):
        registry.permission_task(SERVICES, title, permissions=names, order=order * 10)
