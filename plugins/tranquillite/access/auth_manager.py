"""The platform's auth manager: Airflow's FAB auth manager, with HITL respondents named by login.

A human-in-the-loop step lists who may answer it. The purge's approval step names
the compliance officers from `TRQ_COMPLIANCE_OFFICERS`, that is by login, while
FAB's users are known to Airflow by a numeric id that the task cannot see. Here a
respondent given as `login:<username>` is that user; any other entry is an id, as
Airflow compares by default.
"""

from __future__ import annotations

from airflow.providers.fab.auth_manager.fab_auth_manager import FabAuthManager

LOGIN_PREFIX = "login:"


def respondent(username: str) -> dict[str, str]:
    """A HITL assignee for the user with this login."""
    return {"id": f"{LOGIN_PREFIX}{username}", "name": username}


class TranquilliteAuthManager(FabAuthManager):
    def is_authorized_hitl_task(self, *, assigned_users: set[str], user) -> bool:
        if f"{LOGIN_PREFIX}{user.get_name()}" in assigned_users:
            return True
        return super().is_authorized_hitl_task(assigned_users=assigned_users, user=user)
