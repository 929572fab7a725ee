"""Chinese names for third-party apps shown in the desk (they ship none)."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录安全"
