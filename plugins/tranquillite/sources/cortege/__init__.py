"""Cortège: the export API v1 client and its ingestion."""
