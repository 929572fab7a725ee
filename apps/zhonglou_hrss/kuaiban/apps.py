from django.apps import AppConfig


class KuaibanConfig(AppConfig):
    name = "zhonglou_hrss.kuaiban"
    label = "kuaiban"
    verbose_name = "快办"

    def ready(self):
        """What kuaiban plugs into core (core names no app): its sidebar
        entries, its permissions in the role editor, desk-home cards, nightly
        job, demo data and export kinds."""
        from zhonglou_hrss.core import registry
        from zhonglou_hrss.core.exports import registry as exports
        from zhonglou_hrss.kuaiban import navigation, permission_groups
        from zhonglou_hrss.kuaiban.exports import cases, petitions

        navigation.register()
        permission_groups.register()
        registry.dashboard_cards("zhonglou_hrss.kuaiban.dashboard.cards")
        registry.custom_field_object("case", "快办事件", "kuaiban.Case")
        registry.custom_field_object("petition", "信访", "kuaiban.Petition")
        registry.periodic_task("zhonglou_hrss.kuaiban.tasks.reconcile_case_counts", cron="45 3 * * *",
                               label="核对事件统计数")
        registry.health_check("事件统计数夜间核对", "zhonglou_hrss.kuaiban.tasks.case_counts_health")
        registry.demo_loader("zhonglou_hrss.kuaiban.demo.load_demo")
        exports.register(cases.exporter)
        exports.register(petitions.exporter)
        # The desk's enterprise page: this company's cases and petitions, as far as the user may see them.
        registry.enterprise_section("快办事件", "zhonglou_hrss.kuaiban.desk.enterprise.cases_section", order=30)
        registry.enterprise_section("信访", "zhonglou_hrss.kuaiban.desk.enterprise.petitions_section", order=40)
        # The saved reports' sources (issue 17), read through the lists' own selectors.
        registry.report_source("cases", "快办事件", "zhonglou_hrss.kuaiban.reports.sources.cases")
        registry.report_source("petitions", "信访", "zhonglou_hrss.kuaiban.reports.sources.petitions")
