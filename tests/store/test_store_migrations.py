"""The hand-written migrations build exactly the tables in tables.py, and ship in the package."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from setuptools import find_packages
from sqlalchemy import inspect, select

from thrive_ml.store.audit import MIGRATIONS_DIR
from thrive_ml.store.chain import GENESIS
from thrive_ml.store.tables import Base, ChainHead


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_migrating_twice_changes_nothing(store):
    store.migrate()
    with store.engine.connect() as conn:
        heads = conn.execute(select(ChainHead.id, ChainHead.seq, ChainHead.hash)).all()
        tables = set(inspect(conn).get_table_names())
    assert heads == [(1, 0, GENESIS)]
    assert tables == {"alembic_version", "api_keys", "audit_chain_head", "audit_records"}


def test_migrations_ship_as_package_modules():
    src = MIGRATIONS_DIR.parents[2]
    packages = find_packages(str(src))
    assert "thrive_ml.store.migrations" in packages
    assert "thrive_ml.store.migrations.versions" in packages
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py")) == [
        "0001_initial.py"
    ]
