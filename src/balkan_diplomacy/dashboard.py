"""The dashboard (notebooks/dashboard.ipynb, served by Voila): every explorer of the lessons, one
tab each, so that a presenter finds any chart in one click.

Each tab holds a caption (what the chart shows and where the lesson explains it), the explorer,
and a source line. Only the first tab's explorer is built at once; the others are built the first
time their tab is chosen (building all eight takes several seconds on a classroom laptop), then
kept.
"""

from __future__ import annotations

import html
import importlib
from dataclasses import dataclass

import ipywidgets


@dataclass(frozen=True)
class Panel:
    label: str  # the tab's title
    lesson: str  # the lesson that explains the chart
    module: str  # balkan_diplomacy.<module>
    builder: str  # its *_explorer function (called with no arguments)
    figure: str  # the slug of the chart in the module's FIGURES (title and source line)
    caption: str  # what to look at, in a sentence or two


PANELS = [
    Panel("Map", "00", "maps", "map_explorer", "00_region_map",
          "Each of the eight entries of the lessons (seven UN member states and Kosovo) shaded by "
          "how far it had gone towards NATO (left) and the EU (right) by the end of the chosen year."),
    Panel("Timeline", "01", "timeline", "timeline_explorer", "01_timeline",
          "The events of the article's story, from the 1999 war to today: choose the years and the "
          "kinds of event, and pick an event to read its details and source."),
    Panel("Recognition", "02", "recognition", "recognition_explorer", "02_recognition_claims",
          "How many states recognise Kosovo, as each claimant counts them: Pristina's "
          "government, Belgrade's government and independent compilations disagree."),
    Panel("NATO", "03", "nato", "membership_explorer", "03_nato_membership_grid",
          "The NATO steps of each of the eight entries, year by year: partnership, Membership "
          "Action Plan, invitation, accession."),
    Panel("EU path", "04", "eu_path", "swimlane_explorer", "04_eu_swimlanes",
          "The furthest EU step each state had reached over time, one lane per state, with the "
          "2025 'perspective' marked: pick a state to follow its lane."),
    Panel("Polls", "05", "polls", "poll_explorer", "05_poll_figures",
          "Opinion polls in Serbia over the years, against the article's 'about 80 percent': "
          "choose what was asked, about whom, by which pollster and who reported it."),
    Panel("Interests", "06", "interests", "interests_explorer", "06_interests_matrix",
          "Who gains and who loses under the status quo or a settlement, actor by actor, each "
          "point attributed to the article's author or to the actor's own statements."),
    Panel("Scoreboard", "07", "scoreboard", "scoreboard_explorer", "07_scoreboard",
          "Every checkable claim of the article against the record: holds, partly holds, does "
          "not hold, or a prediction that came true or failed."),
]


def figure_entry(panel: Panel) -> dict:
    """The module's FIGURES entry of the panel's chart (title, alt text, source line)."""
    module = importlib.import_module(f"balkan_diplomacy.{panel.module}")
    for entry in module.FIGURES:
        if entry["slug"] == panel.figure:
            return entry
    raise KeyError(f"{panel.module}.FIGURES has no chart {panel.figure!r}")


def build_explorer(panel: Panel):
    module = importlib.import_module(f"balkan_diplomacy.{panel.module}")
    return getattr(module, panel.builder)()


#: Tab titles dark on light (ipywidgets' grey on grey fails WCAG contrast) and large enough to
#: find from the back of a room; set through an HTML widget's <style>, scoped to the dashboard.
TAB_CSS = """<style>
.jupyter-widgets.jupyter-widget-tab.bd-dashboard > .lm-TabBar .lm-TabBar-tab { color: #1a1a1a; background: #e8e8e8;
  font-size: 15px; min-width: 7em; }
.jupyter-widgets.jupyter-widget-tab.bd-dashboard > .lm-TabBar .lm-TabBar-tab.lm-mod-current { background: #ffffff; }
</style>"""


class Dashboard(ipywidgets.Tab):
    """One tab per panel; a tab's explorer is built when the tab is first chosen."""

    def __init__(self, panels=PANELS, selected: int = 0):
        self.panels = list(panels)
        self.explorers: dict[int, object] = {}
        self.boxes = [ipywidgets.VBox([self._caption(p)]) for p in self.panels]
        super().__init__(children=self.boxes, titles=[p.label for p in self.panels])
        self.add_class("bd-dashboard")
        self.observe(self._on_select, names="selected_index")
        self.selected_index = selected
        self._on_select()

    @staticmethod
    def _caption(panel: Panel) -> ipywidgets.HTML:
        return ipywidgets.HTML(
            f'{TAB_CSS}<p class="bd-panel-caption" style="font-size:110%;max-width:760px">'
            f"{html.escape(panel.caption)} <i>(lesson {panel.lesson})</i></p>")

    @staticmethod
    def _source(panel: Panel) -> ipywidgets.HTML:
        return ipywidgets.HTML(
            f'<p class="bd-panel-source" style="font-size:90%;color:#444;max-width:760px">'
            f"Source: {html.escape(figure_entry(panel)['source'])}</p>")

    def _on_select(self, change=None) -> None:
        index = self.selected_index
        if index is None or index in self.explorers:
            return
        panel = self.panels[index]
        explorer = build_explorer(panel)
        self.explorers[index] = explorer
        box = self.boxes[index]
        box.children = [*box.children, explorer, self._source(panel)]

    def build_all(self) -> None:
        """Build every tab's explorer now (what choosing each tab once does)."""
        current = self.selected_index
        for index in range(len(self.panels)):
            self.selected_index = index
        self.selected_index = current


def dashboard(selected: int = 0) -> Dashboard:
    """The dashboard widget: display it as the last expression of a cell."""
    return Dashboard(selected=selected)
