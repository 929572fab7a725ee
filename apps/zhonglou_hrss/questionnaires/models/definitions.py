"""Questionnaire definitions (issue 14): a questionnaire, its versions, each
version's sections, questions and options. The content is data staff edit in
the desk; a version that has answers is frozen (``rules.version_frozen``)."""

from django.db import models


class Audience(models.TextChoices):
    ENTERPRISE_HR = "enterprise_hr", "用工单位（企业HR）"
    EMPLOYEE = "employee", "被派遣劳动者"


class Aggregation(models.TextChoices):
    MEAN = "mean", "算术平均"
    TRIMMED = "trimmed", "截尾平均（去掉最高、最低各 x%）"
    HEADCOUNT = "headcount", "按用工人数加权"


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    SCALE = "scale", "量表"
    NUMBER = "number", "数字"
    TEXT = "text", "单行文字"
    LONG_TEXT = "long_text", "多行文字"
    DATE = "date", "日期"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class Questionnaire(models.Model):
    key = models.SlugField("标识", max_length=40, unique=True,
                           help_text="接口和链接中使用的英文标识，如 hr、employee；创建后不要修改")
    title = models.CharField("名称", max_length=200)
    audience = models.CharField("填写对象", max_length=20, choices=Audience.choices)
    aggregation = models.CharField("汇总方式", max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN)
    trim_percent = models.DecimalField("截尾比例（%）", max_digits=4, decimal_places=1, default=10,
                                       help_text="截尾平均时去掉最高和最低各百分之几的得分")
    headcount_question = models.CharField("用工人数题目编号", max_length=40, blank=True,
                                          help_text="按用工人数加权时，权数取自该题的回答（数字题）")
    collection_close_month_day = models.CharField(
        "年度收集截止（次年月-日）", max_length=5, default="03-31",
        help_text="某评价年度的问卷在次年该日 24 时截止收集，截止前企业可修改已提交的评价")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "问卷"
        verbose_name_plural = "问卷"
        ordering = ["key"]
        permissions = [
            ("manage_questionnaire", "编辑问卷定义（新建版本、发布、导入导出）"),
            ("review_response", "审核问卷答卷（有效/无效、更正得分）"),
            ("export_response", "导出问卷答卷和综合得分"),
            ("print_questionnaire_poster", "打印问卷二维码海报"),
        ]

    def __str__(self):
        return self.title


class Version(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="问卷", on_delete=models.CASCADE,
                                      related_name="versions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("问卷标题", max_length=200)
    intro = models.TextField("填写说明", blank=True)
    status = models.CharField("状态", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    note = models.CharField("版本说明", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "问卷版本"
        verbose_name_plural = "问卷版本"
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="q_version_number_uniq")]

    def __str__(self):
        return f"{self.questionnaire.key} 第{self.number}版"


class Section(models.Model):
    version = models.ForeignKey(Version, verbose_name="版本", on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("标题", max_length=200)

    class Meta:
        verbose_name = "问卷部分"
        verbose_name_plural = "问卷部分"
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    version = models.ForeignKey(Version, verbose_name="版本", on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, verbose_name="所属部分", on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField("顺序", default=0)
    code = models.CharField("题目编号", max_length=40, help_text="字母、数字、下划线，如 H01；同一版本内不能重复")
    type = models.CharField("题型", max_length=20, choices=QuestionType.choices)
    title = models.CharField("题目", max_length=500)
    help_text = models.CharField("提示", max_length=500, blank=True)
    required = models.BooleanField("必答", default=False)
    scored = models.BooleanField("计分", default=False)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=1)
    scale_min = models.IntegerField("量表最小值", null=True, blank=True)
    scale_max = models.IntegerField("量表最大值", null=True, blank=True)
    scale_labels = models.JSONField("量表标签", default=dict, blank=True, help_text='如 {"1": "很不满意", "5": "很满意"}')
    scale_na = models.CharField("“不适用”选项文字", max_length=20, blank=True, help_text="留空则不提供“不适用”")
    number_min = models.DecimalField("数字最小值", max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField("数字最大值", max_digits=14, decimal_places=2, null=True, blank=True)
    show_if_question = models.CharField("显示条件：题目编号", max_length=40, blank=True,
                                        help_text="仅当前面这道题的回答为下面的值时才显示本题")
    show_if_equals = models.CharField("显示条件：回答值", max_length=100, blank=True)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["section__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="q_question_code_uniq")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Option(models.Model):
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField("顺序", default=0)
    code = models.CharField("选项编号", max_length=40)
    label = models.CharField("选项文字", max_length=200)
    score = models.DecimalField("得分（0–100）", max_digits=6, decimal_places=2, null=True, blank=True,
                                help_text="留空：该选项不计分（如“不清楚”）")

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="q_option_code_uniq")]

    def __str__(self):
        return self.label
