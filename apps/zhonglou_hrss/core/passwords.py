from django.core.exceptions import ValidationError


class MixedClassesValidator:
    """Password must mix at least two of: letters, digits, symbols."""

    def __init__(self, min_classes: int = 2):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isalpha() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return "密码须同时包含字母、数字、符号中的至少两类。"
