"""All tables, one module each: `from konfliktmanagement.db import models as m`."""

from konfliktmanagement.db.models.api_token import ApiToken
from konfliktmanagement.db.models.quartier import Quartier
from konfliktmanagement.db.models.stadtbezirk import Stadtbezirk
from konfliktmanagement.db.models.store_entry import StoreEntry
from konfliktmanagement.db.models.user import Role, User
from konfliktmanagement.db.models.user_role import UserRole

__all__ = ("ApiToken", "Quartier", "Role", "Stadtbezirk", "StoreEntry", "User", "UserRole")
