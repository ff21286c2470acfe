"""Each source's own client and pull: Cortège (`cortege/`), and the transports the municipal
feeds (`feeds/`) are read through. What every source shares is in ingestion/."""
