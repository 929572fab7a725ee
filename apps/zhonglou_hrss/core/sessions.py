"""The desk's idle timeout without a database write on every request (issue 19).

A session lives ``SESSION_COOKIE_AGE`` (the site's ``session_idle_minutes``)
after the last request. Django's ``SESSION_SAVE_EVERY_REQUEST`` keeps that
exact by saving the session — one write and one commit — on every page and
API call, which under load was a commit per read. Here the expiry moves
forward at most once every ``TOUCH_SECONDS``: a session that is in use is
saved about once a minute, and an idle one ends between ``SESSION_COOKIE_AGE
- TOUCH_SECONDS`` and ``SESSION_COOKIE_AGE`` after its last request — the
timeout is kept to the minute. Sessions with nothing in them (an anonymous
visitor) are never created by this."""

from __future__ import annotations

import time

TOUCH_SECONDS = 60
TOUCHED_KEY = "_touched"


class IdleTimeoutMiddleware:
    """Right after Django's SessionMiddleware: marks the session modified when its expiry is
    due to move, and Django's middleware then saves it on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and response.status_code != 500 and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(TOUCHED_KEY, 0)) >= TOUCH_SECONDS:
                session[TOUCHED_KEY] = now  # modified: saved with a fresh expiry
        return response
