"""Streamlit's own English words in Danish: the file uploader and the "Running… Stop" widget.

Streamlit has no locale setting for these, and nothing may be fetched from outside, so a small
style sheet (served with the page, offline) hides the English text and shows Danish in its place.
The file types and the size limit are read from the uploader's own settings, so the Danish line
says what Streamlit enforces.
"""

from __future__ import annotations

import streamlit as st

#: The selectors of Streamlit 1.67's markup (checked in tests/browser/test_wizard_browser.py).
DROPZONE = '[data-testid="stFileUploaderDropzone"]'
INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'
STATUS = '[data-testid="stStatusWidget"]'
# A link to a page (Overblik's initiatives) wraps instead of cutting its name with "…".
PAGE_LINK = '[data-testid="stMain"] [data-testid="stPageLink-NavLink"]'
#: The uploader button's Danish word: shown by the style sheet, and its accessible name.
BUTTON_WORD = "Vælg fil"
#: A style sheet cannot name a button for a screen reader (axe: "button-name"), so a fixed
#: script (no user input in it) gives every uploader button the Danish word as its
#: ``aria-label``, also for uploaders drawn later in the run.
_NAME_BUTTONS = f"""<script>
(() => {{
  const name = () => document
    .querySelectorAll('{DROPZONE} button:not([aria-label])')
    .forEach((b) => b.setAttribute("aria-label", "{BUTTON_WORD}"));
  name();
  if (!window.trygNamesUploadButtons) {{
    window.trygNamesUploadButtons = new MutationObserver(name);
    window.trygNamesUploadButtons.observe(document.body, {{ childList: true, subtree: true }});
  }}
}})();
</script>"""


def danish_chrome(file_types: list[str] | None = None) -> None:
    """Put the Danish words over Streamlit's English ones on this page."""
    limit = st.get_option("server.maxUploadSize")
    types = ", ".join(t.upper() for t in file_types or [])
    line = f"Højst {limit} MB pr. fil" + (f" · {types}" if types else "")
    st.html(f"<style>{_css(line)}</style>{_NAME_BUTTONS}", unsafe_allow_javascript=True)


def _css(line: str) -> str:
    line = line.replace("\\", "").replace('"', "")
    return f"""
{DROPZONE} button > * {{ display: none; }}
{DROPZONE} button::after {{ content: "{BUTTON_WORD}"; }}
{INSTRUCTIONS} > div > * {{ display: none; }}
{INSTRUCTIONS} > div::after {{ content: "{line}"; font-size: 0.875rem; }}
{STATUS} button, {STATUS} label {{ display: none; }}
{STATUS}::after {{ content: "Arbejder …"; font-size: 0.875rem; margin-left: 0.25rem; }}
{PAGE_LINK}, {PAGE_LINK} * {{ white-space: normal; overflow: visible; text-overflow: clip; }}
"""
