"""The platform's foundations: settings read when asked, connections, HTTP, dbt from the command line."""
