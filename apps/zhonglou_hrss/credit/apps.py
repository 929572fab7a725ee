from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhonglou_hrss.credit"
    label = "credit"
    verbose_name = "信用评价"

    def ready(self):
        """What credit plugs into core: its sidebar group 信用评价 and desk-home cards, its permissions in the
        role editor and its first year of criteria through sync_fixtures, its demo data."""
        from zhonglou_hrss.core import registry
        from zhonglou_hrss.credit import navigation, permission_groups

        navigation.register()
        permission_groups.register()
        registry.dashboard_cards("zhonglou_hrss.credit.dashboard.cards")
        registry.fixture_sync("zhonglou_hrss.credit.services.criteria.load_default")
        registry.demo_loader("zhonglou_hrss.credit.demo.load_demo")
        registry.custom_field_object("declaration", "信用申报", "credit.Declaration")
        # The saved reports' source (issue 17): the latest results of each year, for credit staff.
        registry.report_source("credit_results", "信用评价结果", "zhonglou_hrss.credit.reports.sources.results")
