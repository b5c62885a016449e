"""Folium elements whose rendered parts go into the map's page as finished text.

branca's ``MacroElement.render`` wraps each rendered macro (header, html, script) in a new
``Element``, which compiles it as a Jinja template again: text that is already final, a few
kB for every element of every map on every rerun. :class:`TextMacroElement` renders the same
parts and adds them as :class:`Text`.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, MacroElement


class Text(Element):
    """Finished text in a folium page: rendered as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class TextMacroElement(MacroElement):
    """A ``MacroElement`` whose ``header``, ``html`` and ``script`` macros go into the figure's
    parts of the same names as :class:`Text`, then its children render (as branca does).

    A child that renders exactly as branca's ``MacroElement`` does (no ``render`` of its own:
    the ``ElementAddToElement`` folium adds to every layer in a group, say) renders the same
    way, as text."""

    def render(self, **kwargs: Any) -> None:
        _render_as_text(self, kwargs)


def _render_as_text(element: MacroElement, kwargs: dict[str, Any]) -> None:
    figure = element.get_root()
    module = element._template.module
    for part in ("header", "html", "script"):
        macro = getattr(module, part, None)
        if macro is not None:
            getattr(figure, part).add_child(Text(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        if isinstance(child, MacroElement) and type(child).render is MacroElement.render:
            _render_as_text(child, kwargs)
        else:
            child.render(**kwargs)


# folium's own layers with the same rendering: cooperative ``render`` methods reach
# TextMacroElement.render instead of MacroElement.render (it comes before it in their MRO).
class GeoJson(folium.GeoJson, TextMacroElement):
    """:class:`folium.GeoJson` whose rendered script is added as finished text."""


class GeoJsonTooltip(folium.GeoJsonTooltip, TextMacroElement):
    """:class:`folium.GeoJsonTooltip` whose rendered script is added as finished text."""


class FeatureGroup(folium.FeatureGroup, TextMacroElement):
    """:class:`folium.FeatureGroup` whose rendered script is added as finished text."""
