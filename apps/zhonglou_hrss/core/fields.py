"""``PIIField``: the one model field for personal data.

The column holds Fernet ciphertext; the attribute holds the plain value. Each
PIIField adds a sibling ``<name>_hash`` column (HMAC of the normalised value,
indexed) so exact search and duplicate checks work in SQL:

    Reporter.objects.filter(id_number_hash=pii_hash(ID_CARD, "3204..."))
    # or: Reporter.objects.filter(PIIField.q("id_number", "3204..."))

Displaying the value goes through ``core.pii.mask`` / ``core.display`` so a
user without ``core.view_pii`` never sees it whole.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhonglou_hrss.core import pii


class PIIHashField(models.CharField):
    """The HMAC beside a PIIField, recomputed from its source on every save."""

    def __init__(self, *args, source: str = "", kind: str = pii.ID_CARD, **kwargs):
        self.source = source
        self.pii_kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.pii_kind
        for key in ("max_length", "editable", "blank", "default", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = pii.pii_hash(self.pii_kind, getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


class PIIField(models.TextField):
    def __init__(self, *args, kind: str = pii.ID_CARD, **kwargs):
        if kind not in pii.KINDS:
            raise ValueError(f"unknown PII kind {kind!r}")
        self.pii_kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.pii_kind
        return name, path, args, kwargs

    @property
    def hash_name(self) -> str:
        return f"{self.name}_hash"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        # Real models get the hash column added here; migration ("__fake__")
        # models list it explicitly, so adding it again would duplicate it.
        if cls._meta.abstract or cls.__module__ == "__fake__":
            return
        if not any(f.name == self.hash_name for f in cls._meta.local_fields):
            hash_field = PIIHashField(
                verbose_name=f"{self.verbose_name}（检索摘要）", source=name, kind=self.pii_kind
            )
            cls.add_to_class(self.hash_name, hash_field)

    # --- storage ---------------------------------------------------------------------
    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return pii.decrypt(value)

    def to_python(self, value):
        if value is None:
            return ""
        return pii.normalize(self.pii_kind, str(value))

    def get_prep_value(self, value):
        value = self.to_python(value)
        if not value:
            return ""
        return pii.encrypt(value)

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: comparing it is always wrong. Use <name>_hash.
        if lookup_name not in ("isnull",):
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj):
        # Serialisation (dumpdata) must never write plain personal data.
        return pii.mask(self.pii_kind, self.value_from_object(obj))

    @staticmethod
    def q(field_name: str, value: str, *, model=None, kind: str | None = None) -> Q:
        """Exact-match Q on a PII field through its hash column."""
        if kind is None:
            kind = model._meta.get_field(field_name).pii_kind
        return Q(**{f"{field_name}_hash": pii.pii_hash(kind, value)})

    def formfield(self, **kwargs):
        from django import forms

        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)
