"""The Jinja2 environment of rotation's pages: templates and stylesheet shipped as package data.

Templates live in ``rotation/present/templates/`` (``*.html.j2``), the one stylesheet in
``rotation/present/static/rotation.css``; both are package data (``pyproject.toml``). Every page is
rendered whole from data by :func:`render` -- autoescape on, undefined names an error -- and nothing edits
a page once it is rendered. The stylesheet is inlined into each page (``page.html.j2``), so a run folder
is self-contained and works offline.

Filters available to the templates: ``md_inline`` (the little markdown a question uses, escaped),
``json_value`` (a parameter value as JSON text) and ``proxy_links`` (proxy names linked to the glossary).
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import Any

from markupsafe import Markup

from rotation.present.findings import closed

__all__ = ["environment", "render", "stylesheet", "template_source", "md_inline", "json_value", "proxy_links"]

_PACKAGE = "rotation.present"


def md_inline(text: str) -> Markup:
    """Escape text and keep the little markdown a question uses (``**bold**``, ``*em*``, ``code``; links lose
    their target)."""
    out = html.escape(str(text), quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return Markup(re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", out))


def proxy_links(text: str, glossary: str = "glossary.html") -> Markup:
    """Escape ``text`` and link each proxy name in it (``ff30_vw``, ``iwm_spy``...) to the glossary's proxies section,
    with the proxy's description as its tooltip; ``glossary`` is the glossary page's address from the page."""
    from rotation.data import PROXIES

    out = html.escape(str(text), quote=False)
    names = sorted(PROXIES, key=len, reverse=True)
    if not names:
        return Markup(out)

    def link(m: re.Match[str]) -> str:
        tip = html.escape(PROXIES[m.group(0)].description, quote=True)
        return f"<a class='rot-term' href='{html.escape(glossary, quote=True)}#Proxies' title='{tip}'>{m.group(0)}</a>"

    return Markup(re.sub(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])", link, out))


def json_value(value: Any) -> str:
    """A parameter value as JSON text (``"iwm_spy"``, ``12``, ``[1, 3]``); other objects as their ``str``."""
    return json.dumps(value, default=str)


@functools.cache
def environment() -> Any:
    """The one Jinja2 environment (templates from the package, autoescape on, strict undefined)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_inline"] = md_inline
    env.filters["json_value"] = json_value
    env.filters["closed"] = closed
    env.filters["proxy_links"] = proxy_links
    return env


@functools.cache
def stylesheet() -> str:
    """The text of ``static/rotation.css`` (inlined into every page)."""
    return (resources.files(_PACKAGE) / "static" / "rotation.css").read_text(encoding="utf-8")


def template_source(name: str) -> str:
    """The text of a file in ``templates/`` (for nbconvert, which loads its own templates)."""
    return (resources.files(_PACKAGE) / "templates" / name).read_text(encoding="utf-8")


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context`` (plus ``css``, the stylesheet, unless given)."""
    context.setdefault("css", Markup(stylesheet()))
    return environment().get_template(template).render(**context)
