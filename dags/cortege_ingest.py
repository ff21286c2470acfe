"""
### cortege_ingest

Pulls the Cortège export API (connection `cortege`: host = base URL, password =
bearer token) into `raw.cortege_entries`, every five minutes.

- Incremental: from the high-water mark in `ops.watermarks`, minus a lookback.
  Params let a run ask from a given date (backfill) or from the beginning.
- Every entry passes the gate (contract, semantics, geometry); what fails goes to
  `quarantine.records` with a reason code. received = loaded + quarantined,
  checked for every batch (`ops.ingest_batches`).
- The whole batch is then validated by Great Expectations inside PostgreSQL
  (`expectations/cortege_entries.json`) before it is promoted to `raw`.
- Records that change the nature of the data (schema drift) are held; the DPO
  is e-mailed (connection `dpo_smtp`), and one `schema_change_approval` run per
  change is started: it waits in the DPO's Required actions for the decision.
- Emits the `raw.cortege_entries` Asset only when new rows landed, which
  triggers `warehouse_build`.
"""

from __future__ import annotations

# an Airflow DAG file: the DAG comes from the one factory every ingestion DAG comes from
from tranquillite.ingestion.dag_factory import IngestionDag, ingestion_dag

cortege_ingest = ingestion_dag(
    IngestionDag(
        source="cortege",
        label="Cortège",
        schedule="*/5 * * * *",
        doc_md=__doc__,
        tags=("source:cortege",),
        since_help="Re-ingest every entry updated at or after this instant. Empty: from the high-water mark.",
        everything_help="Ask for every entry, ignoring the high-water mark. Nothing is loaded twice.",
    )
)
