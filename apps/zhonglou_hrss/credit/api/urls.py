"""The credit API (issue 15's fixed contract), mounted at ``/api/v1/credit/``: its modules' views by path."""

from django.urls import path

from zhonglou_hrss.core import paths  # noqa: F401  (the path converters)
from zhonglou_hrss.credit.api.accounts import AccountListView, ApplyView, DecideView, MeView, RegisterView
from zhonglou_hrss.credit.api.criteria import (
    CategoryView, CopyYearView, CriteriaItemView, CriteriaView, GradeView, ItemsView, QuotaView,
    VetoItemsView, VetoItemView,
)
from zhonglou_hrss.credit.api.declarations import (
    CandidatesView,
    ConfirmView,
    DeclarationListView,
    DeclarationView,
    DeductionView,
    DismissView,
    EvidenceFileView,
    EvidenceView,
    ReturnView,
    ScoreView,
    SubmitView,
    VetoView,
)
from zhonglou_hrss.credit.api.results import (
    GenerateResultsView,
    PublishResultsView,
    RatedView,
    ResultsExportView,
    ResultsView,
)

urlpatterns = [
    path("accounts/register/", RegisterView.as_view(), name="credit-register"),
    path("accounts/apply/", ApplyView.as_view(), name="credit-apply"),
    path("accounts/", AccountListView.as_view(), name="credit-accounts"),
    path("accounts/<record_id:pk>/approve/", DecideView.as_view(approve=True), name="credit-account-approve"),
    path("accounts/<record_id:pk>/reject/", DecideView.as_view(approve=False), name="credit-account-reject"),
    path("me/", MeView.as_view(), name="credit-me"),
    path("rated/<year4:year>/", RatedView.as_view(), name="credit-rated"),
    path("criteria/<year4:year>/", CriteriaView.as_view(), name="credit-criteria"),
    path("criteria/<year4:year>/copy/", CopyYearView.as_view(), name="credit-criteria-copy"),
    path("criteria/<year4:year>/items/", ItemsView.as_view(), name="credit-criteria-items"),
    path("criteria/<year4:year>/items/<str:code>/", CriteriaItemView.as_view(), name="credit-criteria-item"),
    path("criteria/<year4:year>/categories/<str:code>/", CategoryView.as_view(), name="credit-criteria-category"),
    path("criteria/<year4:year>/grades/<str:grade>/", GradeView.as_view(), name="credit-criteria-grade"),
    path("criteria/<year4:year>/quota/", QuotaView.as_view(), name="credit-criteria-quota"),
    path("criteria/<year4:year>/vetoes/", VetoItemsView.as_view(), name="credit-criteria-vetoes"),
    path("criteria/<year4:year>/vetoes/<str:code>/", VetoItemView.as_view(), name="credit-criteria-veto"),
    path("declarations/", DeclarationListView.as_view(), name="credit-declarations"),
    path("declarations/<record_id:pk>/", DeclarationView.as_view(), name="credit-declaration"),
    path("declarations/<record_id:pk>/evidence/", EvidenceView.as_view(), name="credit-evidence"),
    path("declarations/<record_id:pk>/evidence/<record_id:evidence_id>/", EvidenceFileView.as_view(),
         name="credit-evidence-file"),
    path("declarations/<record_id:pk>/submit/", SubmitView.as_view(), name="credit-submit"),
    path("declarations/<record_id:pk>/return/", ReturnView.as_view(), name="credit-return"),
    path("declarations/<record_id:pk>/score/", ScoreView.as_view(), name="credit-score"),
    path("declarations/<record_id:pk>/deductions/", DeductionView.as_view(), name="credit-deductions"),
    path("declarations/<record_id:pk>/vetoes/", VetoView.as_view(), name="credit-vetoes"),
    path("declarations/<record_id:pk>/confirm/", ConfirmView.as_view(), name="credit-confirm"),
    path("results/<year4:year>/", ResultsView.as_view(), name="credit-results"),
    path("results/<year4:year>/generate/", GenerateResultsView.as_view(), name="credit-results-generate"),
    path("results/<year4:year>/publish/", PublishResultsView.as_view(), name="credit-results-publish"),
    path("results/<year4:year>/export/", ResultsExportView.as_view(), name="credit-results-export"),
    path("candidates/", CandidatesView.as_view(), name="credit-candidates"),
    path("candidates/dismiss/", DismissView.as_view(), name="credit-candidate-dismiss"),
]
