"""Names for what ipywidgets 8 leaves unnamed in the browser: chart images and slider handles.

ipywidgets 8 draws an ``Image`` as an ``<img>`` with no ``alt`` attribute, and a slider as a
noUiSlider whose handle (``role="slider"``) has no accessible name: its ``description`` is a
``<label>`` that no screen reader connects to the handle. axe-core reports both (image-alt,
critical; aria-input-field-name, serious), and neither can be set from Python.

:class:`Access` is a small widget made with anywidget's documented API (an ES module in
``_esm``). An :class:`~balkan_diplomacy.widgets.Explorer` holds one, out of sight. In the browser
it finds the explorer it belongs to (the nearest element of class ``bd-explorer``) and sets

- the ``alt`` text of the explorer's chart image to :attr:`Access.alt` (the explorer sets it to
  what the chart shows now, after every change), and
- an ``aria-label`` on every slider handle, from the slider's own description (a range slider's
  two handles: "<description>, from" and "<description>, to").

It watches the explorer for views drawn later (a tab chosen, a cell re-run), so late views are
named too. Where the widget cannot show (no widgets front end), nothing changes: the text under
the chart still says what it shows.
"""

from __future__ import annotations

import anywidget
import traitlets

#: the class the explorer's box carries, so the widget finds its own explorer and no other
HOST_CLASS = "bd-explorer"

ESM = """
const HOST = "@HOST@";

function name(slider) {
  const label = slider.querySelector(".widget-label");
  return ((label && label.textContent) || "").trim() || "Value";
}

function apply(model, box) {
  const alt = model.get("alt");
  for (const img of box.querySelectorAll("img.widget-image")) {
    if (img.closest("." + HOST) === box && img.getAttribute("alt") !== alt) {
      img.setAttribute("alt", alt);
    }
  }
  for (const slider of box.querySelectorAll(".widget-slider")) {
    const handles = slider.querySelectorAll(".noUi-handle");
    handles.forEach((handle, i) => {
      const want = handles.length > 1 ? `${name(slider)}, ${i === 0 ? "from" : "to"}`
                                      : name(slider);
      if (handle.getAttribute("aria-label") !== want) handle.setAttribute("aria-label", want);
    });
  }
}

export default {
  render({ model, el }) {
    let box = null, tries = 0;
    const observer = new MutationObserver(() => box && apply(model, box));
    const run = () => box && apply(model, box);
    const attach = () => {
      box = el.isConnected ? el.closest("." + HOST) : null;
      if (!box) {
        if (tries++ < 600) setTimeout(attach, 50);  // the view is put in the page later
        return;
      }
      observer.observe(box, { childList: true, subtree: true });
      apply(model, box);
    };
    attach();
    model.on("change:alt", run);
    return () => { observer.disconnect(); model.off("change:alt", run); };
  },
};
""".replace("@HOST@", HOST_CLASS)


class Access(anywidget.AnyWidget):
    """Out of sight; names its explorer's chart image (``alt``) and slider handles."""

    _esm = ESM
    #: the chart image's alternative text: what the chart shows now
    alt = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(layout={"display": "none"}, **kwargs)
