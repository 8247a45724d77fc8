"""Atrium: an institution's notebook commons for JupyterLab.

This module holds only the hooks Jupyter looks for; the server extension lives in
:mod:`jupyterlab_atrium.app` and the shared service in :mod:`jupyterlab_atrium.service`.
"""

try:
    from ._version import __version__
except ImportError:  # a source tree that was never built by hatch
    __version__ = "0.0.0+unbuilt"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-atrium"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import AtriumApp

    return [{"module": "jupyterlab_atrium", "app": AtriumApp}]
