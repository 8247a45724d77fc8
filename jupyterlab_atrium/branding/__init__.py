"""Branding: one admin-owned brand spec for JupyterLab, the login page and JupyterHub.

``config`` holds the setting (``c.AtriumBranding.spec_path``), ``spec`` loads a spec into a
:class:`~jupyterlab_atrium.branding.spec.Brand`, ``assets`` and ``login`` serve it from the
user's Jupyter server, and ``hub`` configures JupyterHub from the same spec.
"""
