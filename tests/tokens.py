"""A real API token for a test client (core.tokens, as the sign-in issues it)."""

from zhonglou_hrss.core import tokens


def token_for(user) -> str:
    return tokens.issue(user)[1]


def authorize(client, user):
    """Sign ``client`` (DRF's APIClient) in with a fresh token of ``user``; return the key."""
    key = token_for(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return key
