"""What a map shows over its data: the first fit (beside the legend), the legend, the metric
scale bar and the timing marks the browser benchmark reads. The fit, the legend and the drawn
mark are layers of the view's group (:mod:`tryg_geo.render.map_hook`): they come and go with
the data when a filter changes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
from jinja2 import Template

from .. import palette
from .map_hook import hook_template
from .map_text import TextMacroElement


class FirstFit(folium.FitBounds, TextMacroElement):
    """Fit the map to ``bounds`` when the first layers of its frame are drawn, and never again:
    after a filter change the map stays where the user zoomed and panned it.

    The fit keeps the legend's corner free (the legend sits over the map, bottom right):
    once the legend is laid out, the bounds are fitted again with its width free on the
    right or its height free at the bottom, whichever leaves the larger zoom (Leaflet's
    public ``getBoundsZoom`` and ``fitBounds``)."""

    _template = hook_template(
        """// Later layers of the same frame keep the user's zoom and position.
        if (map._trygFitted) return;
        map._trygFitted = true;
        var bounds = L.latLngBounds({{ this.bounds|tojson }});
        // No animation: an animated zoom that ends after the second fit would undo it.
        map.fitBounds(bounds, {animate: false});
        var container = map.getContainer(), tries = 0, gap = 8;
        // Then fit again beside the legend (bottom right, drawn over the map), once it and
        // the frame are laid out: its width kept free on the right or its height at the
        // bottom, whichever leaves the larger zoom, so no feature is hidden under it.
        function besideLegend() {
            var legend = container.querySelector('.tryg-legend');
            var box = container.getBoundingClientRect();
            var key = legend ? legend.getBoundingClientRect() : null;
            var laidOut = key && box.width > 0 && box.height > 0 && key.width > 0
                && key.width < box.width - 40 && key.right <= box.right + 1;
            if (!laidOut) {
                if (tries++ < 60) { window.requestAnimationFrame(besideLegend); }
                return;
            }
            var right = L.point(box.right - key.left + gap, 0);
            var below = L.point(0, box.bottom - key.top + gap);
            map.invalidateSize({animate: false});
            if (box.width <= right.x + 40 || box.height <= below.y + 40) {
                map.fitBounds(bounds, {animate: false});  // too small to spare the room
                return;
            }
            var zoomRight = map.getBoundsZoom(bounds, false, right);
            var zoomBelow = map.getBoundsZoom(bounds, false, below);
            var pad = zoomRight >= zoomBelow ? right : below;
            map.fitBounds(bounds, {paddingBottomRight: pad, animate: false});
        }
        besideLegend();"""
    )


class MetricScale(TextMacroElement):
    """Leaflet's scale bar in metres only (folium's ``control_scale`` adds miles and feet)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class TimingMark(TextMacroElement):
    """``performance.mark(name)`` in the map's own script, where it is placed among the layers.

    The layers (:func:`spec_layers`) set ``tryg-map-start`` when their script starts and
    ``tryg-map-drawn`` right after Leaflet has added them to the map (``detail.features``: how
    many features the data layer holds), and ``tryg-map-painted`` in the next animation frame.
    ``bench.browser_map`` times a filter change to the map drawn with the new data from these
    marks; they cost nothing else.
    """

    _mark = """if (window.performance && performance.mark) {
          performance.mark({{ this.mark_name|tojson }}, {detail: {features: {{ this.features }}}});
          {% if this.paint %}requestAnimationFrame(function () {
            performance.mark("tryg-map-painted");
          });{% endif %}
        }"""
    _template = Template("{% macro script(this, kwargs) %}" + _mark + "{% endmacro %}")

    def __init__(self, mark_name: str, features: int = 0, paint: bool = False) -> None:
        super().__init__()
        self._name = "TimingMark"
        self.mark_name = mark_name
        self.features = int(features)
        self.paint = paint


class DrawnMark(TimingMark):
    """A :class:`TimingMark` set when its group has been added to the map (drawn), not when
    its script runs."""

    _template = hook_template(TimingMark._mark)


class Legend(TextMacroElement):
    """A Leaflet control holding a fixed piece of HTML (built and escaped in Python), shown
    while its layers are on the map."""

    _template = hook_template(
        """var control = L.control({position: {{ this.position|tojson }}});
        control.onAdd = function () {
            var div = L.DomUtil.create('div', 'tryg-legend');
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        this._control = control.addTo(map);""",
        "if (this._control) this._control.remove();",
    )

    def __init__(self, html_text: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position


def entries_html(title: str, entries: Sequence[tuple[str, str]]) -> str:
    """Plain-HTML legend box: ``entries`` are ``(colour, label)`` rows; all text escaped."""
    swatch = (
        '<span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        'vertical-align:middle;border:{border};background:{c}"></span>'
    )
    # "Ingen data" is told apart from the lightest class by a dashed border, as on the map.
    solid, dashed = f"1px solid {palette.SWATCH_LINE}", f"2px dashed {palette.EDGE}"
    body = "".join(
        '<div class="tryg-legend-row">'
        f"{swatch.format(c=html.escape(c), border=dashed if c == palette.NO_DATA else solid)}"
        f"{html.escape(t)}</div>"
        for c, t in entries
    )
    box = (
        f"background:{palette.LEGEND_BOX};padding:6px 10px;border-radius:4px;max-width:220px;"
        f"box-shadow:0 0 4px {palette.LEGEND_SHADOW};font:12px/1.6 sans-serif;"
        f"color:{palette.TEXT}"
    )
    return (
        f'<div style="{box}"><div class="tryg-legend-title" style="font-weight:bold">'
        f"{html.escape(title)}</div>{body}</div>"
    )
