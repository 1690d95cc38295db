from __future__ import annotations

import pytest

from konfliktmanagement.lib.forms import safe_next
from konfliktmanagement.lib.logging import REDACTED, redact_sensitive


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/users", "/admin/users"),
        ("/cases?status=x", "/cases?status=x"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_safe_next_allows_only_local_paths(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_sensitive_keys_are_redacted() -> None:
    event = {"event": "x", "password": "p", "email": "e@x", "session_id": "s", "party_name": "n", "status": 200}
    redacted = redact_sensitive(None, "info", dict(event))
    assert redacted["password"] == redacted["email"] == redacted["session_id"] == redacted["party_name"] == REDACTED
    assert redacted["status"] == 200
    assert redacted["event"] == "x"
