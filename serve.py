"""Start the dashboard: ``python serve.py [streamlit options]`` (``make dashboard`` does this).

Streamlit treats a folder named ``pages/`` beside the entry script as an old-style multipage
app until the entry script has called ``st.navigation`` once in the server's life. The first
visitor after a restart who opens a deep link (``/tryg-bydel?…``) would then get a "page not
found" notice and the wrong page list. Our ``pages/`` holds ``st.navigation`` pages only, so we
say so before the server starts.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    entry = str(Path(__file__).resolve().parent / "dashboard.py")
    sys.argv = ["streamlit", "run", entry, *sys.argv[1:]]
    sys.exit(cli.main())
