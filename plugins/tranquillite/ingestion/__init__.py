"""The ingestion core shared by every source: what the gate does to a record before any
later step (SQL casts, PostGIS, GX, dbt) can fail on it."""
