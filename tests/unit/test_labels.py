"""Every code value the pages show has its own German label, even where two enums share a value."""

from __future__ import annotations

from enum import StrEnum

import pytest

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.labels import choices, label, label_of

SHOWN = [
    m.CaseStatus, m.Outcome, m.MediationPhase, m.ReferralSource, m.Urgency, m.PartyKind,
    m.ParticipationRole, m.ParticipationStatus, m.ConsentPurpose, m.SessionKind, m.SessionStatus,
    m.NoteTier, m.ItemStatus, m.FollowUpResult, m.AdministrationRequestStatus,
]  # fmt: skip


@pytest.mark.parametrize("enum", SHOWN)
def test_every_member_has_a_label(enum: type[StrEnum]) -> None:
    for member in enum:
        assert label(member).strip()
        assert label_of(enum, member.value) == label(member)


def test_equal_values_of_different_enums_keep_their_own_label() -> None:
    assert label(m.ReferralSource.RUNDER_TISCH) == "Runder Tisch"
    assert label(m.SessionKind.RUNDER_TISCH) == "Runder-Tisch-Sitzung"


def test_choices_never_offer_the_system_only_state() -> None:
    assert "archiviert" not in dict(choices(m.CaseStatus))
