"""The seed quartiers of the demo city and their Stadtbezirke."""

from __future__ import annotations

# (Stadtbezirk code, Stadtbezirk name, ((quartier code, quartier name), ...))
SEED_DISTRICTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("SB1", "Mitte", (("Q01", "Innenstadt/St. Josef"), ("Q02", "Schinkenplatz"))),
    ("SB2", "Nord", (("Q03", "Lehmheide"), ("Q04", "Bleichpfad"))),
    ("SB3", "Ost", (("Q05", "Hardenberg"), ("Q06", "Gatherhof"))),
    ("SB4", "Süd", (("Q07", "Stahldorf"), ("Q08", "Süd"))),
)
