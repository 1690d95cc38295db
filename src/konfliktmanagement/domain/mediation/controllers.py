"""API controllers of this area; `server/app.py` registers everything listed in `API_CONTROLLERS`."""

from __future__ import annotations

from litestar import Controller

API_CONTROLLERS: list[type[Controller]] = []
