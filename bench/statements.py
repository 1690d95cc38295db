"""Statements per request, counted in-process: the real app (`create_app`, settings from the same KM_*
environment as the served app) behind httpx's ASGI transport, with SQLAlchemy's `before_cursor_execute`
event counting what each request sends — the method of tests/integration/test_statement_budgets.py.
PostgreSQL's pg_stat_statements would need a server restart with shared_preload_libraries; this
count needs nothing and sees the same SQL (BEGIN/COMMIT are not statements here, as in the tests).

    KM_DATABASE_URL=… python bench/statements.py < plan.json   # prints {"scenario": statements/request}

The plan (JSON on stdin): {"requests": [[scenario, role, method, path, body|null], …], "password",
"mediator_email", "coordinator_email", "mediator_token", "coordinator_token"}.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event

from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.server.app import create_app

CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def _signed_in(transport: ASGITransport, email: str, password: str) -> AsyncClient:
    # https: the app runs as in production, with `Secure` cookies, which a client sends back only over https.
    client = AsyncClient(transport=transport, base_url="https://127.0.0.1")
    page = await client.get("/login")
    token = CSRF_INPUT.search(page.text)
    if token is None:
        msg = "the login page has no CSRF field"
        raise RuntimeError(msg)
    response = await client.post("/login", data={"email": email, "password": password, "_csrf_token": token.group(1)})
    if response.status_code != 303:
        msg = f"sign-in failed: {response.status_code}"
        raise RuntimeError(msg)
    return client


async def count(plan: dict[str, Any]) -> dict[str, float]:
    app = create_app(Settings())
    async with LifespanManager(app):  # type: ignore[arg-type]
        transport = ASGITransport(app=app)  # type: ignore[arg-type]
        clients = {
            "mediator_cookie": await _signed_in(transport, plan["mediator_email"], plan["password"]),
            "coordinator_cookie": await _signed_in(transport, plan["coordinator_email"], plan["password"]),
            "mediator": AsyncClient(
                transport=transport,
                base_url="http://127.0.0.1",
                headers={"Authorization": f"Bearer {plan['mediator_token']}"},
            ),
            "coordinator": AsyncClient(
                transport=transport,
                base_url="http://127.0.0.1",
                headers={"Authorization": f"Bearer {plan['coordinator_token']}"},
            ),
        }
        sync_engine = app.state["alchemy_config"].get_engine().sync_engine
        counted: list[str] = []

        def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
            counted.append(statement)

        totals: dict[str, list[int]] = {}
        for scenario, role, method, path, body in plan["requests"]:
            counted.clear()
            event.listen(sync_engine, "before_cursor_execute", record)
            try:
                response = await clients[role].request(method, path, json=body)
            finally:
                event.remove(sync_engine, "before_cursor_execute", record)
            if response.status_code >= 300:
                msg = f"{scenario}: {method} {path} answered {response.status_code}: {response.text[:300]}"
                raise RuntimeError(msg)
            totals.setdefault(scenario, []).append(len(counted))
        for client in clients.values():
            await client.aclose()
    # The first request of each scenario warms caches (reference data, layouts): left out if there are more.
    return {name: sum(c[1:] or c) / len(c[1:] or c) for name, c in totals.items()}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(count(json.load(sys.stdin)))))
