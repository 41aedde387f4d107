"""Cut the Western Balkans out of Natural Earth's world map and write data/region_map.json.

Usage:
    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz   # gives package/countries-50m.json
    python3 scripts/build_region_map.py /tmp/package/countries-50m.json [data/region_map.json]

Input: ``countries-50m.json`` of the npm package ``world-atlas`` (version 2.0.2 was used), Natural
Earth 1:50m admin-0 boundaries (version 4.1.0) as TopoJSON: quantised coordinates, shared arcs,
delta-encoded positions. This script decodes it with the standard library only (no GIS packages):

1. each arc is a list of delta-encoded integer positions; a running sum undoes the deltas and
   ``transform`` (scale, translate) turns them into longitude/latitude in degrees;
2. a polygon ring is a list of arc indices; a negative index ``~i`` means arc ``i`` reversed; the
   first point of each arc after the first repeats the previous arc's last point, so it is dropped;
3. the neighbours (drawn for context only) are clipped to a box around the region so the file
   stays small (Italy's islands, most of Greece's, Romania's east are cut away).

Output: JSON with ``countries``: a list of ``{"code", "name", "name_in_source", "role", "polygons"}``
where ``polygons`` is a list of polygons, each a list of rings, each a list of ``[lon, lat]``
(degrees, rounded to 3 decimals, about 100 m), ``role`` is ``"focus"`` for the eight states of the
lessons and ``"context"`` for neighbours; plus ``bbox``, ``credit`` and ``license``.

Kosovo: Natural Earth has a feature named "Kosovo" with no ISO numeric id (Kosovo has no official
ISO 3166 code). We give it the user-assigned code XK, as in data/memberships.csv. Natural Earth
4.1.0 still names North Macedonia "Macedonia"; we keep that in ``name_in_source``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Natural Earth name -> (our code, our short English name, role)
WANTED = {
    "Albania": ("AL", "Albania", "focus"),
    "Bosnia and Herz.": ("BA", "Bosnia and Herzegovina", "focus"),
    "Croatia": ("HR", "Croatia", "focus"),
    "Kosovo": ("XK", "Kosovo", "focus"),
    "Montenegro": ("ME", "Montenegro", "focus"),
    "Macedonia": ("MK", "North Macedonia", "focus"),
    "Serbia": ("RS", "Serbia", "focus"),
    "Slovenia": ("SI", "Slovenia", "focus"),
    "Hungary": ("HU", "Hungary", "context"),
    "Romania": ("RO", "Romania", "context"),
    "Bulgaria": ("BG", "Bulgaria", "context"),
    "Greece": ("GR", "Greece", "context"),
    "Italy": ("IT", "Italy", "context"),
    "Austria": ("AT", "Austria", "context"),
}
#: lon_min, lat_min, lon_max, lat_max (degrees): neighbours are clipped to this box
CLIP_BOX = (11.0, 38.5, 25.5, 48.5)
DECIMALS = 3


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as a list of (lon, lat) in degrees (undoes delta encoding and quantisation)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy  # positions are stored as differences from the previous one
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    """Stitch a ring from arc indices; ~i (= -i - 1) is arc i walked backwards."""
    points: list[tuple[float, float]] = []
    for k, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if k == 0 else arc[1:])  # consecutive arcs share an end point
    return points


def polygons_of(geometry: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    """A Polygon or MultiPolygon as a list of polygons, each a list of rings."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']}")
    return [[ring(r, arcs) for r in polygon] for polygon in parts]


def clip_ring(points, box):
    """Sutherland-Hodgman clipping of one ring to an axis-aligned box (enough for filling)."""
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda p, q: _cross_x(p, q, x0)),
             (lambda p: p[0] <= x1, lambda p, q: _cross_x(p, q, x1)),
             (lambda p: p[1] >= y0, lambda p, q: _cross_y(p, q, y0)),
             (lambda p: p[1] <= y1, lambda p, q: _cross_y(p, q, y1))]
    for inside, cross in edges:
        if not points:
            break
        out, prev = [], points[-1]
        for p in points:
            if inside(p):
                if not inside(prev):
                    out.append(cross(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cross(prev, p))
            prev = p
        points = out
    return points


def _cross_x(p, q, x):
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _cross_y(p, q, y):
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def rounded(points) -> list[list[float]]:
    """Round to DECIMALS and drop points that became repeats."""
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        source_name = geometry.get("properties", {}).get("name")
        if source_name not in WANTED:
            continue
        code, name, role = WANTED[source_name]
        polygons = []
        for polygon in polygons_of(geometry, arcs):
            rings = [clip_ring(r, CLIP_BOX) if role == "context" else r for r in polygon]
            rings = [rounded(r) for r in rings]
            rings = [r for r in rings if len(r) >= 4]  # a clipped-away ring leaves nothing
            if rings:
                polygons.append(rings)
        countries.append({"code": code, "name": name, "name_in_source": source_name,
                          "iso_numeric_in_source": geometry.get("id"), "role": role,
                          "polygons": polygons})
    missing = set(WANTED) - {c["name_in_source"] for c in countries}
    if missing:
        raise SystemExit(f"not found in the TopoJSON: {sorted(missing)}")
    countries.sort(key=lambda c: (c["role"] != "focus", c["code"]))
    return {
        "title": "Western Balkans and neighbours: admin-0 boundaries, 1:50m",
        "bbox": list(CLIP_BOX),
        "coordinates": "longitude, latitude in degrees (WGS 84), rounded to 3 decimals",
        "kosovo": ("Natural Earth draws Kosovo as its own feature (no ISO numeric id); we code it "
                   "XK (user-assigned). Its status is disputed: it declared independence in 2008; "
                   "some states recognise it, Serbia does not."),
        "credit": ("Made with Natural Earth (naturalearthdata.com), Admin 0 countries 1:50m, "
                   "version 4.1.0, via the npm package world-atlas 2.0.2 by Mike Bostock "
                   "(countries-50m.json); cut and simplified by scripts/build_region_map.py."),
        "license": ("Natural Earth data is in the public domain. The world-atlas package is under "
                    "the ISC licence, Copyright 2013-2019 Michael Bostock."),
        "countries": countries,
    }


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    out = Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parents[1] / "data" / "region_map.json"
    result = build(topology)
    out.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    points = sum(len(r) for c in result["countries"] for p in c["polygons"] for r in p)
    print(f"{out}: {len(result['countries'])} countries, {points} points, "
          f"{out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv)
