from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "zhonglou_hrss.questionnaires"
    label = "questionnaires"
    verbose_name = "问卷"

    def ready(self):
        """What the questionnaire engine plugs into core (core names no app): its
        sidebar group 问卷评价, the role editor's tasks, the default definitions
        loaded by ``sync_fixtures``, the export kinds and the demo data."""
        from zhonglou_hrss.core import registry
        from zhonglou_hrss.core.exports.registry import register
        from zhonglou_hrss.questionnaires import navigation, permission_groups
        from zhonglou_hrss.questionnaires.exports.responses import CompositeExporter, ResponseExporter

        navigation.register()
        permission_groups.register()
        registry.fixture_sync("zhonglou_hrss.questionnaires.services.defaults.sync_default_definitions")
        registry.demo_loader("zhonglou_hrss.questionnaires.demo.load_demo")
        register(ResponseExporter())
        register(CompositeExporter())
        # The saved reports' source (issue 17), read through the response list's selector.
        registry.report_source("responses", "问卷答卷", "zhonglou_hrss.questionnaires.reports.sources.responses")
