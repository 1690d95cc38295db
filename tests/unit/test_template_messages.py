"""Constant template messages are translated at compile time and read as newstyle gettext renders them."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from konfliktmanagement.lib.i18n import translations
from konfliktmanagement.lib.template_messages import ConstantMessages

SOURCE = (
    '{{ _("Falldaten") }}|{{ gettext("a & b 100 %%") }}|{{ _("x %(n)s", n="<b>") }}|'
    '{{ "<" ~ _("Fälle") }}|{% set t = _("Notiz") %}{{ t }}|{{ obj._("y") }}'
)


def _environment(*extensions: type[ConstantMessages]) -> Environment:
    env = Environment(autoescape=True, loader=DictLoader({"page.html": SOURCE}), extensions=["jinja2.ext.i18n"])
    for extension in extensions:
        env.add_extension(extension)
    env.install_gettext_translations(translations(), newstyle=True)  # type: ignore[attr-defined]
    return env


def test_output_is_the_same_as_newstyle_gettext() -> None:
    context = {"obj": {"_": lambda text: text + "!"}}
    plain = _environment().get_template("page.html").render(**context)
    constant = _environment(ConstantMessages).get_template("page.html").render(**context)
    assert constant == plain
    assert constant == "Falldaten|a & b 100 %|x &lt;b&gt;|&lt;Fälle|Notiz|y!"


def test_constant_messages_are_compiled_in_calls_with_variables_stay_calls() -> None:
    code = _environment(ConstantMessages).compile(SOURCE, raw=True)
    assert "yield 'Falldaten|a & b 100 %|'" in code
    assert "'Falldaten'" not in code.replace("yield 'Falldaten|", "")  # no call left for it
    assert "'x %(n)s'" in code  # translated at render time, with its variable escaped
