"""Who the user is, as kuaiban's rules ask it: their grids, whether they see
cases only through those grids, whether their figures count by their grids,
whether they may see figures at all — and who may be chosen for kuaiban work."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from zhonglou_hrss.kuaiban.rules import GRID, INSPECT, STATS_PERMS, VIEW_ALL, VIEW_FIGURES


def active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_grid_ids(user) -> list[int]:
    """The ids of the user's grids (read once per user object)."""
    cache = getattr(user, "_kuaiban_grid_ids", None)
    if cache is None:
        cache = list(user.grids.values_list("pk", flat=True))
        user._kuaiban_grid_ids = cache
    return cache


def sees_through_grids_only(user) -> bool:
    """A grid worker who is neither leader/clerk nor inspector: the cases they
    see are exactly their grids' (the fast paths in ``selectors.cases`` rely on it)."""
    return (active(user) and user.has_perm(GRID) and not user.has_perm(VIEW_ALL)
            and not user.has_perm(INSPECT))


def counted_by_grids(user) -> bool:
    """Do this user's figures count by their grids (a grid worker, also one who
    is an inspector too), rather than all cases? Unlike ``sees_through_grids_only``
    an inspector's assigned cases never enter the figures. A grid worker given
    the district's figures sees the district's."""
    return not user.has_perm(VIEW_ALL) and not user.has_perm(VIEW_FIGURES) and user.has_perm(GRID)


def opens_figure_lists(user) -> bool:
    """Do the user's figures link to the case lists behind them? Only where
    such a list shows exactly the counted cases: leaders and clerks (all
    cases), grid workers (their grids'). Someone who reads the district's
    figures as data (VIEW_FIGURES) sees other lists, so no links."""
    return user.has_perm(VIEW_ALL) or counted_by_grids(user)


def can_view_stats(user) -> bool:
    return active(user) and any(user.has_perm(p) for p in STATS_PERMS)


def users_with_perm(perm: str):
    app_label, codename = perm.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    User = get_user_model()
    if permission is None:
        return User.objects.none()
    return (User.objects.filter(is_active=True)
            .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
            .distinct().order_by("username"))


def inspectors():
    """Active users who may claim and handle assigned cases."""
    return users_with_perm(INSPECT)
