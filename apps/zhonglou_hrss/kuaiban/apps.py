from django.apps import AppConfig


class KuaibanConfig(AppConfig):
    name = "zhonglou_hrss.kuaiban"
    label = "kuaiban"
    verbose_name = "快办"

    def ready(self):
        # The petition exporter lives beside the case exporter (``exports.py``,
        # found by ``core.exports``); registering it here makes the kind known
        # to the desk, the template pages and the job worker alike.
        from zhonglou_hrss.kuaiban import petition_exports  # noqa: F401
