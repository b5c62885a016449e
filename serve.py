"""Start the dashboard: ``python serve.py [streamlit options]`` (``make dashboard`` does this).

Streamlit treats a folder named ``pages/`` beside the entry script as an old-style multipage
app until the entry script has called ``st.navigation`` once in the server's life. The first
visitor after a restart who opens a deep link (``/tryg-bydel?…``) would then get a "page not
found" notice and the wrong page list. Our ``pages/`` holds ``st.navigation`` pages only, so we
say so before the server starts.

Before the server listens, sign-in is checked once Streamlit has read its configuration
(``.streamlit/config.toml``, ``STREAMLIT_*`` variables and the options given here): without an
``[auth]`` section only a loopback address is allowed (Lokal tilstand) unless
``TRYG_ALLOW_OPEN=1``; a broken ``[auth]`` (no or a short ``cookie_secret``, missing keys, a
``redirect_uri`` not ending in ``/oauth2callback``) or an unreadable secrets file stops the
start with a Danish sentence and exit code 2. ``dashboard.py`` repeats the check on every run.
"""

import sys
from pathlib import Path
from typing import Any

from streamlit import config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import bootstrap, cli

from tryg_geo import AccessError, access

PagesManager.uses_pages_directory = False
MODE_NOTES = {
    "auth": "Tryg Geo: login er slået til (OpenID Connect); roller fra roles.toml i datamappen.",
    "local": "Tryg Geo: Lokal tilstand – ingen login, kun på denne maskine.",
    "open": "Tryg Geo: ADVARSEL – åben tilstand uden login (TRYG_ALLOW_OPEN=1).",
}
_run = bootstrap.run


def check_access() -> access.Mode:
    """The mode to start in, from the configuration Streamlit has loaded.

    Raises
    ------
    AccessError
        When the dashboard must not start (see :func:`tryg_geo.access.decide_mode`).
    """
    secrets = access.read_secret_files(config.get_option("secrets.files"))
    return access.decide_mode(
        secrets.get("auth"), config.get_option("server.address"), access.allow_open()
    )


def _run_checked(*args: Any, **kwargs: Any) -> None:
    try:
        mode = check_access()
    except AccessError as exc:
        print(exc, file=sys.stderr)
        sys.exit(exc.exit_code)
    print(MODE_NOTES[mode], file=sys.stderr)
    _run(*args, **kwargs)


# Streamlit's CLI reads the configuration, then calls bootstrap.run: check in between.
bootstrap.run = _run_checked

if __name__ == "__main__":
    entry = str(Path(__file__).resolve().parent / "dashboard.py")
    sys.argv = ["streamlit", "run", entry, *sys.argv[1:]]
    sys.exit(cli.main())
