"""What credit keeps about an HR company beyond core's external account
(R-CR-01): its labour-dispatch licence. Fixed after registration, like the USCC."""

from django.db import models


class HRCompanyLicence(models.Model):
    account = models.OneToOneField("core.EnterpriseAccount", verbose_name="企业账号", on_delete=models.CASCADE,
                                   related_name="credit_licence")
    licence_no = models.CharField("劳务派遣经营许可证编号", max_length=60)
    licence_date = models.DateField("首次取得许可日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "劳务派遣许可"
        verbose_name_plural = "劳务派遣许可"
        default_permissions = ()

    def __str__(self):
        return self.licence_no
