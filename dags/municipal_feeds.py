"""One ingestion DAG per municipal feed, generated from feeds/<source>.yml.

Airflow's dynamic DAG generation with embedded meta-data: `make feeds` writes the
YAML files into `tranquillite.sources.feeds.registry` (a Python literal), so parsing this
file reads no file, no database and no network. Adding a feed of a known
transport is a YAML file, its JSON Schema, its GX suite and a dbt staging model.
"""

from __future__ import annotations

from tranquillite.ingestion.dag_factory import IngestionDag, ingestion_dag
from tranquillite.ingestion.naming import ingest_dag_id
from tranquillite.sources.feeds.registry import FEEDS

DOC = """
### {dag_id}

**{title}** ({transport}, connection `{connection}`): {description}

- Data agreement and raw retention: `compliance/conventions.yml`, the one place that
  says (`convention_registry` shows each agreement's calendar).
- Every record passes the gate (`feeds/{schema}`, geometry, personal data) and the
  batch is validated by Great Expectations (`expectations/{source}.json`) before it
  reaches `raw.feed_records`. received = loaded + quarantined, for every batch.
- Emits the Asset `raw.feed_records.{source}` when something changed, which
  triggers `warehouse_build`.
- A field the schema does not know, a value outside an enumeration or a type change is
  held as schema drift; the DPO is e-mailed and one `schema_change_approval` run per
  change asks for the decision, as for Cortège.
- Params: `updated_since` re-asks an API feed from an instant; `full_refresh` asks
  for everything again (files already delivered included, no If-None-Match).
"""


def build(source: str, spec: dict):
    return ingestion_dag(
        IngestionDag(
            source=source,
            label=source,
            schedule=spec["schedule"],
            doc_md=DOC.format(
                dag_id=ingest_dag_id(source),
                title=spec.get("title", source),
                transport=spec["transport"],
                connection=spec["connection"],
                description=spec.get("description", "").strip(),
                schema=spec["schema"],
                source=source,
            ),
            tags=("source:municipal", f"source:{source}"),
            since_help="API feeds: re-ingest every record modified at or after this instant.",
            everything_help="Ignore the high-water mark, the files already delivered, the ETag. Nothing loads twice.",
        )
    )


for _source, _spec in FEEDS.items():
    globals()[ingest_dag_id(_source)] = build(_source, _spec)
