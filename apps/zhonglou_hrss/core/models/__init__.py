from zhonglou_hrss.core.models.accounts import AccessStatus, EnterpriseAccount, Subsystem, SubsystemAccess
from zhonglou_hrss.core.models.audit import AuditLog
from zhonglou_hrss.core.models.custom_fields import CustomField, CustomFieldType, CustomValue
from zhonglou_hrss.core.models.enterprises import Enterprise
from zhonglou_hrss.core.models.exports import ExportJob, ExportTemplate
from zhonglou_hrss.core.models.fixtures import FixtureRecord
from zhonglou_hrss.core.models.grids import Grid
from zhonglou_hrss.core.models.lookups import LookupEntry, LookupKind
from zhonglou_hrss.core.models.numbers import NumberSequence
from zhonglou_hrss.core.models.operations import TaskRun
from zhonglou_hrss.core.models.tokens import ApiToken
from zhonglou_hrss.core.models.users import Role, User

__all__ = [
    "AccessStatus", "ApiToken", "AuditLog", "CustomField", "CustomFieldType", "CustomValue", "Enterprise", "EnterpriseAccount", "ExportJob", "ExportTemplate",
    "FixtureRecord", "Grid", "LookupEntry", "LookupKind", "NumberSequence", "Role", "Subsystem", "SubsystemAccess",
    "TaskRun", "User",
]
