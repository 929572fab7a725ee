from knox.models import AuthToken


class ApiToken(AuthToken):
    """django-rest-knox's token row under the desk's name (core.tokens)."""

    class Meta:
        proxy = True
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        default_permissions = ()  # the desk decides by who owns the token (core.admin.tokens)
