"""The signed-in person as authentication folds them from its rows (one row per role)."""

from __future__ import annotations

from uuid import uuid4

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal, fold


def test_rows_fold_into_one_principal_with_every_role() -> None:
    user_id = uuid4()
    person = (user_id, "Mila", "mila@example.org", False, 3)
    rows = [("session", 7, *person, "mediator"), ("session", 7, *person, "coordinator")]
    principal = fold(rows, 2)
    assert principal == Principal(
        id=user_id,
        name="Mila",
        email="mila@example.org",
        roles=frozenset({m.Role.MEDIATOR, m.Role.COORDINATOR}),
        must_change_password=False,
        version=3,
    )
    assert principal.has_role(m.Role.COORDINATOR, m.Role.ADMIN)
    assert not principal.has_role(m.Role.ADMIN)


def test_a_person_without_roles_has_none_and_no_user_is_none() -> None:
    user_id = uuid4()
    principal = fold([(user_id, "Rita", "rita@example.org", True, 1, None)], 0)
    assert principal is not None
    assert principal.roles == frozenset()
    assert principal.must_change_password
    assert fold([("session", None, None, None, None, None, None)], 1) is None


def test_of_a_loaded_user() -> None:
    user = m.User(id=uuid4(), email="a@example.org", name="Adam", must_change_password=False, version=2)
    user.role_rows = [m.UserRole(role="admin")]
    assert Principal.of(user) == Principal(user.id, "Adam", "a@example.org", frozenset({m.Role.ADMIN}), False, 2)
