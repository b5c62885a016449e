"""Accessibility of the map's page: what screen readers and keyboards need inside the frame.

:class:`MapAccess` is added to every map by :func:`tryg_geo.render.maps.spec_map`.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class MapAccess(MacroElement):
    """What the map's page needs for screen readers and keyboards (runs inside the frame).

    - ``lang="da"`` on the frame's document (the server already serves it so; this keeps a
      page opened without ``serve.py`` Danish too);
    - a main landmark around the map with a heading and the text alternative, both for
      screen readers only, and the frame named after the map;
    - zoom buttons with Danish titles (Leaflet's keyboard: arrows pan, + and − zoom);
    - ``keyboard``: each feature is a button in the Tab order, named by its tooltip text, and
      Enter or Space acts as a click (opening a district's profile). Grid cells are not put in
      the Tab order (hundreds of stops); their numbers are in the table below the map.

    All text is passed as JSON and set with ``textContent``: nothing is parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var doc = document;
            var title = {{ this.title|tojson }}, description = {{ this.description|tojson }};
            doc.documentElement.lang = "da";
            L.control.zoom({zoomInTitle: "Zoom ind", zoomOutTitle: "Zoom ud"}).addTo(map);
            var box = map.getContainer();
            var region = box.parentElement || box;
            region.setAttribute("role", "main");
            region.setAttribute("aria-label", title);
            var heading = doc.createElement("h1");
            heading.className = "tryg-sr-only";
            heading.textContent = title;
            var text = doc.createElement("p");
            text.className = "tryg-sr-only";
            text.id = "tryg-map-description";
            text.textContent = description;
            region.insertBefore(text, region.firstChild);
            region.insertBefore(heading, region.firstChild);
            box.setAttribute("aria-label", title + ". Piletaster flytter kortet, + og − zoomer.");
            if (description) box.setAttribute("aria-describedby", "tryg-map-description");
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
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, description: str, *, keyboard: bool = True) -> None:
        super().__init__()
        self._name = "MapAccess"
        self.title = title
        self.description = description
        self.keyboard = keyboard
