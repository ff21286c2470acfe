"""Data agreements (convention, articles 8 and 9): their calendar, retention, and the
verifiable destruction of an agreement's data."""
