-- A pull that stopped before the source's last page (a next_cursor already followed, the
-- page limit, an export past its byte limit) succeeds with what it landed, and the next run asks from there: the ledger
-- says so, for the data engineers, instead of a warning lost in a task log.
alter table ops.ingest_batches add column stopped_early text
    check (stopped_early in ('cursor_cycle', 'page_limit', 'byte_limit'));
comment on column ops.ingest_batches.stopped_early is
    'Why the pull stopped before the last page (cursor_cycle, page_limit, byte_limit); null when it read them all.';
