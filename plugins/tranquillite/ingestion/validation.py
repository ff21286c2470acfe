"""Batch-level validation with Great Expectations, inside PostgreSQL.

The record-level gate (tranquillite.ingestion.gate) judges each page as it arrives. Then,
before anything is promoted from `landing` to `raw`, the batch's landing rows
are validated against the versioned suite `expectations/<source>.json` through a
GX SQL query asset: the expectations run as SQL in the warehouse (regexes in
PostgreSQL's dialect). The rows an expectation rejects go to quarantine with the
expectation's `meta.reason_code`.

Data Docs are published per run in `.local/gx/uncommitted/data_docs`. The
results they are built from are computed with `partial_unexpected_count: 0`, so
they hold counts, never values; the rejected rows are fetched in a second,
unstored run only when something failed.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field

from psycopg import sql

from tranquillite.core import settings
from tranquillite.core.connections import Conn, get_conn
from tranquillite.core.settings import LOADER_CONN_ID, ROOT

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = ROOT / "expectations"
URL_ENV = "TRQ_GX_WAREHOUSE_URL"  # GX stores the placeholder, never the password


def cortege_batch_query(batch_id: str, approved: frozenset[str] = frozenset()) -> sql.Composed:
    """One row per landing entry of the batch, flattened for the suite's expectations.
    Fields the DPO approved (`field:<type>.<name>`) count as inside the contract. Every name
    and the batch id go in as `psycopg.sql` literals: an approved key may hold any character."""
    from tranquillite.ingestion.contract import fields_by_type

    fields = dict(fields_by_type())
    for signature in approved:
        kind, _, rest = signature.partition(":")
        entry_type, _, name = rest.partition(".")
        if kind == "field" and entry_type in fields and "." not in name and "[" not in name:
            fields[entry_type] = sorted({*fields[entry_type], name})
    allowed = sql.SQL(" ").join(
        sql.SQL("when {} then {}::text[]").format(sql.Literal(t), sql.Literal(list(names)))
        for t, names in fields.items()
    )
    return sql.SQL(_CORTEGE_QUERY).format(allowed=allowed, batch_id=sql.Literal(batch_id))


_CORTEGE_QUERY = """
select
    l.entry_id::text as entry_id,
    l.entry_version,
    l.payload ->> 'type' as entry_type,
    l.payload ->> 'etat' as etat,
    l.payload ->> 'objet' as objet,
    l.payload ->> 'description' as description,
    (l.payload ->> 'debut')::timestamptz as debut,
    (l.payload ->> 'fin')::timestamptz as fin,
    extract(year from (l.payload ->> 'debut')::timestamptz)::int as debut_year,
    (l.payload ->> 'nb_personnes_attendues')::bigint as nb_personnes_attendues,
    (l.payload ->> 'nb_personnes_declarees')::bigint as nb_personnes_declarees,
    (l.payload ->> 'nb_voitures_attendues')::bigint as nb_voitures_attendues,
    (l.payload ->> 'nb_voitures_declarees')::bigint as nb_voitures_declarees,
    l.payload ->> 'statut_organisateur' as statut_organisateur,
    l.payload ->> 'theme' as theme,
    concat_ws(' | ', l.payload ->> 'objet', l.payload ->> 'description',
        (select string_agg(v #>> '{{}}', ' | ') from jsonb_path_query(l.payload, 'strict $.**.libelle') as v)
    ) as free_text,
    (select string_agg(k, ',' order by k) from jsonb_object_keys(l.payload) as k
        where k <> all(case l.payload ->> 'type' {allowed} else array[]::text[] end)) as fields_outside_contract,
    case
        when jsonb_typeof(coalesce(l.payload -> 'trace', l.payload -> 'emprise')) = 'object'
            then raw.geojson_invalidity(coalesce(l.payload -> 'trace', l.payload -> 'emprise')::text)
    end as geometry_problem
from landing.cortege_entries as l
where l.batch_id = {batch_id}::uuid
"""


def _sqlalchemy_url(conn: Conn) -> str:
    from sqlalchemy.engine import URL

    query = {k: v for k, v in conn.extra.items() if k in ("sslmode", "sslrootcert", "sslcert", "sslkey")}
    url = URL.create(
        "postgresql+psycopg2",
        username=conn.login,
        password=conn.password,
        host=conn.host,
        port=conn.port or 5432,
        database=conn.schema,
        query=query,
    )
    return url.render_as_string(hide_password=False)


@dataclass
class BatchValidation:
    success: bool
    evaluated: int
    failed_expectations: list[str]
    # the rejected rows' keys, (id, version) or (id, sha256), -> (reason code, detail)
    rejected: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    data_docs: str | None = None


def load_suite(name: str, approved: frozenset[str] = frozenset()):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    shared = json.loads((EXPECTATIONS_DIR / "personal_data_patterns.json").read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(name=spec["name"], meta=spec.get("meta", {}))
    approved_values: dict[str, set[str]] = {}
    for signature in approved:
        if signature.startswith("value:"):
            path, _, value = signature[len("value:") :].partition("=")
            approved_values.setdefault(path.rsplit(".", 1)[-1], set()).add(value)
    for e in spec["expectations"]:
        if e["kwargs"].get("regex_list") == "@personal_data_patterns":
            e = {**e, "kwargs": {**e["kwargs"], "regex_list": shared["patterns"]}}
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] in approved_values:
            e = {
                **e,
                "kwargs": {
                    **e["kwargs"],
                    "value_set": sorted({*e["kwargs"]["value_set"], *approved_values[e["kwargs"]["column"]]}),
                },
            }
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e.get("meta", {}))
        )
    return suite


def prune_results(retention_days: float | None = None) -> int:
    """Drop validation results and their Data Docs pages older than the retention: a pull
    every five minutes would otherwise grow the store, and every docs rebuild, forever."""
    import shutil
    import time

    days = settings.gx_retention_days() if retention_days is None else retention_days
    cutoff = time.time() - days * 86400
    removed = 0
    base = settings.gx_root() / "gx" / "uncommitted"
    for folder in (base / "validations", base / "data_docs" / "local_site" / "validations"):
        for run_dir in folder.glob("*/*"):
            if run_dir.is_dir() and run_dir.stat().st_mtime < cutoff:
                shutil.rmtree(run_dir, ignore_errors=True)
                removed += 1
    return removed


def _context():
    import great_expectations as gx

    root = settings.gx_root()
    root.mkdir(parents=True, exist_ok=True)
    return gx.get_context(mode="file", project_root_dir=str(root))


def validate_cortege_batch(
    batch_id: str,
    *,
    run_name: str | None = None,
    approved: frozenset[str] = frozenset(),
    conn_id: str = LOADER_CONN_ID,
) -> BatchValidation:
    return _validate(
        "cortege_entries",
        # the asset name stored GX contexts already refer to: renaming it breaks their definition
        "cortege_landing_batch",
        batch_id,
        cortege_batch_query(batch_id, approved),
        load_suite("cortege_entries", approved),
        ("entry_id", "entry_version"),
        lambda row: (str(row[0]), int(row[1])),
        run_name=run_name or f"cortege-{batch_id}",
        conn_id=conn_id,
    )


SQL_TYPES = {
    "text": "text",
    "timestamptz": "timestamptz",
    "date": "date",
    "bigint": "bigint",
    "integer": "integer",
    "float": "double precision",
}


def feed_batch_query(feed, batch_id: str) -> sql.Composed:
    """One row per landing record of a feed's batch: the columns its configuration lists for
    validation, its free text in one column, and PostGIS's verdict on its geometry. Paths,
    column names and the batch id go in through `psycopg.sql`, never by formatting."""

    def at(path: str) -> sql.Composable:
        return sql.SQL("l.payload #>> {}::text[]").format(sql.Literal(path.split(".")))

    columns = [
        sql.SQL("({})::{} as {}").format(at(path), sql.SQL(SQL_TYPES[kind]), sql.Identifier(path.rsplit(".", 1)[-1]))
        for path, kind in feed.validation.items()
    ]
    # every string the record carries, but those of its identifier and of its typed fields
    structured = dict.fromkeys([feed.id_path, feed.starts_path, feed.ends_path, feed.updated_at_path, *feed.validation])
    stripped: sql.Composable = sql.SQL("l.payload")
    for p in structured:
        if p:
            stripped = sql.SQL("({} #- {}::text[])").format(stripped, sql.Literal(p.split(".")))
    free_text = sql.SQL(
        "(select string_agg(v #>> '{{}}', ' | ') from jsonb_path_query({},"
        " 'strict $.** ? (@.type() == \"string\")') as v)"
    ).format(stripped)
    geometry: sql.Composable = sql.SQL("null::text")
    if feed.geometry_path:
        g = sql.SQL("l.payload #> {}::text[]").format(sql.Literal(feed.geometry_path.split(".")))
        check = "raw.geojson_repair_problem" if feed.on_invalid_geometry == "repair" else "raw.geojson_invalidity"
        geometry = sql.SQL("case when jsonb_typeof({g}) = 'object' then {check}(({g})::text) end").format(
            g=g, check=sql.SQL(check)
        )
    return sql.SQL(
        "select l.record_id, l.payload_sha256, {columns}{free_text} as free_text, {geometry} as geometry_problem"
        " from landing.feed_records as l where l.batch_id = {batch_id}::uuid"
    ).format(
        columns=sql.SQL("").join(c + sql.SQL(", ") for c in columns),
        free_text=free_text,
        geometry=geometry,
        batch_id=sql.Literal(batch_id),
    )


def validate_feed_batch(
    feed,
    batch_id: str,
    *,
    run_name: str | None = None,
    conn_id: str = LOADER_CONN_ID,
    approved: frozenset[str] = frozenset(),
) -> BatchValidation:
    """`approved`: the feed's drift signatures the DPO accepted (a new value of an
    enumeration then passes the suite's value set too)."""
    return _validate(
        feed.suite_name,
        f"{feed.source}_landing_batch",
        batch_id,
        feed_batch_query(feed, batch_id),
        load_suite(feed.suite_name, approved),
        ("record_id", "payload_sha256"),
        lambda row: (str(row[0]), str(row[1])),
        run_name=run_name or f"{feed.source}-{batch_id}",
        conn_id=conn_id,
    )


def _validate(
    name: str,
    asset_name: str,
    batch_id: str,
    query: sql.Composed,
    suite_spec,
    index_columns: tuple[str, str],
    key,
    *,
    run_name: str,
    conn_id: str,
) -> BatchValidation:
    import great_expectations as gx

    from tranquillite.warehouse import connect

    view = f"gx_batch_{batch_id.replace('-', '')}"
    with connect(conn_id) as conn:
        conn.execute(sql.SQL("create or replace view {} as ").format(sql.Identifier("landing", view)) + query)
    try:
        os.environ[URL_ENV] = _sqlalchemy_url(get_conn(conn_id))
        context = _context()
        source = context.data_sources.add_or_update_postgres(name="warehouse", connection_string="${" + URL_ENV + "}")
        if asset_name in [a.name for a in source.assets]:
            source.delete_asset(asset_name)
        asset = source.add_table_asset(name=asset_name, table_name=view, schema_name="landing")
        batch_definition = asset.add_batch_definition_whole_table("batch")
        suite = context.suites.add_or_update(suite_spec)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
                # counts only: the stored results and the Data Docs never hold a value
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0},
            )
        )
        prune_results()
        run = checkpoint.run(run_id=gx.RunIdentifier(run_name=run_name))
        result = next(iter(run.run_results.values()))
        failed = [r.expectation_config for r in result.results if not r.success]
        validation = BatchValidation(
            success=result.success,
            evaluated=result.statistics.get("evaluated_expectations", 0),
            failed_expectations=[c.type for c in failed],
            data_docs=str(settings.gx_root() / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"),
        )
        if failed:
            validation.rejected = _rejected_rows(batch_definition.get_batch(), failed, index_columns, key, conn_id)
    finally:
        with connect(conn_id) as conn:
            conn.execute(sql.SQL("drop view if exists {}").format(sql.Identifier("landing", view)))
    log.info(
        "GX %s: %d expectation(s) on batch %s, %d failed, %d row(s) rejected",
        name,
        validation.evaluated,
        batch_id,
        len(failed),
        len(validation.rejected),
    )
    return validation


def _rejected_rows(batch, configs, index_columns, key, conn_id: str) -> dict[tuple, tuple[str, str]]:
    """The (id, version) of each row a failed expectation rejects, read through the query GX
    writes for it (`unexpected_index_query`). Kept in memory only."""
    import great_expectations as gx

    from tranquillite.warehouse import connect

    rejected: dict[tuple, tuple[str, str]] = {}
    with connect(conn_id) as conn:
        for cfg in configs:
            expectation = gx.expectations.registry.get_expectation_impl(cfg.type)(**cfg.kwargs)
            outcome = batch.validate(
                expectation,
                result_format={
                    "result_format": "BASIC",
                    "unexpected_index_column_names": list(index_columns),
                    "return_unexpected_index_query": True,
                },
            )
            query = outcome.result.get("unexpected_index_query")
            if not query:
                raise RuntimeError(f"GX gave no query for the rows {cfg.type} rejects")
            code = cfg.meta.get("reason_code", "schema_violation")
            column = cfg.kwargs.get("column") or f"{cfg.kwargs.get('column_A')}/{cfg.kwargs.get('column_B')}"
            for row in conn.execute(query):
                rejected.setdefault(key(row), (code, f"GX {cfg.type} on {column}"))
    return rejected
