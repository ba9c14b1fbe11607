"""Where an office is: the map of Lampung Barat's kecamatan (the same
projection as the enforcement map, simi.enforcement.geomap) with the
office's kecamatan highlighted. An inline SVG: no tiles, no script."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from simi.core.models import Office
from simi.enforcement.geomap import projected_map

HIGHLIGHT = "#0b6e8a"
OTHER = "#f2f4f7"


def office_map(office: Office) -> SafeString | None:
    """The SVG for an office whose region lies in a mapped kecamatan (a
    kecamatan or one of its villages); None for an office outside the map."""
    region = office.region
    code = region.code if region is not None else ""
    shapes = projected_map().shapes
    target = next((s for s in shapes if code == s.code or code.startswith(s.code + ".")), None)
    if target is None:
        return None
    projected = projected_map()
    title = _("Location of %(office)s: Kecamatan %(kecamatan)s, Kabupaten Lampung Barat") % {
        "office": office.name,
        "kecamatan": target.name,
    }
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="kecamatan-map" '
            'role="img" aria-label="{}" width="100%">',
            projected.width,
            projected.height,
            title,
        )
    ]
    for shape in shapes:
        chosen = shape is target
        parts.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#7a8599" stroke-width="0.8" data-code="{}"{}>'
                "<title>{}</title></path>",
                shape.path,
                HIGHLIGHT if chosen else OTHER,
                shape.code,
                mark_safe(' data-office="true"') if chosen else "",
                shape.name,
            )
        )
    parts.append(
        format_html(
            '<circle cx="{}" cy="{}" r="7" fill="#c0392b" stroke="#ffffff" stroke-width="2"/>'
            '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#10243e" '
            'aria-hidden="true">{}</text>',
            f"{target.label[0]:.1f}",
            f"{target.label[1]:.1f}",
            f"{target.label[0] + 12:.1f}",
            f"{target.label[1] + 5:.1f}",
            target.name,
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above
