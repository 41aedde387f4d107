"""Sphinx configuration of the course website (``make site``; see scripts/build_site.py).

scripts/build_site.py writes the pages into build/site-src (lesson notebooks, data tables,
glossary, sources) and runs Sphinx with this folder as its configuration. Everything the pages
load is served from the site itself: no fonts, scripts or styles from another host
(tests/browser/test_site.py checks the built pages).
"""

import os

project = "Serbia between Moscow and Brussels"
author = "the course authors"
copyright = "the course authors; code MIT, tables and prose CC BY 4.0"

# githubpages: a .nojekyll file, so hosts that run Jekyll serve _static as it is
extensions = ["myst_nb", "sphinx.ext.githubpages"]

# the instructor guide is a separate section, built only on request (make site GUIDE=1)
WITH_GUIDE = os.environ.get("SITE_GUIDE", "") not in ("", "0")
# _notebooks: the lessons as committed, offered for download only
exclude_patterns = ["_notebooks/**"] + ([] if WITH_GUIDE else ["guide/**"])

# -- MyST-NB: every lesson is executed at build time ---------------------------------------------
# The cache is keyed by build_site.py on the package and data (a change to either runs the
# lessons again); a notebook whose code changed is run again in any case.
nb_execution_mode = "cache"
nb_execution_cache_path = os.environ.get("SITE_EXECUTION_CACHE", "")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# no widget JavaScript from a CDN: explorers and quizzes render their static HTML view
# (balkan_diplomacy.static, switched on by BALKAN_STATIC_PAGES in the kernel's environment)
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
# the only folded cells are the worked solutions (tag "solution" -> "hide-cell")
nb_code_prompt_show = "Show the worked solution"
nb_code_prompt_hide = "Hide the worked solution"
nb_output_stderr = "remove-warn"
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# -- HTML ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Serbia between Moscow and Brussels"
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
# the site's own icon (without one the browser asks for /favicon.ico and gets a 404)
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "use_download_button": False,   # each lesson links to its notebook itself (run box)
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
html_context = {"default_mode": "light"}

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def drop_widget_state(app, pagename, templatename, context, doctree):
    """Leave out the widgets' saved state that MyST-NB embeds in a page (megabytes of PNG data
    for a view no static page can show: the charts are in the pages as images)."""
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"]
                                   if getattr(js, "attributes", {}).get("type") != WIDGET_STATE]


def visit_folded_cell(self, node):
    """MyST-NB 1.4's HTML for a folded cell (myst_nb.sphinx_.visit_HideCellInput) without its
    aria-label "Toggle hidden content": axe-core rates a name that leaves out the visible
    "Show the worked solution" as serious (label-content-name-mismatch); the name now comes
    from the visible text."""
    from html import escape

    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n'
                     "<summary>\n"
                     f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n'
                     "</summary>\n")


def depart_folded_cell(self, node):
    self.body.append("</details>\n")


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.connect("html-page-context", drop_widget_state)
    # Sphinx's public way to replace how a node is written (after myst_nb registered it)
    app.add_node(HideCodeCellNode, override=True, html=(visit_folded_cell, depart_folded_cell))
