"""Who may see what: the habilitations register, Airflow's roles, the auth manager."""
