"""One package per source's own client and pull (the shared core is ingestion/)."""
