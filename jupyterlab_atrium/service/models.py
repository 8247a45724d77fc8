"""Tables of the service. Every change here comes with an Alembic revision in migrations/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Installation(Base):
    """One row naming this database, so replicas and admins can tell deployments apart."""

    __tablename__ = "atrium_installation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
