"""Kuaiban's permissions in the role editor (registered in ``KuaibanConfig.ready``):
one group, 快办事件, by the tasks of the people who hold them."""

from zhonglou_hrss.core import registry
from zhonglou_hrss.kuaiban.rules import INSPECT, VIEW_ALL, VIEW_FIGURES, VIEW_PETITIONS

CASES = "快办事件"


def register():
    registry.permission_group(CASES, order=10, description="劳动监督快办：事件、信访、一张图与数据分析。")
    for order, (title, names) in enumerate([
        # 一张图 and 数据分析 with their lists follow from seeing all cases (or
        # being a grid worker); VIEW_FIGURES gives the district's numbers alone.
        ("查看事件", ("kuaiban.view_case", VIEW_ALL)),
        ("统计分析", (VIEW_FIGURES,)),
        ("办理事件", ("kuaiban.register_case", "kuaiban.triage_case", "kuaiban.assign_case", INSPECT)),
        ("导出与二维码", ("kuaiban.export_case", "kuaiban.print_qr_poster")),
        ("信访", (VIEW_PETITIONS, "kuaiban.add_petition", "kuaiban.change_petition", "kuaiban.export_petition")),
    ]):
        registry.permission_task(CASES, title, permissions=names, order=order * 10)
