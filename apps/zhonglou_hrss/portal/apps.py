from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhonglou_hrss.portal"
    label = "portal"
    verbose_name = "码上办"

    def ready(self):
        """What the portal plugs into core (core names no app): its sidebar
        group 就业服务, the desk-home cards, the demo data and the nightly
        check of the demand statistics' tallies."""
        from zhonglou_hrss.core import registry
        from zhonglou_hrss.portal import navigation, permission_groups

        navigation.register()
        permission_groups.register()
        registry.dashboard_cards("zhonglou_hrss.portal.dashboard.cards")
        registry.demo_loader("zhonglou_hrss.portal.demo.load_demo")
        registry.custom_field_object("demand", "人才需求", "portal.Demand")
        registry.custom_field_object("registration", "招聘会报名", "portal.Registration")
        registry.custom_field_object("concern", "急难愁盼", "portal.Concern")
        registry.periodic_task("zhonglou_hrss.portal.tasks.reconcile_demand_tallies", cron="50 3 * * *",
                               label="核对人才需求统计汇总")
        registry.health_check("人才需求统计汇总夜间核对", "zhonglou_hrss.portal.tasks.demand_tallies_health")
        # The desk's enterprise page: this company's talent demands and job-fair registrations.
        registry.enterprise_section("人才需求", "zhonglou_hrss.portal.desk.enterprise.demands_section", order=10)
        registry.enterprise_section("招聘会报名", "zhonglou_hrss.portal.desk.enterprise.registrations_section",
                                    order=20)
        # The saved reports' sources (issue 17), read through the lists' own selectors.
        for key, label in (("demands", "人才需求"), ("demand_positions", "需求岗位"), ("registrations", "招聘会报名"),
                           ("concerns", "急难愁盼")):
            registry.report_source(key, label, f"zhonglou_hrss.portal.reports.sources.{key}")
