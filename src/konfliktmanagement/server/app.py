"""The application factory."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    SQLAlchemyPlugin,
)
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.types import Middleware

from konfliktmanagement.db import models as m
from konfliktmanagement.db.encryption import set_encryption_key
from konfliktmanagement.db.engine import create_engine
from konfliktmanagement.db.request_session import RequestSessionConfig, end_before_send
from konfliktmanagement.domain import labels
from konfliktmanagement.domain.accounts.auth import SESSION_STORE, build_session_auth, session_seconds_left
from konfliktmanagement.domain.accounts.controllers.admin_users import AdminUserPageController
from konfliktmanagement.domain.accounts.controllers.api import AccountApiController
from konfliktmanagement.domain.accounts.controllers.login import SignInPageController
from konfliktmanagement.domain.accounts.controllers.password import PasswordLinkPageController
from konfliktmanagement.domain.accounts.controllers.settings import AccountSettingsPageController
from konfliktmanagement.domain.accounts.controllers.tokens import TokenPageController
from konfliktmanagement.domain.accounts.guards import password_changed
from konfliktmanagement.domain.accounts.throttling import RESET_STORE, SIGN_IN_STORE
from konfliktmanagement.domain.administration import controllers as administration_api
from konfliktmanagement.domain.agreements import controllers as agreements_api
from konfliktmanagement.domain.attachments import controllers as attachments_api
from konfliktmanagement.domain.case_page.sections import case_section_dependencies
from konfliktmanagement.domain.cases.controllers import CaseApiController
from konfliktmanagement.domain.cases.form_options import escalation_label
from konfliktmanagement.domain.mediation import controllers as mediation_api
from konfliktmanagement.domain.notes import controllers as notes_api
from konfliktmanagement.domain.notifications import controllers as notifications_api
from konfliktmanagement.domain.notifications.jobs import notification_job
from konfliktmanagement.domain.notifications.pages import unread_notifications
from konfliktmanagement.domain.outbox.worker import outbox_delivery
from konfliktmanagement.domain.parties import controllers as parties_api
from konfliktmanagement.domain.privacy import controllers as privacy_api
from konfliktmanagement.domain.privacy.worker import daily_retention
from konfliktmanagement.domain.statistics import controllers as statistics_api
from konfliktmanagement.domain.system.controllers import HealthApiController, HomePageController
from konfliktmanagement.lib.logging import configure_logging
from konfliktmanagement.lib.settings import PACKAGE_DIR, Settings
from konfliktmanagement.lib.templating import template_config
from konfliktmanagement.server.cli import CLIPlugin
from konfliktmanagement.server.collector import frozen_startup_objects
from konfliktmanagement.server.csrf import CSRF_COOKIE, CSRF_HEADER, TokenAwareCSRFMiddleware
from konfliktmanagement.server.errors import LateDatabaseErrorMiddleware, handle_exception
from konfliktmanagement.server.navigation import account_navigation, navigation
from konfliktmanagement.server.openapi import TruthfulJsonRenderPlugin
from konfliktmanagement.server.pages import PAGE_CONTROLLERS
from konfliktmanagement.server.request_body import BodyMediaTypeMiddleware, DepthCheckedRequest
from konfliktmanagement.server.request_log import RequestLogMiddleware
from konfliktmanagement.server.security_headers import SecurityHeadersMiddleware
from konfliktmanagement.server.transactions import ReleaseOnErrorMiddleware, TransactionMiddleware


def alchemy_config(settings: Settings) -> RequestSessionConfig:
    return RequestSessionConfig(
        engine_instance=create_engine(
            settings.effective_database_url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
            statement_cache_size=settings.database_statement_cache_size,
        ),
        # advanced-alchemy's cache-invalidation listener runs after every commit and, to learn whether it
        # is enabled, calls `engine.execution_options()`, which builds a new engine proxy each time; we
        # use neither its cache nor its file objects, so both listeners are off.
        session_config=AsyncSessionConfig(expire_on_commit=False, info={"enable_cache_listener": False}),
        enable_file_object_listener=False,
        before_send_handler=end_before_send,
        set_default_exception_handler=False,
        # Reading requests without BEGIN/COMMIT (db/request_session.py); not behind PgBouncer, which
        # is what a statement cache size of 0 means here (README → Running several workers).
        autocommit_reads=settings.effective_database_url.startswith("postgresql")
        and settings.database_statement_cache_size > 0,
        alembic_config=AlembicAsyncConfig(
            script_location=str(settings.migrations_dir),
            version_table_name="alembic_version",
            compare_type=True,
            render_as_batch=True,
        ),
    )


def operation_id(route_handler: HTTPRouteHandler, *_method_and_path: object) -> str:
    """An operation's id is its handler's name in camelCase (`update_agreement` → `updateAgreement`): one
    rule, instead of an id written next to every route. Renaming an API handler renames its operation."""
    first, *rest = route_handler.handler_name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    configure_logging(settings)
    set_encryption_key(settings.effective_encryption_key)
    db = alchemy_config(settings)
    session_auth = build_session_auth(settings)
    csrf = CSRFConfig(
        secret=settings.effective_secret_key,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,
        cookie_samesite="lax",
    )

    def protected() -> list[Middleware]:
        # Everything except health checks and static files runs behind these. Middleware that
        # writes to the store must sit outside the transaction, which commits before they write.
        return [
            LateDatabaseErrorMiddleware(),
            session_auth.middleware,
            ReleaseOnErrorMiddleware(),
            DefineMiddleware(TokenAwareCSRFMiddleware, config=csrf),
            BodyMediaTypeMiddleware(),
            TransactionMiddleware(),
        ]

    templates = template_config(settings)
    jinja_globals = templates.engine_instance.engine.globals
    jinja_globals.update(
        navigation=navigation,
        account_navigation=account_navigation,
        escalation_label=escalation_label,
        role_labels=labels.labels(m.Role),
        label=labels.label,
        label_of=labels.label_of,
        choices=labels.choices,
        m=m,
        session_seconds_left=lambda request: session_seconds_left(request, settings),
        unread_notifications=unread_notifications,
    )

    app = Litestar(
        route_handlers=[
            Router(
                path="/",
                route_handlers=[
                    AccountApiController,
                    CaseApiController,
                    *parties_api.API_CONTROLLERS,
                    *privacy_api.API_CONTROLLERS,
                    *mediation_api.API_CONTROLLERS,
                    *notes_api.API_CONTROLLERS,
                    *attachments_api.API_CONTROLLERS,
                    *agreements_api.API_CONTROLLERS,
                    *administration_api.API_CONTROLLERS,
                    *statistics_api.API_CONTROLLERS,
                    *notifications_api.API_CONTROLLERS,
                    # Pages are never part of the OpenAPI document (it describes `/api/v1`): decided here,
                    # on the router that holds them, and by no page controller of its own.
                    Router(
                        path="/",
                        route_handlers=[
                            SignInPageController,
                            PasswordLinkPageController,
                            AccountSettingsPageController,
                            HomePageController,
                            AdminUserPageController,
                            TokenPageController,
                            *PAGE_CONTROLLERS,
                        ],
                        dependencies=case_section_dependencies,
                        include_in_schema=False,
                    ),
                ],
                middleware=protected(),
                # After an admin's password reset only the new password is allowed (guards.password_changed).
                guards=[password_changed],
            ),
            HealthApiController,
            create_static_files_router(
                path="/static",
                directories=[PACKAGE_DIR / "static"],
                include_in_schema=False,
                send_as_attachment=False,
                cache_control=CacheControlHeader(max_age=3600),
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=db), HTMXPlugin(), CLIPlugin()],
        template_config=templates,
        stores={
            SESSION_STORE: SQLAlchemyStore(db, model=m.StoreEntry, namespace=SESSION_STORE),
            SIGN_IN_STORE: SQLAlchemyStore(db, model=m.StoreEntry, namespace=SIGN_IN_STORE),
            RESET_STORE: SQLAlchemyStore(db, model=m.StoreEntry, namespace=RESET_STORE),
        },
        openapi_config=OpenAPIConfig(
            title="Konfliktmanagement",
            operation_id_creator=operation_id,
            version="1",
            path="/api/v1/schema",
            render_plugins=[TruthfulJsonRenderPlugin()],
            openapi_router=Router(
                path="/api/v1/schema", route_handlers=[], middleware=protected(), include_in_schema=False
            ),
            components=session_auth.openapi_components,
        ),
        request_class=DepthCheckedRequest,
        exception_handlers={Exception: handle_exception},
        # Last: what the others start up is frozen too.
        lifespan=[outbox_delivery, daily_retention, notification_job, frozen_startup_objects],
        logging_config=None,
        state=State({"settings": settings, "alchemy_config": db}),
        debug=False,
    )
    app.asgi_handler = SecurityHeadersMiddleware(hsts=settings.cookie_secure)(RequestLogMiddleware()(app.asgi_handler))
    return app
