"""Accessibility of the map's page: what screen readers and keyboards need inside the frame.

:class:`MapFrameAccess` is added to every map frame by :func:`tryg_geo.render.maps.frame_map`
and :class:`MapAccess` to every group of data layers by
:func:`tryg_geo.render.maps.spec_layers`: the frame stays while a filter change replaces the
layers, so what names or describes the data is set again with each group.
"""

from __future__ import annotations

from jinja2 import Template

from .map_hook import hook_template
from .map_text import TextMacroElement


class MapFrameAccess(TextMacroElement):
    """What the frame of a map needs once (runs inside the frame, with the map's script).

    - ``lang="da"`` on the frame's document (the server already serves it so; this keeps a
      page opened without ``serve.py`` Danish too);
    - a main landmark around the map (named by :class:`MapAccess`);
    - zoom buttons with Danish titles (Leaflet's keyboard: arrows pan, + and − zoom).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var doc = document;
            doc.documentElement.lang = "da";
            L.control.zoom({zoomInTitle: "Zoom ind", zoomOutTitle: "Zoom ud"}).addTo(map);
            var box = map.getContainer();
            var region = box.parentElement || box;
            region.setAttribute("role", "main");
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapFrameAccess"


class MapAccess(TextMacroElement):
    """What screen readers and keyboards need for the data on the map; set each time its group
    of layers is added (after the data layer, so its features are there).

    - the main landmark named after the map, with a heading and the text alternative, both
      for screen readers only (made once per frame, their text replaced), and the frame named
      after the map;
    - ``keyboard``: each feature is a button in the Tab order, named by its tooltip text, and
      Enter or Space acts as a click (opening a district's profile). Grid cells are not put in
      the Tab order (hundreds of stops); their numbers are in the table below the map.

    All text is passed as JSON and set with ``textContent``: nothing is parsed as HTML.
    """

    _template = hook_template(
        """var doc = document;
        var title = {{ this.title|tojson }}, description = {{ this.description|tojson }};
        var box = map.getContainer();
        var region = box.parentElement || box;
        region.setAttribute("aria-label", title);
        var made = function (tag, id) {
            var el = doc.getElementById(id);
            if (el) return el;
            el = doc.createElement(tag);
            el.className = "tryg-sr-only";
            el.id = id;
            return el;
        };
        var heading = made("h1", "tryg-map-title");
        heading.textContent = title;
        var text = made("p", "tryg-map-description");
        text.textContent = description;
        region.insertBefore(text, region.firstChild);
        region.insertBefore(heading, region.firstChild);
        box.setAttribute("aria-label", title + ". Piletaster flytter kortet, + og − zoomer.");
        if (description) box.setAttribute("aria-describedby", "tryg-map-description");
        else box.removeAttribute("aria-describedby");
        try {
            if (window.frameElement) window.frameElement.setAttribute("aria-label", title);
        } catch (e) {}
        var plain = function (escaped) {
            var area = doc.createElement("textarea");
            area.innerHTML = escaped;  // RCDATA: entities decoded, no element is made
            return area.value;
        };
        map.eachLayer(function (layer) {
            if (!layer.feature || !layer.getElement || !layer.getElement()) return;
            var el = layer.getElement(), p = layer.feature.properties || {};
            if (!{{ this.keyboard|tojson }}) {
                el.setAttribute("tabindex", "-1");
                return;
            }
            el.setAttribute("tabindex", "0");
            el.setAttribute("role", "button");
            el.setAttribute("aria-label", plain(String(p.name || "")) + ": " +
                            plain(String(p.label || "")));
            el.addEventListener("keydown", function (event) {
                if (event.key !== "Enter" && event.key !== " ") return;
                event.preventDefault();
                var at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
                layer.fire("click", {latlng: at, layer: layer}, true);
            });
        });"""
    )

    def __init__(self, title: str, description: str, *, keyboard: bool = True) -> None:
        super().__init__()
        self._name = "MapAccess"
        self.title = title
        self.description = description
        self.keyboard = keyboard
