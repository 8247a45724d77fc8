"""Server for the UI tests: Galata's settings plus a private config dir and database.

It runs with the demo brand, so every UI test sees the branded JupyterLab.

The private JUPYTER_CONFIG_DIR lets tests run `jupyter labextension disable|lock` exactly as
an admin would, without touching the developer's own settings.
"""

import os
from pathlib import Path
from tempfile import mkdtemp

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)

here = Path(__file__).parent
c.ServerApp.allow_root = True  # CI machines run as root
c.AtriumService.database_url = f"sqlite:///{mkdtemp(prefix='atrium-ui-')}/atrium.sqlite"
# The demo brand (an invented institution): the branding tests and screenshots show it.
c.AtriumBranding.spec_path = str(here.parent / "demo" / "brand" / "brand.json")
os.environ.setdefault("JUPYTER_CONFIG_DIR", str(here / ".jupyter-config"))
