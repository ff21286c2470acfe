"""Sandbox servers that speak the external contracts, for `make run` and the tests."""
