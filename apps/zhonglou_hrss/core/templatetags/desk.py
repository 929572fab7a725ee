from django import template

from zhonglou_hrss.core import display, pii

register = template.Library()


@register.filter
def money(value):
    return display.money(value)


@register.filter
def when(value):
    return display.when(value)


@register.filter
def mask_id(value):
    return pii.mask(pii.ID_CARD, value)


@register.filter
def mask_phone(value):
    return pii.mask(pii.MOBILE, value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def custom_bound_fields(form):
    """The custom fields of a form (core.custom_field_forms.add_fields), as bound fields."""
    from zhonglou_hrss.core.custom_field_forms import bound_fields

    return bound_fields(form)
