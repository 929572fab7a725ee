"""Issue 17 on 企业: the desk's enterprise form offers the custom fields the
user may fill, checks them with the enterprise's own (errors next to the
field, nothing saved), stores and indexes them."""

import pytest
from django.test import Client

from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core.models import CustomValue, Enterprise
from zhonglou_hrss.core.validators import uscc_check_char

pytestmark = pytest.mark.django_db
ADD = "/desk/core/enterprise/add/"


def test_the_enterprise_form_takes_custom_fields(make_user):
    admin = make_user("ent_admin", roles=["admin"])
    cf.define(actor=admin, data={"object": "enterprise", "code": "staff_size", "label": "职工人数",
                                 "type": "number", "required": True})
    cf.define(actor=admin, data={"object": "enterprise", "code": "park", "label": "所在园区", "type": "choice",
                                 "choices": [{"code": "a", "label": "五星园"}, {"code": "b", "label": "新闸园"}]})
    client = Client()
    client.force_login(admin)
    page = client.get(ADD).content.decode()
    assert "职工人数" in page and "新闸园" in page
    body = "91320404MA1X0CF01"
    form = {"uscc": body + uscc_check_char(body), "name": "常州自定义字段有限公司", "industry": "", "address": "钟楼区", "custom.park": "b"}
    bad = client.post(ADD, {**form, "custom.staff_size": "许多"})
    assert bad.status_code == 200 and "职工人数：应为整数" in bad.content.decode()
    assert not Enterprise.objects.filter(name="常州自定义字段有限公司").exists()
    done = client.post(ADD, {**form, "custom.staff_size": "35"})
    assert done.status_code == 302, done.content.decode()[:500]
    ent = Enterprise.objects.get(name="常州自定义字段有限公司")
    assert ent.custom == {"staff_size": 35, "park": "b"}
    assert CustomValue.objects.filter(object_id=ent.pk, text="b").exists()
    change = client.get(f"/desk/core/enterprise/{ent.pk}/change/").content.decode()
    assert 'value="35"' in change
    assert ent.uscc and "新闸园" in client.get(f"/desk/core/enterprise/uscc/{ent.uscc}/").content.decode()


def test_issue_17_the_enterprise_list_shows_and_filters_custom_fields(make_user):
    from tests.custom_lists import A, B, check_list, define_fields, give

    admin = make_user("ent_admin2", roles=["admin"])
    define_fields(admin, "enterprise")
    for n, values in enumerate((A, B)):
        body = f"91320404MA1X0CL{n}1"
        ent = Enterprise.objects.create(uscc=body + uscc_check_char(body), name=f"列表字段企业{'甲乙'[n]}")
        give(ent, "enterprise", values)
    client = Client()
    client.force_login(admin)
    check_list(client, "/desk/core/enterprise/", "列表字段企业甲", "列表字段企业乙")
