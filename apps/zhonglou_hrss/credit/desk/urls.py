"""Routes of credit's desk pages, routed by their lists in the desk site
(``admin.criteria``, ``admin.declarations``, ``admin.results``) so they carry
the desk's names (``admin:credit_criteria_year`` …). Every view is wrapped by
the desk's sign-in (``admin_view``) and checks its own permission."""

from django.urls import path

from zhonglou_hrss.credit.desk import criteria, declarations, results


def criteria_patterns(site):
    return [
        path("copy/", site.admin_view(criteria.copy_next), name="credit_criteria_copy"),
        path("<int:year>/", site.admin_view(criteria.year_page), name="credit_criteria_year"),
        path("<int:year>/edit/", site.admin_view(criteria.edit_year), name="credit_criteria_edit"),
    ]


def declaration_patterns(site):
    return [
        path("<int:declaration_id>/", site.admin_view(declarations.page), name="credit_declaration_page"),
        path("<int:declaration_id>/return/", site.admin_view(declarations.return_view),
             name="credit_declaration_return"),
        path("<int:declaration_id>/score/", site.admin_view(declarations.score_view), name="credit_declaration_score"),
        path("<int:declaration_id>/confirm/", site.admin_view(declarations.confirm_view),
             name="credit_declaration_confirm"),
        path("<int:declaration_id>/deduct/", site.admin_view(declarations.deduct_view),
             name="credit_declaration_deduct"),
        path("<int:declaration_id>/veto/", site.admin_view(declarations.veto_view), name="credit_declaration_veto"),
        path("<int:declaration_id>/candidates/accept/", site.admin_view(declarations.accept_view),
             name="credit_candidate_accept"),
        path("<int:declaration_id>/candidates/dismiss/", site.admin_view(declarations.dismiss_view),
             name="credit_candidate_dismiss"),
        path("<int:declaration_id>/evidence/<int:evidence_id>/", site.admin_view(declarations.evidence_file),
             name="credit_evidence_file"),
        path("<int:declaration_id>/deductions/<int:deduction_id>/material/",
             site.admin_view(declarations.deduction_material), name="credit_deduction_material"),
    ]


def result_patterns(site):
    return [
        path("", site.admin_view(results.page), name="credit_results"),
        path("generate/", site.admin_view(results.generate), name="credit_results_generate"),
        path("publish/", site.admin_view(results.publish), name="credit_results_publish"),
        path("export/", site.admin_view(results.export), name="credit_results_export"),
    ]
