"""Each notebook's health as last computed, kept for the gallery (badges, ranking, filter).

Why a stored copy: search must order and filter up to ``search.WINDOW`` candidates by health
before it pages, and computing health (``HealthStore._compute``) for each of them would cost
a window read per candidate. So ``health_notebook_state`` holds the label, score, reason and
its terms (``explanation``) the one formula gave, and a search reads it in SQL. It is written
where health changes:

* ingest, in the batch's own transaction, after the aggregates: the batch's notebooks are
  locked first (PostgreSQL ``FOR NO KEY UPDATE``, in key order; SQLite holds its one write
  lock), so the last writer computes from every committed batch and no stale score wins;
* a new version of the notebook (its cells changed) and a user's records erased;
* the window's daily move: once a day per process, notebooks with runs on the days that
  just left the window (or a state of another version, or none) are recomputed.

So the stored health equals what ``GET health/notebooks/{id}`` computes, within seconds.

Blocking: called on the service's worker threads.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import SQLAlchemyError

from ..gallery.store import now
from ..models import GalleryNotebook, HealthNotebookState
from . import formula
from .records import day_of

if TYPE_CHECKING:
    from .store import HealthStore, Reader

log = logging.getLogger(__name__)

#: Health of a notebook without runs in the window (what ``formula.compute`` says of none).
UNKNOWN = formula.compute([], [], 0)

_ROWS = select(GalleryNotebook.pk, GalleryNotebook.version)

# Notebooks whose stored health may be out of date (run once a day): runs on days that have
# left the window since it was computed, another version, or runs in the window and no state.
_STALE = text(
    "SELECT s.notebook_pk FROM health_notebook_state s "
    "JOIN gallery_notebooks n ON n.pk = s.notebook_pk "
    "WHERE s.version <> n.version OR (s.day < :today AND EXISTS ("
    "SELECT 1 FROM health_notebook_days d WHERE d.notebook_pk = s.notebook_pk "
    "AND d.day >= s.day - :span AND d.day < :first)) "
    "UNION SELECT d.notebook_pk FROM health_notebook_days d WHERE d.day >= :first "
    "AND NOT EXISTS (SELECT 1 FROM health_notebook_state s WHERE s.notebook_pk = d.notebook_pk)"
)


def badge(
    label: str, score: float | None, reason: str, explanation: dict[str, Any] | None
) -> dict[str, Any]:
    """The health a gallery summary carries."""
    out: dict[str, Any] = {"label": label, "score": score, "reason": reason}
    if explanation is not None:
        out["explanation"] = explanation
    return out


def badge_of(result: formula.Health) -> dict[str, Any]:
    return badge(result.label, result.score, result.reason, result.explanation)


def _explanation(stored: str | None) -> dict[str, Any] | None:
    """A state written before explanations were kept (migration 0006) has none: the
    browser shows its English reason as it is."""
    try:
        value = json.loads(stored) if stored else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class StoredHealth:
    def __init__(self, store: HealthStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._checked_day: int | None = None

    def lock(self, session: Reader, pks: Iterable[int]) -> None:
        """Hold the notebooks' rows until the transaction ends (PostgreSQL; SQLite
        serializes writers anyway). ``NO KEY UPDATE`` does not wait for the key-share locks
        that inserting records (foreign keys) takes."""
        keys = sorted(set(pks))
        if keys and self.store.database.backend == "postgresql":
            session.execute(
                select(GalleryNotebook.pk)
                .where(GalleryNotebook.pk.in_(keys))
                .order_by(GalleryNotebook.pk)
                .with_for_update(key_share=True)
            ).all()

    def write(self, session: Reader, pks: Iterable[int], moment: datetime) -> None:
        """Compute and store the health of ``pks``, in the caller's transaction, which must
        hold the notebooks (``lock``) or SQLite's write lock."""
        keys = sorted(set(pks))
        if not keys:
            return
        self.lock(session, keys)
        rows = session.execute(_ROWS.where(GalleryNotebook.pk.in_(keys))).all()
        values = []
        for row in rows:
            result, _current, _counts = self.store._compute(session, row, moment)
            values.append(
                {
                    "notebook_pk": row.pk,
                    "version": row.version,
                    "day": day_of(moment),
                    "label": result.label,
                    "score": result.score,
                    "reason": result.reason,
                    "explanation": json.dumps(result.explanation),
                }
            )
        if not values:
            return
        table = HealthNotebookState.__table__

        def build(insert: Any) -> Any:
            stmt = insert(table)
            return stmt.on_conflict_do_update(
                index_elements=["notebook_pk"],
                set_={
                    name: stmt.excluded[name]
                    for name in ("version", "day", "label", "score", "reason", "explanation")
                },
            )

        session.execute(self.store.upsert("state", build), values)

    def refresh_after(self, pks: Iterable[int], what: str) -> None:
        """``refresh`` after a change that is already committed: a failure here must not
        turn that change's reply into an error. Until the next batch or the daily check,
        summaries compute the health of a notebook whose stored one is of an older version
        (``read``); search may rank it by the old one meanwhile."""
        try:
            self.refresh(pks)
        except SQLAlchemyError as exc:
            log.warning("Atrium: the stored health after %s is not updated: %s", what, exc)

    def refresh(self, pks: Iterable[int]) -> None:
        """Recompute in a transaction of its own (after a new version was committed)."""
        keys = sorted(set(pks))
        if not keys:
            return
        # The key may still have to be made, in a transaction of its own: before the lock.
        self.store._hmac()
        with self.store.database.sessions() as session:
            if self.store.database.backend != "postgresql":
                # Take SQLite's write lock before reading, so no batch commits in between.
                session.execute(
                    update(HealthNotebookState)
                    .where(HealthNotebookState.notebook_pk.in_(keys))
                    .values(day=HealthNotebookState.day)
                    .execution_options(synchronize_session=False)
                )
            self.write(session, keys, now())
            session.commit()

    def keep_current(self) -> None:
        """Once a day (per process): recompute the notebooks the window's move changed."""
        moment = now()
        today = day_of(moment)
        with self._lock:
            if self._checked_day == today:
                return
            with self.store.database.engine.connect() as conn:
                stale = conn.execute(
                    _STALE,
                    {
                        "today": today,
                        "first": today - formula.WINDOW_DAYS + 1,
                        "span": formula.WINDOW_DAYS - 1,
                    },
                ).scalars()
                keys = sorted(set(stale))
            try:
                self.refresh(keys)
            except SQLAlchemyError as exc:
                # A search is still answered, with yesterday's health; the next one retries.
                log.warning("Atrium: the daily health update failed: %s", exc)
                return
            self._checked_day = today

    def read(self, session: Reader, rows: Iterable[Any]) -> dict[int, dict[str, Any]]:
        """Each row's (``pk``, ``version``) health in one query; a stored health of another
        version (its refresh did not happen) is computed here instead."""
        rows = list(rows)
        if not rows:
            return {}
        stored = {
            state.notebook_pk: state
            for state in session.execute(
                select(
                    HealthNotebookState.notebook_pk,
                    HealthNotebookState.version,
                    HealthNotebookState.label,
                    HealthNotebookState.score,
                    HealthNotebookState.reason,
                    HealthNotebookState.explanation,
                ).where(HealthNotebookState.notebook_pk.in_([row.pk for row in rows]))
            )
        }
        out = {}
        for row in rows:
            state = stored.get(row.pk)
            if state is None:
                out[row.pk] = badge_of(UNKNOWN)
            elif state.version == row.version:
                out[row.pk] = badge(
                    state.label, state.score, state.reason, _explanation(state.explanation)
                )
            else:
                result, _current, _counts = self.store._compute(session, row, now())
                out[row.pk] = badge_of(result)
        return out
