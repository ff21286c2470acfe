"""Raw landing, quarantine and the batch ledger, shared by every source.

A batch is one run of one source. Each page is landed in its own transaction
(raw rows via COPY into a temporary table, then INSERT .. ON CONFLICT DO NOTHING
on the source's delivery key), so a re-run or a page received twice adds
nothing. The ledger row in `ops.ingest_batches` keeps received, loaded and
quarantined, and the batch only succeeds when received = loaded + quarantined.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg.types.json import Jsonb

from tranquillite.ingestion.contract import UUID_RE, Problem
from tranquillite.ingestion.gate import Judged

log = logging.getLogger(__name__)


class UnbalancedBatchError(RuntimeError):
    """received != loaded + quarantined: a record would be lost."""


@dataclass
class Counts:
    received: int = 0
    loaded: int = 0
    new_rows: int = 0
    quarantined: int = 0
    pages: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    # landed with personal data masked: how many records, and per type how many had it
    masked: int = 0
    masked_types: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.received += other.received
        self.loaded += other.loaded
        self.new_rows += other.new_rows
        self.quarantined += other.quarantined
        self.pages += other.pages
        self.masked += other.masked
        for k, v in other.reasons.items():
            self.reasons[k] = self.reasons.get(k, 0) + v
        for k, v in other.masked_types.items():
            self.masked_types[k] = self.masked_types.get(k, 0) + v

    def count_masked(self, judged: Sequence[Judged]) -> None:
        """The records of `judged` that land with personal data masked, by type."""
        for j in judged:
            if j.finding_types:
                self.masked += 1
                for t in j.finding_types:
                    self.masked_types[t] = self.masked_types.get(t, 0) + 1

    def since(self, before: Counts) -> Counts:
        """What was added to these counts after `before` was copied from them."""
        return Counts(
            received=self.received - before.received,
            loaded=self.loaded - before.loaded,
            new_rows=self.new_rows - before.new_rows,
            quarantined=self.quarantined - before.quarantined,
            pages=self.pages - before.pages,
            reasons={k: n for k, v in self.reasons.items() if (n := v - before.reasons.get(k, 0))},
            masked=self.masked - before.masked,
            masked_types={k: n for k, v in self.masked_types.items() if (n := v - before.masked_types.get(k, 0))},
        )

    @property
    def balanced(self) -> bool:
        return self.received == self.loaded + self.quarantined


@dataclass
class QuarantineRow:
    problem: Problem
    json_text: str
    sha256: str
    record_id: str | None = None
    record_version: int | None = None
    line_number: int | None = None
    finding_types: tuple[str, ...] = ()

    @property
    def drift_signatures(self) -> tuple[str, ...]:
        return self.problem.drift if self.problem.code == "schema_drift" else ()


class Batch:
    """The ledger of one ingestion run."""

    def __init__(
        self,
        conn: psycopg.Connection,
        source: str,
        convention_id: str,
        *,
        dag_id: str | None = None,
        run_id: str | None = None,
        task_id: str | None = None,
        requested_since: datetime | None = None,
    ) -> None:
        self.conn = conn
        self.source = source
        self.convention_id = convention_id
        self.batch_id = uuid.uuid4()
        self.counts = Counts()
        # why the pull stopped before the source's last page, if it did (the ledger says so)
        self.stopped_early: str | None = None
        with conn.transaction():
            conn.execute(
                "insert into ops.ingest_batches (batch_id, source, dag_id, run_id, task_id, started_at,"
                " requested_since, convention_id) values (%s, %s, %s, %s, %s, now(), %s, %s)",
                (self.batch_id, source, dag_id, run_id, task_id, requested_since, convention_id),
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction whose rollback takes back the counts recorded in it too: the ledger
        row rolls back with the data, and the counts kept here must follow."""
        saved = copy.deepcopy(self.counts)
        try:
            with self.conn.transaction():
                yield
        except BaseException:
            self.counts = saved
            raise

    def record_page(self, page: Counts) -> None:
        """Called inside the page's transaction, so the ledger moves with the data."""
        self.counts.add(page)
        self.conn.execute(
            "update ops.ingest_batches set pages = %s, received = %s, loaded = %s, new_rows = %s,"
            " quarantined = %s, masked = %s, masked_types = %s where batch_id = %s",
            (
                self.counts.pages,
                self.counts.received,
                self.counts.loaded,
                self.counts.new_rows,
                self.counts.quarantined,
                self.counts.masked,
                Jsonb(self.counts.masked_types),
                self.batch_id,
            ),
        )

    def quarantine(self, rows: Sequence[QuarantineRow], received_at: datetime) -> None:
        from tranquillite.ingestion.governance import record_drift

        for r in rows:
            inserted = self.conn.execute(
                "insert into quarantine.records (source, record_id, record_version, reason_code, reason_detail,"
                " payload, payload_sha256, line_number, convention_id, batch_id, received_at, finding_types,"
                " drift_signatures) values (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s, %s)"
                " on conflict (source, payload_sha256, reason_code) do nothing returning quarantine_id",
                (
                    self.source,
                    r.record_id,
                    r.record_version,
                    r.problem.code,
                    r.problem.detail,
                    r.json_text,
                    r.sha256,
                    r.line_number,
                    self.convention_id,
                    self.batch_id,
                    received_at,
                    list(r.finding_types),
                    list(r.drift_signatures),
                ),
            ).fetchone()
            if inserted and r.drift_signatures:
                record_drift(self.conn, self.source, list(r.drift_signatures))

    def finish(self, high_water_mark: datetime | None) -> Counts:
        c = self.counts
        if not c.balanced:
            self.fail(f"unbalanced batch: received {c.received} != loaded {c.loaded} + quarantined {c.quarantined}")
            raise UnbalancedBatchError(
                f"batch {self.batch_id}: received {c.received}, loaded {c.loaded}, quarantined {c.quarantined}"
            )
        with self.conn.transaction():
            self.conn.execute(
                "update ops.ingest_batches set status = 'succeeded', finished_at = now(), high_water_mark = %s,"
                " stopped_early = %s where batch_id = %s",
                (high_water_mark, self.stopped_early, self.batch_id),
            )
            if high_water_mark is not None:
                self.conn.execute(
                    "insert into ops.watermarks (source, high_water_mark) values (%s, %s)"
                    " on conflict (source) do update set high_water_mark ="
                    " greatest(ops.watermarks.high_water_mark, excluded.high_water_mark), updated_at = now()",
                    (self.source, high_water_mark),
                )
        log.info(
            "batch %s (%s): received %d = loaded %d (new %d, masked %d) + quarantined %d, over %d page(s)",
            self.batch_id,
            self.source,
            c.received,
            c.loaded,
            c.new_rows,
            c.masked,
            c.quarantined,
            c.pages,
        )
        return c

    def fail_with(self, exc: BaseException, step: str) -> None:
        """Mark the batch failed by an exception, recording its class, the step and the batch:
        never the exception's text, which can quote a value (a cast error does)."""
        self.fail(f"{type(exc).__name__} during {step} (batch {self.batch_id})")

    def fail(self, error: str) -> None:
        try:
            if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                self.conn.rollback()
            with self.conn.transaction():
                self.conn.execute(
                    "update ops.ingest_batches set status = 'failed', finished_at = now(), error = %s"
                    " where batch_id = %s",
                    (error[:2000], self.batch_id),
                )
        except psycopg.Error:  # the ledger must not hide the original failure
            log.exception("could not mark batch %s failed", self.batch_id)


@dataclass
class BatchResult:
    """What an ingestion task returns (its XCom): the batch's ledger counts."""

    batch_id: str
    requested_since: str | None
    received: int
    loaded: int
    new_rows: int
    quarantined: int
    pages: int
    reasons: dict
    masked: int = 0
    masked_types: dict = field(default_factory=dict)
    high_water_mark: str | None = None
    data_docs: str | None = None
    stopped_early: str | None = None

    @classmethod
    def of(
        cls,
        batch: Batch,
        total: Counts,
        docs: str | None,
        *,
        requested_since: datetime | None = None,
        high_water: datetime | None = None,
        **extra,
    ):
        return cls(
            batch_id=str(batch.batch_id),
            requested_since=requested_since.isoformat() if requested_since else None,
            received=total.received,
            loaded=total.loaded,
            new_rows=total.new_rows,
            quarantined=total.quarantined,
            pages=total.pages,
            reasons=total.reasons,
            masked=total.masked,
            masked_types=total.masked_types,
            high_water_mark=high_water.isoformat() if high_water else None,
            data_docs=docs,
            stopped_early=batch.stopped_early,
            **extra,
        )

    @property
    def changed(self) -> bool:
        """Something the warehouse build should see: new rows (a feed adds deliveries)."""
        return self.new_rows > 0

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return {**asdict(self), "changed": self.changed}


def read_watermark(conn: psycopg.Connection, source: str) -> datetime | None:
    row = conn.execute("select high_water_mark from ops.watermarks where source = %s", (source,)).fetchone()
    return row[0] if row else None


def held_for_approved_drift(conn: psycopg.Connection, source: str) -> list[tuple[int, object, int | None]]:
    """(quarantine id, payload, line number) of the source's records held for schema drift
    whose every change the DPO has approved: what a replay puts through the gate again."""
    return conn.execute(
        "select q.quarantine_id, q.payload, q.line_number from quarantine.records q where q.source = %s"
        " and q.status = 'held' and q.reason_code = 'schema_drift' and cardinality(q.drift_signatures) > 0"
        " and q.drift_signatures <@ array(select c.signature from governance.schema_changes c"
        "   where c.source = %s and c.status = 'approved') order by q.quarantine_id",
        (source, source),
    ).fetchall()


def utcnow() -> datetime:
    return datetime.now(UTC)


def land_cortege_page(batch: Batch, judged: Sequence[Judged], received_at: datetime, *, pages: int = 1) -> Counts:
    """Put one page of judged Cortège entries in landing, or in quarantine. Call inside a
    transaction. Nothing reaches raw before the batch is validated (`promote_cortege_batch`).
    `pages`: what this call adds to the batch's page count (0 for a page's later records
    when it is landed record by record, `ingestion.isolation`)."""
    conn = batch.conn
    page = Counts(received=len(judged), pages=pages)
    good = [(i, j) for i, j in enumerate(judged) if j.problem is None]
    bad: list[QuarantineRow] = [
        QuarantineRow(j.problem, j.json_text, j.sha256, *record_identity(j.record), finding_types=j.finding_types)
        for j in judged
        if j.problem is not None
    ]
    if good:
        conn.execute(
            "create temp table if not exists cortege_page ("
            " idx int, entry_id uuid, entry_version int, entry_type text, updated_at timestamptz,"
            " payload jsonb, payload_sha256 text) on commit delete rows"
        )
        with conn.cursor() as cur:
            with cur.copy(
                "copy cortege_page (idx, entry_id, entry_version, entry_type, updated_at, payload,"
                " payload_sha256) from stdin"
            ) as copy:
                for i, j in good:
                    r = j.record
                    copy.write_row((i, r["id"], r["version"], r["type"], r["updated_at"], j.json_text, j.sha256))
            # Same (id, version) already held, in raw or earlier in this batch, with other
            # content: a version never changes (contract), so keep the first, quarantine this one.
            conflicts = {
                row[0]
                for row in cur.execute(
                    "select p.idx from cortege_page p"
                    " left join raw.cortege_entries r using (entry_id, entry_version)"
                    " left join landing.cortege_entries l"
                    "   on l.batch_id = %s and l.entry_id = p.entry_id and l.entry_version = p.entry_version"
                    " where r.payload_sha256 <> p.payload_sha256 or l.payload_sha256 <> p.payload_sha256"
                    " or exists (select 1 from cortege_page q where q.entry_id = p.entry_id"
                    "   and q.entry_version = p.entry_version and q.idx < p.idx"
                    "   and q.payload_sha256 <> p.payload_sha256)",
                    (batch.batch_id,),
                )
            }
            cur.execute(
                "insert into landing.cortege_entries (batch_id, entry_id, entry_version, entry_type, updated_at,"
                " payload, payload_sha256, copies)"
                " select %s, entry_id, entry_version, min(entry_type), min(updated_at), min(payload::text)::jsonb,"
                " min(payload_sha256), count(*) from cortege_page where idx <> all(%s)"
                " group by entry_id, entry_version"
                " on conflict (batch_id, entry_id, entry_version)"
                " do update set copies = landing.cortege_entries.copies + excluded.copies",
                (batch.batch_id, list(conflicts)),
            )
        page.count_masked([j for i, j in good if i not in conflicts])
        for i, j in good:
            if i in conflicts:
                bad.append(
                    QuarantineRow(
                        Problem("version_conflict", "same id and version already received with other content"),
                        j.json_text,
                        j.sha256,
                        *record_identity(j.record),
                    )
                )
        page.loaded = len(good) - len(conflicts)
    batch.quarantine(bad, received_at)
    page.quarantined = len(bad)
    for q in bad:
        page.reasons[q.problem.code] = page.reasons.get(q.problem.code, 0) + 1
    batch.record_page(page)
    return page


def promote_cortege_batch(
    batch: Batch, rejected: dict[tuple[str, int], tuple[str, str]], received_at: datetime
) -> None:
    """After the batch-level validation: rejected landing rows to quarantine, the rest to raw."""
    conn = batch.conn
    with conn.transaction():
        moved = Counts()
        for (entry_id, version), (code, detail) in rejected.items():
            row = conn.execute(
                "delete from landing.cortege_entries where batch_id = %s and entry_id = %s and entry_version = %s"
                " returning payload::text, payload_sha256, copies",
                (batch.batch_id, entry_id, version),
            ).fetchone()
            if row is None:
                continue
            payload, sha, copies = row
            batch.quarantine([QuarantineRow(Problem(code, detail), payload, sha, entry_id, version)], received_at)
            moved.loaded -= copies
            moved.quarantined += copies
            moved.reasons[code] = moved.reasons.get(code, 0) + copies
        conn.execute("select raw.ensure_agreement_partition('cortege_entries', %s)", (batch.convention_id,))
        cur = conn.execute(
            "insert into raw.cortege_entries (entry_id, entry_version, entry_type, updated_at, payload,"
            " payload_sha256, convention_id, batch_id, received_at)"
            " select entry_id, entry_version, entry_type, updated_at, payload, payload_sha256, %s, batch_id, %s"
            " from landing.cortege_entries where batch_id = %s order by updated_at, entry_id"
            " on conflict (convention_id, entry_id, entry_version) do nothing",
            (batch.convention_id, received_at, batch.batch_id),
        )
        moved.new_rows = cur.rowcount
        conn.execute("delete from landing.cortege_entries where batch_id = %s", (batch.batch_id,))
        batch.record_page(moved)
    refresh_statistics(conn, "cortege_entries", batch.convention_id, moved.new_rows)


def refresh_statistics(conn: psycopg.Connection, parent: str, convention_id: str, new_rows: int) -> None:
    """After a large batch, the planner's statistics of the agreement's raw partition, before a
    build plans on them (migration 010: the owner's function decides, and analyses)."""
    if conn.execute("select raw.refresh_statistics(%s, %s, %s)", (parent, convention_id, new_rows)).fetchone()[0]:
        log.info("raw.%s (%s): statistics refreshed after %d new row(s)", parent, convention_id, new_rows)


def discard_landing(conn: psycopg.Connection, batch_id: uuid.UUID) -> None:
    """A failed batch leaves nothing in landing: a re-run pulls it again."""
    with conn.transaction():
        conn.execute("delete from landing.cortege_entries where batch_id = %s", (batch_id,))


def hashed_id(value: str) -> str:
    """What the quarantine shows of an id a bad record carried: its hash, since the field
    could hold anything."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:16]


def record_identity(record: object) -> tuple[str | None, int | None]:
    """The record's id and version as the quarantine may show them: an id that is not a
    UUID could be anything a source put there, so only its hash is kept."""
    if not isinstance(record, dict):
        return None, None
    rid = record.get("id")
    ver = record.get("version")
    if rid is not None:
        rid = str(rid)
        if not UUID_RE.match(rid):
            rid = hashed_id(rid)
    valid_ver = isinstance(ver, int) and not isinstance(ver, bool) and -(2**31) <= ver < 2**31
    return rid, ver if valid_ver else None
