from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar.di import Provide

from konfliktmanagement.domain.privacy.legal_hold import LegalHoldService
from konfliktmanagement.domain.privacy.policies import RetentionPolicyService
from konfliktmanagement.domain.privacy.queries import PrivacyAdminQuery
from konfliktmanagement.domain.privacy.subject_rights import PartyRightsService

privacy_dependencies = {
    "party_rights": Provide(create_service_provider(PartyRightsService)),
    "legal_holds": Provide(create_service_provider(LegalHoldService)),
    "retention_policies": Provide(create_service_provider(RetentionPolicyService)),
    "privacy_pages": Provide(PrivacyAdminQuery, sync_to_thread=False),
}
