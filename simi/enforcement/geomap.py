"""The map of Lampung Barat's kecamatan as an inline SVG, drawn on the server.

The boundaries are the GeoJSON SIMI ships with its reference data
(``simi/core/data/lampung-barat-kecamatan.geojson``, sources there). Lon/lat
are projected once per process (equirectangular, x scaled by cos of the
mean latitude, which is exact enough for a 60 km wide regency) and the path
strings are cached; each request only picks fill colours and writes text.
No JavaScript, no tiles, no CDN.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import simi.core

GEOJSON = Path(simi.core.__file__).resolve().parent / "data" / "lampung-barat-kecamatan.geojson"
WIDTH = 640
PAD = 8
# Sequential fills (light to dark) and the text colour readable on each.
ZERO_FILL = "#f2f4f7"
FILLS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
TEXT_ON = ("#10243e", "#10243e", "#ffffff", "#ffffff")

Point = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str
    label: Point


@dataclass(frozen=True)
class Projected:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry {geometry['type']}")


def _ring_area_centroid(ring: list[Point]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0]
    return abs(area), (cx / (6 * area), cy / (6 * area))


def _path(rings: Iterable[list[Point]]) -> str:
    parts = []
    for ring in rings:
        points: list[str] = []
        for x, y in ring:
            point = f"{x:.1f},{y:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


@cache
def projected_map() -> Projected:
    """Every kecamatan's SVG path and label point, computed once per process."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    lons = [p[0] for f in features for poly in _polygons(f["geometry"]) for r in poly for p in r]
    lats = [p[1] for f in features for poly in _polygons(f["geometry"]) for r in poly for p in r]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (WIDTH - 2 * PAD) / ((max_lon - min_lon) * kx)
    height = round((max_lat - min_lat) * scale + 2 * PAD)

    def project(point: list[float]) -> Point:
        return ((point[0] - min_lon) * kx * scale + PAD, (max_lat - point[1]) * scale + PAD)

    shapes = []
    for feature in features:
        rings = [
            [project(p) for p in ring]
            for polygon in _polygons(feature["geometry"])
            for ring in polygon
        ]
        _area, label = max((_ring_area_centroid(r) for r in rings), key=lambda ac: ac[0])
        props = feature["properties"]
        shapes.append(Shape(str(props["code"]), str(props["name"]), _path(rings), label))
    return Projected(WIDTH, height, tuple(sorted(shapes, key=lambda s: s.code)))


def scale_steps(maximum: int) -> list[tuple[int, int]]:
    """Up to four (low, high) ranges covering 1..maximum, in whole numbers."""
    if maximum <= 0:
        return []
    steps = min(len(FILLS), maximum)
    bounds = [math.ceil(maximum * (i + 1) / steps) for i in range(steps)]
    ranges, low = [], 1
    for high in bounds:
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    return ranges


def _bucket(count: int, ranges: list[tuple[int, int]]) -> int:
    """-1 for zero, else the index of the range holding ``count``."""
    for index, (low, high) in enumerate(ranges):
        if low <= count <= high:
            return index
    return -1


def render_map(counts: dict[str, int], *, link: str = "") -> SafeString:
    """The SVG: each kecamatan filled by its count, the count written on it,
    a <title> with name and count, and a legend. ``link`` (a URL with
    ``{code}``) makes each kecamatan a link to its filtered list."""
    projected = projected_map()
    ranges = scale_steps(max(counts.values(), default=0))
    legend_y = projected.height + 6
    height = legend_y + 28
    title = _("Foreigners in the register by kecamatan, Kabupaten Lampung Barat")
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="kecamatan-map" '
            'role="img" aria-labelledby="map-title map-desc" width="100%">'
            '<title id="map-title">{}</title><desc id="map-desc">{}</desc>',
            projected.width,
            height,
            title,
            _("Darker kecamatan have more foreigners; the number is written on each."),
        )
    ]
    for shape in projected.shapes:
        count = counts.get(shape.code, 0)
        bucket = _bucket(count, ranges)
        fill = ZERO_FILL if bucket < 0 else FILLS[bucket]
        text = "#10243e" if bucket < 0 else TEXT_ON[bucket]
        label = ngettext(
            "%(name)s: %(count)d foreigner", "%(name)s: %(count)d foreigners", count
        ) % {"name": shape.name, "count": count}
        body = format_html(
            '<path d="{}" fill="{}" stroke="#7a8599" stroke-width="0.8" data-code="{}">'
            "<title>{}</title></path>"
            '<text x="{}" y="{}" fill="{}" font-size="13" text-anchor="middle" '
            'dominant-baseline="middle" aria-hidden="true">{}</text>',
            shape.path,
            fill,
            shape.code,
            label,
            f"{shape.label[0]:.1f}",
            f"{shape.label[1]:.1f}",
            text,
            count,
        )
        if link:
            body = format_html('<a href="{}">{}</a>', link.format(code=shape.code), body)
        parts.append(body)
    parts.append(_legend(ranges, legend_y))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


def _legend(ranges: list[tuple[int, int]], y: int) -> SafeString:
    items = [(ZERO_FILL, "0")] + [
        (FILLS[i], str(low) if low == high else f"{low}\u2013{high}")
        for i, (low, high) in enumerate(ranges)
    ]
    out = [format_html('<g class="map-legend" transform="translate({},{})">', PAD, y)]
    for index, (fill, text) in enumerate(items):
        x = index * 96
        out.append(
            format_html(
                '<rect x="{}" y="0" width="18" height="18" fill="{}" stroke="#8a94a6"/>'
                '<text x="{}" y="14" font-size="13" fill="#10243e">{}</text>',
                x,
                fill,
                x + 24,
                escape(text),
            )
        )
    out.append(mark_safe("</g>"))
    return mark_safe("".join(str(p) for p in out))  # noqa: S308 - escaped above
