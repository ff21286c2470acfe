"""Zones of tension: the map."""
