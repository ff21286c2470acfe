"""What faces Airflow: the DAG policy, Assets, alerts, forms, notifications, the rendering of dbt by Cosmos."""
