"""Bulk import of users and enterprises from Excel (R-SYS-04).

The desk shows a preview with every row's errors in Chinese; when any row is
bad nothing is imported (the whole import is one transaction, and the confirm
step is offered only for a clean preview). Column headers are Chinese; the
template to fill is generated from the same resource (``template_workbook``).
"""

from __future__ import annotations

import re
from io import BytesIO

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from zhonglou_hrss.core import audit
from zhonglou_hrss.core.models import AuditLog, Enterprise, Grid, LookupEntry, LookupKind, User
from zhonglou_hrss.core.services.enterprises import clean_uscc, save_enterprise
from zhonglou_hrss.core.validators import check_uscc, clean_name, validate_mobile

SEPARATORS = re.compile(r"[,，、;；\s]+")


def _split(value) -> list[str]:
    return [v for v in SEPARATORS.split(str(value or "").strip()) if v]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns 13800138000 into 13800138000.0
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class MobileWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return ""
        try:
            return validate_mobile(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None


class RoleWidget(widgets.ManyToManyWidget):
    """Role names separated by 、 or commas; an unknown name is an error."""

    def __init__(self):
        super().__init__(Group, field="name")

    def clean(self, value, row=None, **kwargs):
        names = _split(value)
        if not names:
            return self.model.objects.none()
        found = {g.name: g for g in Group.objects.filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError("角色不存在：" + "、".join(missing))
        return [found[n] for n in names]

    def render(self, value, obj=None, **kwargs):
        return "、".join(g.name for g in value.all()) if value is not None else ""


class GridWidget(widgets.ManyToManyWidget):
    """Grid codes or names; unknown or inactive grids are errors."""

    def __init__(self):
        super().__init__(Grid, field="code")

    def clean(self, value, row=None, **kwargs):
        keys = _split(value)
        if not keys:
            return self.model.objects.none()
        grids = list(Grid.objects.filter(Q(code__in=keys) | Q(name__in=keys)))
        by_key = {**{g.code: g for g in grids}, **{g.name: g for g in grids}}
        missing = [k for k in keys if k not in by_key]
        if missing:
            raise ValueError("网格不存在：" + "、".join(missing))
        inactive = [by_key[k].name for k in keys if not by_key[k].active]
        if inactive:
            raise ValueError("网格已停用：" + "、".join(inactive))
        return [by_key[k] for k in keys]

    def render(self, value, obj=None, **kwargs):
        return "、".join(g.code for g in value.all()) if value is not None else ""


class ValidatingResource(resources.ModelResource):
    """Collects errors of many-to-many columns with the row's other errors,
    so the preview lists every problem of a row at once."""

    def import_data(self, dataset, **kwargs):
        # All or nothing, on the confirm step too (the data may have changed
        # since the preview): one bad row rolls back every row.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(str(exc))
        try:
            self.validate_row(instance, row)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def validate_row(self, instance, row):
        """Row rules beyond single columns."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The preview names each error's field: use the Excel column's Chinese
        # header (the user's words), not the Python attribute name.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            labels = {}
            for name, field in self.fields.items():
                labels[name] = field.column_name
                if field.attribute:
                    labels.setdefault(field.attribute, field.column_name)
            for model_field in instance._meta.fields:
                labels.setdefault(model_field.name, str(model_field.verbose_name))
            raise ValidationError(
                {labels.get(key, key): errors for key, errors in exc.error_dict.items()}
            ) from None

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors() and not result.has_validation_errors():
            totals = {k: v for k, v in result.totals.items() if v}
            audit.record(AuditLog.Action.IMPORT, target_repr=self._meta.model._meta.verbose_name,
                         detail={"rows": len(dataset), "totals": totals})


# --- Users -------------------------------------------------------------------------
class UserResource(ValidatingResource):
    username = fields.Field(attribute="username", column_name="用户名", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget())
    mobile = fields.Field(attribute="mobile", column_name="手机号", widget=MobileWidget())
    groups = fields.Field(attribute="groups", column_name="角色", widget=RoleWidget())
    grids = fields.Field(attribute="grids", column_name="网格", widget=GridWidget())
    password = fields.Field(column_name="初始密码", widget=TextWidget())

    example_row = ["grid_zhangsan", "张三", "13800138000", "网格员", "320404001", "Initial#2026"]
    column_help = {
        "用户名": "登录账号，字母、数字、下划线；已存在的账号将被更新",
        "姓名": "必填",
        "手机号": "11位手机号，可空",
        "角色": "角色名称，多个用顿号分隔，如：网格员、领导",
        "网格": "网格编码或名称，多个用顿号分隔；网格员必填",
        "初始密码": "新账号必填（至少8位，含字母和数字）；用户首次登录须修改",
    }

    class Meta:
        model = User
        import_id_fields = ("username",)
        fields = ("username", "name", "mobile", "groups", "grids", "password")
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def validate_row(self, instance, row):
        errors = {}
        if not instance.name:
            errors["name"] = ValidationError("姓名不能为空")
        if not _split(row.get("角色")):
            errors["groups"] = ValidationError("至少填写一个角色")
        password = _text(row.get("初始密码"))
        if password:
            try:
                validate_password(password, instance)
            except ValidationError as exc:
                errors["password"] = ValidationError("初始密码不合格：" + "".join(exc.messages))
            else:
                # Set it now, not just before saving: the model's own check
                # (clean_model_instances) would otherwise find a new account's
                # password empty and reject every new row.
                instance.set_password(password)
                instance.password_change_required = True
        elif instance.pk is None:
            errors["password"] = ValidationError("新账号须填写初始密码")
        roles = _split(row.get("角色"))
        if roles and not _split(row.get("网格")):
            grid_roles = Group.objects.filter(name__in=roles, permissions__codename="work_in_grid").exists()
            if grid_roles:
                errors["grids"] = ValidationError("网格员须填写所属网格")
        if errors:
            raise ValidationError(errors)


# --- Enterprises -------------------------------------------------------------------
class UsccWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            raise ValueError("统一社会信用代码不能为空")
        try:
            return check_uscc(value).code
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None


class IndustryWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(LookupEntry, field="label")

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return None
        entry = (
            LookupEntry.objects.filter(kind=LookupKind.INDUSTRY)
            .filter(Q(label=value) | Q(code=value))
            .first()
        )
        if entry is None:
            raise ValueError(f"所属行业不存在：{value}（请填写国民经济行业门类名称，如“制造业”）")
        if not entry.active:
            raise ValueError(f"所属行业已停用：{value}")
        return entry


YES = {"是", "y", "yes", "1", "true", "确认"}


class EnterpriseResource(ValidatingResource):
    uscc = fields.Field(attribute="uscc", column_name="统一社会信用代码", widget=UsccWidget())
    name = fields.Field(attribute="name", column_name="企业名称", widget=TextWidget())
    industry = fields.Field(attribute="industry", column_name="所属行业", widget=IndustryWidget())
    address = fields.Field(attribute="address", column_name="单位地址", widget=TextWidget())
    confirm = fields.Field(column_name="校验位不符仍确认", widget=TextWidget())

    example_row = ["91350100M000100Y43", "常州示例机械有限公司", "制造业", "常州市钟楼区星港路1号", ""]
    column_help = {
        "统一社会信用代码": "18位，必填；已存在的代码将更新该企业",
        "企业名称": "必填",
        "所属行业": "国民经济行业门类名称，如：制造业",
        "单位地址": "可空",
        "校验位不符仍确认": "代码校验位不符、但已在国家企业信用信息公示系统核实无误时填“是”",
    }

    class Meta:
        model = Enterprise
        import_id_fields = ("uscc",)
        fields = ("uscc", "name", "industry", "address", "confirm")
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def get_instance(self, instance_loader, row):
        # A malformed code cannot name an existing enterprise. Treat the row as
        # new so the code's error is reported by import_instance as a row
        # validation error, listed with every other row's errors (a plain
        # ValueError here would abort the row and hide the other rows' errors).
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def validate_row(self, instance, row):
        errors = {}
        if not instance.name:
            errors["name"] = ValidationError("企业名称不能为空")
        else:
            try:
                instance.name = clean_name(instance.name, label="企业名称")
            except ValidationError as exc:
                errors["name"] = exc
        if instance.uscc:
            confirmed = _text(row.get("校验位不符仍确认")).lower() in YES
            try:
                _, instance.uscc_checksum_ok = clean_uscc(instance.uscc, confirmed=confirmed)
            except ValidationError as exc:
                # The registry's rule; how to confirm, in this file's words.
                errors["uscc"] = ValidationError(
                    "统一社会信用代码校验位不符；核实无误请在“校验位不符仍确认”列填“是”"
                    if exc.code == "checksum" else exc.messages[0]
                )
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_enterprise(actor=None, enterprise=instance)


IMPORT_RESOURCES = {"user": UserResource, "enterprise": EnterpriseResource}


def template_workbook(resource_class) -> bytes:
    """An .xlsx with the Chinese headers, one example row and a help sheet."""
    resource = resource_class()
    headers = [f.column_name for f in resource.get_import_fields()]
    wb = Workbook()
    ws = wb.active
    ws.title = "导入数据"
    ws.append(headers)
    ws.append(resource_class.example_row)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for col, header in zip("ABCDEFGHIJ", headers):
        ws.column_dimensions[col].width = max(14, len(header) * 3)
        # Codes and phone numbers must stay text (Excel drops leading zeros).
        for row in range(2, 1002):
            ws[f"{col}{row}"].number_format = "@"
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "说明"])
    for header in headers:
        help_ws.append([header, resource_class.column_help.get(header, "")])
    help_ws.append([])
    help_ws.append(["注意", "第2行为示例，导入前请删除或替换。任何一行有错误时整批不导入，请按预览中的提示修改后重新上传。"])
    help_ws.column_dimensions["A"].width = 20
    help_ws.column_dimensions["B"].width = 80
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
