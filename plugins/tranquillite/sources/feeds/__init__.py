"""The municipal feeds: configuration-driven ingestion (one YAML file per feed in `feeds/`)."""
