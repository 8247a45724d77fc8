"""The Atrium service: shared state (gallery, health, grading) on SQLAlchemy.

It runs embedded in each user's jupyter_server (SQLite, the default) or as one JupyterHub
service for everyone (``python -m jupyterlab_atrium.service``, PostgreSQL).
"""
