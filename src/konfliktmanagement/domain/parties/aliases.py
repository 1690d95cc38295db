"""Per-case aliases of parties: "Partei A" … "Partei Z", "Partei AA", … (bijective base 26)."""

from __future__ import annotations

from collections.abc import Iterable
from string import ascii_uppercase

PREFIX = "Partei "


def alias_for(index: int) -> str:
    """The alias of the `index`-th party of a case, counting from 0."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = ascii_uppercase[rest] + letters
    return PREFIX + letters


def index_of(alias: str) -> int | None:
    """The inverse of `alias_for`, or None for an alias this module did not make."""
    letters = alias.removeprefix(PREFIX)
    if letters == alias or not letters or any(c not in ascii_uppercase for c in letters):
        return None
    number = 0
    for letter in letters:
        number = number * 26 + ascii_uppercase.index(letter) + 1
    return number - 1


def next_alias(taken: Iterable[str]) -> str:
    """The alias after the highest one in use.

    Aliases are never reused, even after a party leaves a case: minutes and agreements written
    earlier still say "Partei B" and must keep meaning the same party.
    """
    indexes = [i for i in (index_of(a) for a in taken) if i is not None]
    return alias_for(max(indexes, default=-1) + 1)


def sort_key(alias: str) -> tuple[int, str]:
    index = index_of(alias)
    return (index if index is not None else 1 << 30, alias)
