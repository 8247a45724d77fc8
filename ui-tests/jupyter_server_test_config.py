"""Server for the UI tests: Galata's settings plus a private config dir and database.

It runs with the demo brand, so every UI test sees the branded JupyterLab.

The private JUPYTER_CONFIG_DIR lets tests run `jupyter labextension disable|lock` exactly as
an admin would, without touching the developer's own settings.
"""

import os
from pathlib import Path
from tempfile import mkdtemp

from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)


class CookieIdentityProvider(PasswordIdentityProvider):
    """TEST ONLY, never for a real server: the user is named by the cookie `atrium-test-user`.

    Galata's server has no authentication; the gallery's change-request tests need a second
    user, so a test sets this cookie to act as someone else. Without the cookie the user is
    Galata's usual anonymous one.
    """

    def get_user(self, handler):
        name = handler.get_cookie("atrium-test-user")
        if name:
            return User(username=name, name=name, display_name=name)
        return super().get_user(handler)


c.ServerApp.identity_provider_class = CookieIdentityProvider

here = Path(__file__).parent
c.ServerApp.allow_root = True  # CI machines run as root
c.AtriumService.database_url = f"sqlite:///{mkdtemp(prefix='atrium-ui-')}/atrium.sqlite"
# Drives the tests connect are remembered here, not in the developer's Jupyter data dir.
c.AtriumNetDrive.state_file = f"{mkdtemp(prefix='atrium-ui-netdrives-')}/netdrives.json"
# A paused Samba (netdrive.spec.ts) is found unreachable, and answering again, in seconds.
c.AtriumNetDrive.request_timeout = 5.0
c.AtriumNetDrive.probe_interval = 1.0
# The demo brand (an invented institution): the branding tests and screenshots show it.
c.AtriumBranding.spec_path = str(here.parent / "demo" / "brand" / "brand.json")
# Execution reports are accepted, but sent only by a user who turns them on
# (telemetry.spec.ts does): no other test sees the hook or its notice.
c.AtriumTelemetry.policy = "opt_in"
os.environ.setdefault("JUPYTER_CONFIG_DIR", str(here / ".jupyter-config"))
# grader.spec.ts: the user named "teacher" (cookie above) is an instructor, everyone else a student.
c.AtriumGrader.instructors = {"teacher"}
# gallery-share.spec.ts: a group the owner finds by typing in the share dialog, and its member.
c.AtriumGallery.groups = {"share-spec-readers": {"share-spec-reader"}}
# gallery-reviews.spec.ts: one review kind, reviewed by the group of `review-spec-reviewer`.
c.AtriumGallery.review_kinds = {"technical": ["review-spec-reviewers"]}
c.AtriumGallery.groups.update({"review-spec-reviewers": {"review-spec-reviewer"}})
