"""Constant messages of the templates translated once, when a template is compiled.

A page says `{{ _("Falldaten") }}` a hundred times; through jinja's i18n extension each is two context
calls, a catalog lookup, a `Markup` and a `%` per request, although the answer is the same for the
life of the process (the catalog is loaded once: `lib/i18n.py`). This extension rewrites a call with
one string literal and nothing else — `_("…")` or `gettext("…")` — to the translated text marked safe,
`("…"|safe)`, which jinja folds into the compiled template as a constant. It is what the i18n
extension's newstyle `gettext` returns (the translation as `Markup`, formatted with no variables), so
the page reads the same. Calls with variables (`_("%(n)s Fälle", n=…)`) stay calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_LPAREN, TOKEN_NAME, TOKEN_PIPE, TOKEN_RPAREN, TOKEN_STRING, Token, TokenStream

from konfliktmanagement.lib.i18n import gettext

_GETTEXT_NAMES = frozenset({"_", "gettext"})
_CALL = (TOKEN_NAME, TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN)


def _constant(message: str, translate: Callable[[str], str]) -> str | None:
    """The text newstyle `gettext` would give for `message` without variables; None if it would fail."""
    try:
        return translate(message) % {}
    except (KeyError, TypeError, ValueError):
        return None  # left to the call, which fails (or not) as before


class ConstantMessages(Extension):
    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            window = tokens[i : i + 4]
            after_dot = i > 0 and tokens[i - 1].type == TOKEN_DOT  # `obj._("…")` is a method, not ours
            if (
                not after_dot
                and tuple(t.type for t in window) == _CALL
                and window[0].value in _GETTEXT_NAMES
                and (text := _constant(window[2].value, gettext)) is not None
            ):
                line = window[0].lineno
                yield Token(line, TOKEN_LPAREN, "(")
                yield Token(line, TOKEN_STRING, text)
                yield Token(line, TOKEN_PIPE, "|")
                yield Token(line, TOKEN_NAME, "safe")
                yield Token(line, TOKEN_RPAREN, ")")
                i += 4
                continue
            yield tokens[i]
            i += 1
