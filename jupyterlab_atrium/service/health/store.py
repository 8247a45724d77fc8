"""Health's storage, separate from tornado: every method blocks (run through ``Service.run``).

Ingest stores each new record once (``event_id`` is unique: a batch sent again adds nothing)
and, in the same transaction, adds it to the day aggregates with upserts
(``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``): concurrent replicas never read a
count and write it back, so no increment is lost. Reads touch only the aggregates of the
window, so their cost does not grow with history.

User names and cell fingerprints are stored only as keyed hashes (HMAC-SHA256): without the
service's key, a stored fingerprint cannot be matched against a dictionary of cell sources.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, bindparam, cast, delete, func, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import fields
from ..gallery import access
from ..gallery.store import GalleryUser, forbidden, iso, not_found, now
from ..models import (
    AtriumSecret,
    GalleryNotebook,
    GalleryVersion,
    HealthCellDay,
    HealthDepthDay,
    HealthExecution,
    HealthNotebookDay,
    HealthNotebookUser,
    HealthSession,
)
from . import formula
from .records import EXPECTED, FAILED, PASSED, Record, day_of, invalid, parse_batch
from .state import StoredHealth

if TYPE_CHECKING:
    from ..db import Database
    from .config import AtriumHealth

#: Reads run on a plain connection, ingest in an ORM session; both execute statements.
Reader = Session | Connection
SECRET_NAME = "health"  # noqa: S105 - the row's name, not a secret
COUNTS = ("passes", "failures", "expected", "duration_ms")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_COUNT_OF = {PASSED: "passes", FAILED: "failures", EXPECTED: "expected"}
#: Raw records are deleted this long after their window closed, at most this often.
PRUNE_EVERY = 600.0
_ID_CHARS = frozenset("0123456789abcdef")

# Reads: built once, so each call only binds values (they are on the health badge's path).
_PK, _FIRST = bindparam("pk"), bindparam("first")
_NOTEBOOK = select(
    GalleryNotebook.pk,
    GalleryNotebook.id,
    GalleryNotebook.title,
    GalleryNotebook.owner,
    GalleryNotebook.visibility,
    GalleryNotebook.version,
    GalleryNotebook.updated_at,
)
_BY_ID = _NOTEBOOK.where(GalleryNotebook.id == bindparam("id"))
# The three aggregates one health needs, in one round trip: cell sums ("c", cell id,
# fingerprint, counts), depth counts ("d", version, position reached, sessions) and distinct
# users ("u").
_WINDOW = union_all(
    select(
        literal("c").label("kind"),
        HealthCellDay.cell_id.label("a"),
        HealthCellDay.fingerprint.label("b"),
        *(func.sum(getattr(HealthCellDay, name)).label(name) for name in COUNTS),
    )
    .where(HealthCellDay.notebook_pk == _PK, HealthCellDay.day >= _FIRST)
    .group_by(HealthCellDay.cell_id, HealthCellDay.fingerprint),
    select(
        literal("d"),
        cast(HealthDepthDay.version, String),
        cast(HealthDepthDay.reached, String),
        func.sum(HealthDepthDay.sessions),
        literal(0),
        literal(0),
        literal(0),
    )
    .where(HealthDepthDay.notebook_pk == _PK, HealthDepthDay.day >= _FIRST)
    .group_by(HealthDepthDay.version, HealthDepthDay.reached),
    select(
        literal("u"),
        literal(""),
        literal(""),
        func.count(),
        literal(0),
        literal(0),
        literal(0),
    ).where(HealthNotebookUser.notebook_pk == _PK, HealthNotebookUser.last_day >= _FIRST),
)
_DAYS = select(HealthNotebookDay.day, *(getattr(HealthNotebookDay, n) for n in COUNTS)).where(
    HealthNotebookDay.notebook_pk == _PK, HealthNotebookDay.day >= _FIRST
)
_CONTENT = select(GalleryVersion.content).where(
    GalleryVersion.notebook_pk == _PK, GalleryVersion.version == bindparam("version")
)


@dataclass(frozen=True)
class Cell:
    cell_id: str
    fingerprint: str  # keyed
    optional: bool
    raises: bool
    #: Position among the version's cells not tagged optional (None for optional cells).
    position: int | None


@dataclass(frozen=True)
class VersionCells:
    """The code cells of one stored version, in order (versions never change)."""

    cells: tuple[Cell, ...]
    by_id: dict[str, Cell]
    required: int

    def required_cell(self, position: int) -> Cell | None:
        for cell in self.cells:
            if cell.position == position:
                return cell
        return None


def source_sha256(source: Any) -> str:
    """The fingerprint the browser sends: SHA-256 of the cell source as UTF-8, lower-case hex."""
    text = "".join(source) if isinstance(source, list) else str(source or "")
    # A lone surrogate (possible in JSON text, not in UTF-8) counts as U+FFFD, as the
    # browser's encoder writes it.
    return hashlib.sha256(_LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")).hexdigest()


def _tags(cell: dict[str, Any]) -> set[str]:
    tags = (cell.get("metadata") or {}).get("tags") or []
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, list) else set()


def _day_date(day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


class HealthStore:
    def __init__(self, database: Database, config: AtriumHealth) -> None:
        self.database = database
        self.config = config
        self._keyed: Any = None
        self._lock = threading.Lock()
        self._versions: OrderedDict[tuple[int, int], VersionCells] = OrderedDict()
        self._last_prune = 0.0
        #: Upsert statements, built once: building one (its ``excluded`` columns) cost
        #: more than running it for a batch of 50 (a profile of ingest: 13 % of the time).
        self._upserts: dict[Any, Any] = {}
        #: Each notebook's health as last computed, for gallery search (state.py).
        self.stored = StoredHealth(self)

    # keys

    def _hmac(self) -> Any:
        """The keyed HMAC, ready to copy (setting up the key costs more than hashing)."""
        if self._keyed is not None:
            return self._keyed
        configured = self.config.secret
        if configured:
            key = configured.encode("utf-8")
        else:
            # Generated once per database; the first replica to insert wins, all read it.
            with self.database.sessions() as session:
                table = AtriumSecret.__table__
                session.execute(
                    self._insert(table)
                    .values(name=SECRET_NAME, value=secrets.token_hex(32))
                    .on_conflict_do_nothing()
                )
                session.commit()
                value = session.scalar(
                    select(AtriumSecret.value).where(AtriumSecret.name == SECRET_NAME)
                )
            assert value is not None
            key = value.encode("ascii")
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)
        return self._keyed

    def keyed(self, kind: str, value: str) -> str:
        """HMAC-SHA256 of ``value`` under the service key; ``kind`` separates uses."""
        mac = self._hmac().copy()
        mac.update(f"{kind}\0{value}".encode("utf-8", "surrogatepass"))
        return mac.hexdigest()

    def user_hash(self, name: str) -> str:
        return self.keyed("user", name)

    # dialect helpers

    def _insert(self, table: Any) -> Any:
        if self.database.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def upsert(self, key: Any, build: Any) -> Any:
        """The statement ``build(insert)`` made once for ``key`` (statements are immutable,
        so threads share them; a race builds it twice, harmlessly)."""
        stmt = self._upserts.get(key)
        if stmt is None:
            stmt = self._upserts[key] = build(self._insert)
        return stmt

    def _greatest(self, a: Any, b: Any) -> Any:
        return func.greatest(a, b) if self.database.backend == "postgresql" else func.max(a, b)

    # versions

    def _version_cells(self, session: Reader, notebook_pk: int, version: int) -> VersionCells:
        key = (notebook_pk, version)
        with self._lock:
            found = self._versions.get(key)
            if found is not None:
                self._versions.move_to_end(key)
                return found
        content = session.scalar(_CONTENT, {"pk": notebook_pk, "version": version})
        cells: list[Cell] = []
        position = 0
        for raw in json.loads(content or "{}").get("cells", []):
            if not isinstance(raw, dict) or raw.get("cell_type") != "code":
                continue
            cell_id = raw.get("id")
            if not isinstance(cell_id, str):
                continue
            tags = _tags(raw)
            optional = "optional" in tags
            cells.append(
                Cell(
                    cell_id,
                    self.keyed("cell", source_sha256(raw.get("source", ""))),
                    optional,
                    "raises-exception" in tags,
                    None if optional else position,
                )
            )
            position += 0 if optional else 1
        result = VersionCells(tuple(cells), {cell.cell_id: cell for cell in cells}, position)
        with self._lock:
            self._versions[key] = result
            while len(self._versions) > 512:
                self._versions.popitem(last=False)
        return result

    # ingest

    def ingest(self, user: GalleryUser, body: dict[str, Any]) -> dict[str, int]:
        moment = now()
        records = parse_batch(body, self.config.max_batch_records, moment)
        user_hash = self.user_hash(user.name)
        unique: dict[str, Record] = {}
        for record in records:
            unique.setdefault(record.event_id, record)
        # One order for every writer: concurrent batches take row locks in the same order.
        ordered = [unique[key] for key in sorted(unique)]
        with self.database.sessions() as session:
            notebooks = self._notebooks_for(session, user, records)
            # Before any count moves: the stored health written below sees every batch
            # committed before this one (state.py).
            self.stored.lock(session, notebooks.values())
            rows = []
            versions: dict[tuple[int, int], VersionCells] = {}
            for record in ordered:
                pk = notebooks[record.notebook_id]
                cells = versions.get((pk, record.version))
                if cells is None:
                    cells = versions[(pk, record.version)] = self._version_cells(
                        session, pk, record.version
                    )
                rows.append((record, pk, cells))
            keyed = {sha: self.keyed("cell", sha) for sha in {r.source_sha256 for r in ordered}}
            try:
                inserted = (
                    self._insert_raw(session, rows, keyed, user_hash, moment) if rows else set()
                )
                fresh = [row for row in rows if row[0].event_id in inserted]
                self._aggregate(session, fresh, keyed, user_hash)
                self.stored.write(session, {pk for _record, pk, _cells in fresh}, moment)
                session.commit()
            except IntegrityError:
                # Only a notebook deleted since it was looked up breaks a key here.
                session.rollback()
                raise invalid(
                    "A notebook of this batch was deleted meanwhile. Nothing of this batch "
                    "was stored.",
                    status=422,
                    reason="unknown-notebook",
                ) from None
        if time.monotonic() - self._last_prune > PRUNE_EVERY:
            self.prune()
        return {"accepted": len(inserted), "duplicates": len(records) - len(inserted)}

    def _notebooks_for(
        self, session: Session, user: GalleryUser, records: list[Record]
    ) -> dict[str, int]:
        """Each named notebook's key; the whole batch is refused if one record names a
        notebook the user cannot see, or a version it does not have."""
        ids = {record.notebook_id for record in records}
        found = {
            row.id: row
            for row in session.execute(
                select(
                    GalleryNotebook.pk,
                    GalleryNotebook.id,
                    GalleryNotebook.version,
                    GalleryNotebook.owner,
                    GalleryNotebook.visibility,
                ).where(GalleryNotebook.id.in_(ids))
            )
        }
        readable = access.allowed(session, user, "read", [row.pk for row in found.values()])
        for index, record in enumerate(records):
            row = found.get(record.notebook_id)
            if row is None or row.pk not in readable:
                raise invalid(
                    f"Record {index}: the gallery has no notebook {record.notebook_id} that you "
                    "can see. Nothing of this batch was stored.",
                    status=422,
                    reason="unknown-notebook",
                )
            if record.version > row.version:
                raise invalid(
                    f"Record {index}: notebook {record.notebook_id} has no version "
                    f"{record.version} (its latest is {row.version}). Nothing of this batch "
                    "was stored.",
                    status=422,
                    reason="unknown-version",
                )
        return {notebook_id: row.pk for notebook_id, row in found.items()}

    def _insert_raw(
        self,
        session: Session,
        rows: list[tuple[Record, int, VersionCells]],
        keyed: dict[str, str],
        user_hash: str,
        moment: datetime,
    ) -> set[str]:
        table = HealthExecution.__table__
        values = [
            {
                "event_id": record.event_id,
                "notebook_pk": pk,
                "version": record.version,
                "cell_id": record.cell_id,
                "fingerprint": keyed[record.source_sha256],
                "user_hash": user_hash,
                "outcome": self._outcome(record, cells),
                "duration_ms": record.duration_ms,
                "client_at": record.client_at,
                "received_at": moment,
            }
            for record, pk, cells in rows
        ]
        stmt = (
            self._insert(table)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(table.c.event_id)
        )
        return set(session.scalars(stmt, values))

    @staticmethod
    def _outcome(record: Record, cells: VersionCells) -> int:
        cell = cells.by_id.get(record.cell_id)
        # The stored notebook says the cell raises on purpose: its failure is expected.
        if record.outcome == FAILED and cell is not None and cell.raises:
            return EXPECTED
        return record.outcome

    def _aggregate(
        self,
        session: Session,
        rows: list[tuple[Record, int, VersionCells]],
        keyed: dict[str, str],
        user_hash: str,
    ) -> None:
        cell_days: dict[tuple[int, str, str, int], dict[str, int]] = {}
        notebook_days: dict[tuple[int, int], dict[str, int]] = {}
        sessions: dict[tuple[int, int, int], int] = {}
        for record, pk, cells in rows:
            outcome = self._outcome(record, cells)
            fingerprint = keyed[record.source_sha256]
            for counts in (
                cell_days.setdefault(
                    (pk, record.cell_id, fingerprint, record.day), dict.fromkeys(COUNTS, 0)
                ),
                notebook_days.setdefault((pk, record.day), dict.fromkeys(COUNTS, 0)),
            ):
                counts[_COUNT_OF[outcome]] += 1
                counts["duration_ms"] += record.duration_ms
            reached = -1
            cell = cells.by_id.get(record.cell_id)
            if (
                outcome != FAILED
                and cell is not None
                and cell.position is not None
                and cell.fingerprint == fingerprint
            ):
                reached = cell.position
            key = (pk, record.day, record.version)
            sessions[key] = max(sessions.get(key, -1), reached)
        if cell_days:
            self._add(
                session,
                HealthCellDay.__table__,
                ("notebook_pk", "cell_id", "fingerprint", "day"),
                cell_days,
            )
            self._add(session, HealthNotebookDay.__table__, ("notebook_pk", "day"), notebook_days)
        if sessions:
            self._sessions(session, sessions, user_hash)

    def _sessions(
        self, session: Session, reached: dict[tuple[int, int, int], int], user_hash: str
    ) -> None:
        """Raise each session's deepest position and move it in the depth counts.

        A session row is this user's alone; it is created with ``ON CONFLICT DO NOTHING`` and
        otherwise read under its row lock (``FOR UPDATE``; SQLite holds the database's write
        lock from the raw insert on), so of two transactions raising the same session each
        sees what the other wrote, and the counts move once per change.
        """
        table = HealthSession.__table__
        moves: dict[tuple[int, int, int, int], dict[str, int]] = {}
        last_day: dict[int, int] = {}
        for (pk, day, version), new in sorted(reached.items()):
            key = {"notebook_pk": pk, "day": day, "version": version, "user_hash": user_hash}
            created = session.execute(
                self._insert(table)
                .values(**key, reached=new)
                .on_conflict_do_nothing()
                .returning(table.c.reached)
            ).first()
            old: int | None = None
            if created is None:
                old = session.scalar(
                    select(table.c.reached)
                    .where(*(table.c[name] == value for name, value in key.items()))
                    .with_for_update()
                )
                if old is None or new <= old:
                    continue
                session.execute(
                    table.update()
                    .where(*(table.c[name] == value for name, value in key.items()))
                    .values(reached=new)
                )
                moves.setdefault((pk, day, version, old), {"sessions": 0})["sessions"] -= 1
            moves.setdefault((pk, day, version, new), {"sessions": 0})["sessions"] += 1
            last_day[pk] = max(last_day.get(pk, day), day)
        if moves:
            self._add(
                session,
                HealthDepthDay.__table__,
                ("notebook_pk", "day", "version", "reached"),
                moves,
                ("sessions",),
            )
        if last_day:
            users = HealthNotebookUser.__table__

            def build(insert: Any) -> Any:
                stmt = insert(users)
                return stmt.on_conflict_do_update(
                    index_elements=["notebook_pk", "user_hash"],
                    set_={"last_day": self._greatest(users.c.last_day, stmt.excluded.last_day)},
                )

            session.execute(
                self.upsert("last_day", build),
                [
                    {"notebook_pk": pk, "user_hash": user_hash, "last_day": day}
                    for pk, day in sorted(last_day.items())
                ],
            )

    def _add(
        self,
        session: Session,
        table: Any,
        keys: tuple[str, ...],
        deltas: dict[tuple[Any, ...], dict[str, int]],
        counts: tuple[str, ...] = COUNTS,
    ) -> None:
        """Add ``deltas`` to counters: ``n = n + excluded.n``, never read and written back."""

        def build(insert: Any) -> Any:
            stmt = insert(table)
            return stmt.on_conflict_do_update(
                index_elements=list(keys),
                set_={name: table.c[name] + stmt.excluded[name] for name in counts},
            )

        session.execute(
            self.upsert(("add", table.name, keys, counts), build),
            [
                {**dict(zip(keys, key, strict=True)), **counts}
                for key, counts in sorted(deltas.items())
            ],
        )

    # retention

    def prune(self, moment: datetime | None = None) -> dict[str, int]:
        """Delete raw records and sessions that left the window (the day counts stay)."""
        moment = moment or now()
        self._last_prune = time.monotonic()
        cutoff = moment - timedelta(days=formula.WINDOW_DAYS)
        with self.database.sessions() as session:
            executions = session.execute(
                delete(HealthExecution).where(HealthExecution.client_at < cutoff)
            ).rowcount
            sessions = session.execute(
                delete(HealthSession).where(HealthSession.day < day_of(cutoff))
            ).rowcount
            session.execute(
                delete(HealthNotebookUser).where(HealthNotebookUser.last_day < day_of(cutoff))
            )
            session.commit()
        return {"executions": executions, "sessions": sessions}

    def erase_user(self, user: GalleryUser, body: dict[str, Any]) -> dict[str, int]:
        """Admin: delete every record and session of one user (a deletion request)."""
        if not user.admin:
            raise forbidden("Only a gallery admin may erase a user's health records.")
        extra = sorted(set(body) - {"user"})
        if extra:
            raise invalid(f'Unexpected key {extra[0][:40]!r}: the body is {{"user": name}}.')
        name = fields.text(body.get("user"), "user", max_len=255, required=True, strip=False)
        assert name is not None
        user_hash = self.user_hash(name)
        with self.database.sessions() as session:
            # Their notebooks count one user fewer: their stored health changes.
            ran = set(
                session.scalars(
                    select(HealthNotebookUser.notebook_pk).where(
                        HealthNotebookUser.user_hash == user_hash
                    )
                )
            )
            self.stored.lock(session, ran)
            executions = session.execute(
                delete(HealthExecution).where(HealthExecution.user_hash == user_hash)
            ).rowcount
            sessions = session.execute(
                delete(HealthSession).where(HealthSession.user_hash == user_hash)
            ).rowcount
            session.execute(
                delete(HealthNotebookUser).where(HealthNotebookUser.user_hash == user_hash)
            )
            self.stored.write(session, ran, now())
            session.commit()
        return {"executions": executions, "sessions": sessions}

    # reads

    def mine(self, user: GalleryUser, limit: int) -> dict[str, Any]:
        """The caller's own newest records as the service holds them (Help > What Atrium
        Reports shows them, from any browser). The keyed fingerprint stays in the store:
        it means nothing to the user and is the one field worth hiding from a shoulder."""
        user_hash = self.user_hash(user.name)
        outcome = {PASSED: True, FAILED: False, EXPECTED: "expected"}
        with self.database.engine.connect() as session:
            rows = session.execute(
                select(
                    GalleryNotebook.id,
                    HealthExecution.version,
                    HealthExecution.cell_id,
                    HealthExecution.outcome,
                    HealthExecution.duration_ms,
                    HealthExecution.client_at,
                    HealthExecution.received_at,
                    HealthExecution.event_id,
                )
                .join(GalleryNotebook, GalleryNotebook.pk == HealthExecution.notebook_pk)
                .where(HealthExecution.user_hash == user_hash)
                .order_by(HealthExecution.client_at.desc(), HealthExecution.pk.desc())
                .limit(limit)
            ).all()
            total = session.scalar(
                select(func.count())
                .select_from(HealthExecution)
                .where(HealthExecution.user_hash == user_hash)
            )
        return {
            "total": int(total or 0),
            "windowDays": formula.WINDOW_DAYS,
            "items": [
                {
                    "notebookId": row.id,
                    "version": row.version,
                    "cellId": row.cell_id,
                    "success": outcome.get(row.outcome, False),
                    "durationMs": row.duration_ms,
                    "timestamp": iso(row.client_at),
                    "receivedAt": iso(row.received_at),
                    "eventId": row.event_id,
                }
                for row in rows
            ],
        }

    def _load(self, session: Reader, user: GalleryUser, notebook_id: str) -> Any:
        if (
            not isinstance(notebook_id, str)
            or len(notebook_id) != 32
            or set(notebook_id) - _ID_CHARS
        ):
            raise not_found()
        row = session.execute(_BY_ID, {"id": notebook_id}).first()
        if row is None or not access.allowed(session, user, "read", [row.pk]):
            raise not_found()
        return row

    @staticmethod
    def _first_day(moment: datetime) -> int:
        return day_of(moment) - formula.WINDOW_DAYS + 1

    def _compute(
        self, session: Reader, row: Any, moment: datetime
    ) -> tuple[Any, VersionCells, dict]:
        current = self._version_cells(session, row.pk, row.version)
        window = {"pk": row.pk, "first": self._first_day(moment)}
        sums: dict[tuple[str, str], tuple[int, ...]] = {}
        found_depths: list[tuple[int, int, int]] = []
        users = 0
        for kind, a, b, n, *more in session.execute(_WINDOW, window):
            if kind == "c":
                sums[(a, b)] = (n, *more)
            elif kind == "d":
                found_depths.append((int(a), int(b), int(n or 0)))
            else:
                users = int(n or 0)
        cells = []
        for cell in current.cells:
            passes, failures, expected, duration = (
                int(n or 0) for n in sums.get((cell.cell_id, cell.fingerprint), (0, 0, 0, 0))
            )
            if cell.raises:  # tagged since: its failures were meant
                expected, failures = expected + failures, 0
            cells.append(
                formula.CellCounts(
                    cell.cell_id, passes, failures, expected, duration, cell.optional
                )
            )
        depths: list[tuple[float, int]] = []
        for version, reached, count in found_depths:
            if count:
                depths.append((self._carried_depth(session, row, current, version, reached), count))
        return (
            formula.compute(cells, depths, users),
            current,
            {c.cell_id: c for c in cells},
        )

    def _carried_depth(
        self, session: Reader, row: Any, current: VersionCells, version: int, reached: int
    ) -> float:
        """A session of an earlier version counts up to where its deepest cell now stands,
        if that cell is unchanged; else as deep as it got in its own version."""
        if version == row.version:
            return formula.session_depth(reached, current.required)
        older = self._version_cells(session, row.pk, version)
        deepest = older.required_cell(reached) if reached >= 0 else None
        now_cell = current.by_id.get(deepest.cell_id) if deepest is not None else None
        if (
            deepest is not None
            and now_cell is not None
            and now_cell.fingerprint == deepest.fingerprint
            and now_cell.position is not None
        ):
            return formula.session_depth(now_cell.position, current.required)
        return formula.session_depth(reached, older.required)

    def health(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        moment = now()
        with self.database.engine.connect() as session:
            row = self._load(session, user, notebook_id)
            result, _current, counts = self._compute(session, row, moment)
        return self._health_json(row, result, counts)

    @staticmethod
    def _health_json(row: Any, result: formula.Health, counts: dict[str, Any]) -> dict[str, Any]:
        labels = [cell.label for cell in result.cells]
        return {
            "notebookId": row.id,
            "version": row.version,
            "score": result.score,
            "label": result.label,
            "reason": result.reason,
            "explanation": result.explanation,
            "usageFactor": result.usage_factor,
            "passRate": result.pass_rate,
            "depth": result.depth,
            "windowDays": formula.WINDOW_DAYS,
            "counts": {
                "users": result.users,
                "sessions": result.sessions,
                "executions": result.executions,
                "passes": sum(c.passes for c in counts.values()),
                "failures": sum(c.failures for c in counts.values()),
                "expected": sum(c.expected for c in counts.values()),
                "cells": len(labels),
                "healthyCells": labels.count("healthy"),
                "unhealthyCells": labels.count("unhealthy"),
                "unknownCells": labels.count("unknown"),
            },
        }

    def cells(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        moment = now()
        with self.database.engine.connect() as session:
            row = self._load(session, user, notebook_id)
            result, current, counts = self._compute(session, row, moment)
        items = []
        for index, (cell, verdict) in enumerate(zip(current.cells, result.cells, strict=True)):
            c = counts[cell.cell_id]
            runs = c.passes + c.failures + c.expected
            items.append(
                {
                    "cellId": cell.cell_id,
                    "index": index,
                    "optional": cell.optional,
                    "raisesException": cell.raises,
                    "label": verdict.label,
                    "score": verdict.score,
                    "passRate": verdict.pass_rate,
                    "passes": c.passes,
                    "failures": c.failures,
                    "expected": c.expected,
                    "meanDurationMs": round(c.duration_ms / runs) if runs else None,
                }
            )
        return {"notebookId": row.id, "version": row.version, "items": items}

    def daily(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        moment = now()
        first = self._first_day(moment)
        with self.database.engine.connect() as session:
            row = self._load(session, user, notebook_id)
            found = {
                day: counts
                for day, *counts in session.execute(_DAYS, {"pk": row.pk, "first": first})
            }
        days = []
        for day in range(first, day_of(moment) + 1):
            passes, failures, expected, _duration = found.get(day, (0, 0, 0, 0))
            days.append(
                {
                    "date": _day_date(day),
                    "passes": passes,
                    "failures": failures,
                    "expected": expected,
                }
            )
        return {"notebookId": row.id, "days": days}

    def overview(self, user: GalleryUser) -> dict[str, Any]:
        """Admin: every notebook with runs in the window, least healthy first."""
        if not user.admin:
            raise forbidden("Only a gallery admin may see the health overview.")
        moment = now()
        first = self._first_day(moment)
        items = []
        with self.database.engine.connect() as session:
            pks = (
                select(HealthNotebookDay.notebook_pk)
                .where(HealthNotebookDay.day >= first)
                .distinct()
            )
            rows = session.execute(_NOTEBOOK.where(GalleryNotebook.pk.in_(pks))).all()
            for row in rows:
                result, _current, counts = self._compute(session, row, moment)
                item = self._health_json(row, result, counts)
                item.update(title=row.title, owner=row.owner, updatedAt=iso(row.updated_at))
                items.append(item)
        items.sort(key=lambda item: (item["score"] is None, item["score"] or 0.0, item["title"]))
        return {"items": items[: self.config.overview_limit], "total": len(items)}
