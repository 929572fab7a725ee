"""The status every reviewed submission of an enterprise shares (a job-fair
registration, a talent demand): a draft until submitted, then reviewed by
staff — approved, or rejected with a reason and corrected."""

from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
