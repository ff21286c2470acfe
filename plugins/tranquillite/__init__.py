"""Plateforme Big Data de la Tranquillité Publique: the code the DAGs share.

Kept free of heavy imports so that DAG files stay cheap to parse.
"""
