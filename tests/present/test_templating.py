"""The pages' Jinja2 environment (rotation.present.templating): package data, autoescape, strict names."""

from __future__ import annotations

import jinja2
import pytest

from rotation.present.templating import environment, json_value, md_inline, render, stylesheet, template_source


def test_templates_and_stylesheet_are_package_data():
    names = environment().list_templates()
    for name in ("page.html.j2", "macros.html.j2", "run_page.html.j2", "robustness.html.j2", "report.html.j2",
                 "nbconvert_cells.html.j2"):
        assert name in names
    assert ":root {" in stylesheet() and ".rot-scorecard" in stylesheet()
    assert "lab/base.html.j2" in template_source("nbconvert_cells.html.j2")


def test_autoescape_and_strict_undefined():
    env = environment()
    assert env.autoescape is True
    page = render("page.html.j2", title="<script>x</script>", main_class="rot-run")
    assert "<title>&lt;script&gt;x&lt;/script&gt;</title>" in page
    assert stylesheet() in page  # inlined: a page works offline, on its own
    with pytest.raises(jinja2.UndefinedError):
        render("page.html.j2", title="t")  # main_class missing: an error, not an empty attribute


def test_filters():
    assert str(md_inline("**Question.** Is *this* `x` <b>? [link](http://x)")) == (
        "<b>Question.</b> Is <i>this</i> <code>x</code> &lt;b&gt;? link")
    assert json_value("iwm_spy") == '"iwm_spy"' and json_value([1, 3]) == "[1, 3]"


def test_pyproject_ships_every_template_and_stylesheet():
    """pyproject.toml's package-data globs cover every file of templates/ and static/ (a wheel has them all)."""
    import tomllib
    from pathlib import Path

    import rotation

    root = Path(rotation.__file__).resolve().parents[2]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["rotation"]
    package = Path(rotation.__file__).parent
    shipped = {p for g in globs for p in package.glob(g)}
    files = {p for folder in ("present/templates", "present/static") for p in (package / folder).iterdir()}
    assert files and files <= shipped


def test_a_quoted_claim_ends_as_a_sentence_once():
    """The breakout question ends with '?': no '?.' on the run page, the reports or the findings."""
    from rotation.present.findings import closed

    assert closed("Will small caps break out?") == "Will small caps break out?"
    assert closed("Small caps lead ") == "Small caps lead."
    assert closed("It does.") == "It does."
    out = environment().from_string("{{ q | closed }}").render(q="Into the new year?")
    assert out == "Into the new year?"


def test_proxy_names_link_to_the_glossary_with_their_description():
    from rotation.data import PROXIES
    from rotation.present.templating import proxy_links

    out = str(proxy_links("ff30_vw, 1927-07-31 to 2025-08-31; second: iwm_spy <b>", "../glossary.html"))
    assert f"<a class='rot-term' href='../glossary.html#Proxies' title='{PROXIES['ff30_vw'].description}'" in out
    assert ">ff30_vw</a>" in out and ">iwm_spy</a>" in out
    assert "&lt;b&gt;" in out  # the rest is escaped
    assert "x_ff30_vw_y" in str(proxy_links("x_ff30_vw_y"))  # only whole names
