"""The residue search that proves a value is nowhere: the gate's tests and the purge's
verification rely on it finding what is there, in any text-like column, as ILIKE would."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from tranquillite.compliance.residue import find_residue, like_escape

ROWS = [
    ("Rue de la République", {"label": "Cours Julien", "n": 1}, ["Vieux-Port", "Noailles"], "a"),
    ("RUE DE ROME", {"label": "place Castellane"}, ["La Plaine"], "b"),
    ("50% de la chaussée", {"note": "ÉLYSÉE élysée"}, [], "c"),
    ("sans rien", {"x": 2}, ["Belsunce"], "a_b"),
]
NEEDLES = ["rue de", "castellane", "la plaine", "50%", "a_b", "Élysée", "absent partout"]


@pytest.fixture
def scratch(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    db.execute("drop schema if exists residue_test cascade")
    db.execute("create schema residue_test")
    db.execute("create table residue_test.places (label text, payload jsonb, names varchar[], code varchar(8))")
    db.execute("create view residue_test.places_view as select label from residue_test.places")
    with db.cursor() as cur:
        cur.executemany(
            "insert into residue_test.places values (%s, %s, %s, %s)",
            [(a, psycopg.types.json.Jsonb(b), c, d) for a, b, c, d in ROWS],
        )
    yield db
    db.execute("drop schema residue_test cascade")


def _mine(found) -> dict[tuple[str, str], int]:
    return {(r.table, r.column): r.rows for r in found if r.schema == "residue_test"}


def test_each_column_that_holds_a_needle_is_counted(scratch: psycopg.Connection) -> None:
    assert _mine(find_residue(scratch, ["rue de"])) == {("places", "label"): 2, ("places_view", "label"): 2}
    # jsonb and arrays are searched as their text; case does not matter
    assert _mine(find_residue(scratch, ["CASTELLANE", "la plaine"], stored_only=True)) == {
        ("places", "payload"): 1,
        ("places", "names"): 1,
    }
    # LIKE's wildcards in a needle are themselves: "a_b" is not "axb", "50%" not "50 de"
    assert _mine(find_residue(scratch, ["a_b", "50%"], stored_only=True)) == {
        ("places", "code"): 1,
        ("places", "label"): 1,
    }
    assert _mine(find_residue(scratch, ["absent partout", ""])) == {}
    assert find_residue(scratch, [""]) == []


def test_it_finds_what_ilike_finds(scratch: psycopg.Connection) -> None:
    # the search lower-cases each value once instead of ILIKE's once a needle: same answer,
    # whatever the database's collation makes of accented capitals
    expected = {}
    for column in ("label", "payload", "names", "code"):
        n = scratch.execute(
            sql.SQL("select count(*) from residue_test.places where {}::text ilike any(%s)").format(
                sql.Identifier(column)
            ),
            ([f"%{like_escape(n)}%" for n in NEEDLES],),
        ).fetchone()[0]
        if n:
            expected["places", column] = n
    assert expected  # the rows hold some of the needles
    assert _mine(find_residue(scratch, NEEDLES, stored_only=True)) == expected
