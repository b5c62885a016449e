"""Map elements that come and go with their layers: a Leaflet layer that draws nothing itself.

The dashboard keeps one map frame per page and swaps only the group of data layers when a
filter changes (:func:`tryg_geo.render.maps.spec_layers`); whatever belongs to the data — the
legend, the screen-reader texts, the timing marks — is such a layer in that group, so it is
added with the data and removed with it.
"""

from __future__ import annotations

from jinja2 import Template

#: ``on_add`` runs (with ``map``) when the layer's group is put on the map, ``on_remove`` when
#: the group is taken off again.
_HOOK = """
var {{ this.get_name() }} = new (L.Layer.extend({
    onAdd: function (map) {
        %s
    },
    onRemove: function (map) {
        %s
    }
}))();
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
"""


def hook_template(on_add: str, on_remove: str = "") -> Template:
    """A folium element template whose script is a layer running ``on_add`` and ``on_remove``
    (JavaScript as Jinja text; ``this`` is the element, ``map`` the Leaflet map)."""
    body = _HOOK % (on_add, on_remove)
    return Template("{% macro script(this, kwargs) %}" + body + "{% endmacro %}")
