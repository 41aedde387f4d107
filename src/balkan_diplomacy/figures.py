"""Write every chart of the set at its default settings to figures/ (PNG for slides, and SVG).

Run ``make figures`` (or ``python -m balkan_diplomacy.figures``). Each lesson module
(``balkan_diplomacy.LESSON_MODULES``) lists its charts in ``FIGURES``; ``figures/index.csv``
records each file's title, alt text and source. The output is the same byte for byte on every
run (no timestamps, fixed SVG ids), so a test can tell when figures/ is out of date with the data.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from . import lesson_modules, style

PNG_DPI = 150
INDEX_COLUMNS = ["slug", "title", "alt", "source", "png", "svg"]


def figure_specs() -> list[dict]:
    """Every FIGURES entry of the lesson modules, sorted by slug (lesson number first)."""
    specs = []
    for module in lesson_modules():
        specs += getattr(module, "FIGURES", [])
    slugs = [s["slug"] for s in specs]
    dupes = {s for s in slugs if slugs.count(s) > 1}
    if dupes:
        raise ValueError(f"two figures share a slug: {sorted(dupes)}")
    return sorted(specs, key=lambda s: s["slug"])


def render(spec: dict) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of one figure, drawn in the default (not projector) mode."""
    previous = style.mode()
    style.default()
    try:
        fig = spec["make"]()
        # an explorer's blitted artists are marked animated, which a full save would leave out
        for artist in fig.findobj(lambda a: a.get_animated()):
            artist.set_animated(False)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buf.getvalue(), style.svg(fig)
    finally:
        if previous == "projector":
            style.present()


def build(out: Path) -> list[dict]:
    """Write all figures and the index into ``out``; return the index rows."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for spec in figure_specs():
        png, svg = render(spec)
        (out / f"{spec['slug']}.png").write_bytes(png)
        (out / f"{spec['slug']}.svg").write_bytes(svg)
        rows.append({"slug": spec["slug"], "title": spec["title"], "alt": spec["alt"],
                     "source": spec["source"], "png": f"{spec['slug']}.png",
                     "svg": f"{spec['slug']}.svg"})
    with open(out / "index.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=INDEX_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "figures"
    rows = build(out)
    written = {r["png"] for r in rows} | {r["svg"] for r in rows}
    stale = sorted({p.name for p in [*out.glob("*.png"), *out.glob("*.svg")]} - written)
    for name in stale:
        (out / name).unlink()  # a figure whose chart no longer exists
    print(f"wrote {len(rows)} figures (PNG at {PNG_DPI} dpi and SVG) and index.csv to {out}"
          + (f"; removed {len(stale)} stale files" if stale else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
