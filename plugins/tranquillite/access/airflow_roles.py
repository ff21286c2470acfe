"""Airflow's roles under the FAB auth manager: who may do what in the UI and the REST API.

- DataEngineer: every DAG (trigger, clear, logs, connections, variables, pools);
  no user administration (FAB's Op role, by another name).
- ComplianceOfficer: reads and triggers only the DAGs whose `access_control`
  names it (agreements, purges, habilitations), answers their approval steps.
- DPO: the same for the schema-change approval.
- PrefectureValidator: the same for the prefecture's validation of its people.
- Viewer: FAB's read-only role.
- Admin: FAB's, for the users and roles themselves.

The global permissions are set here; the per-DAG ones come from each DAG's
`access_control` (tranquillite.airflow.policy.access_control) and are synced by
`sync()`, which `make setup` and `make up` run. `python -m tranquillite.access.airflow_roles
sync|admin|user NAME ROLE` (the passwords are generated, printed once, never stored).
"""

from __future__ import annotations

import argparse
import secrets
import sys

from tranquillite.airflow.policy import ROLE_COMPLIANCE, ROLE_DATA_ENGINEER, ROLE_DPO, ROLE_PREFECTURE_VALIDATOR
from tranquillite.core import settings


def _role_permissions(sm) -> dict[str, list[tuple[str, str]]]:
    from airflow.providers.fab.www.security import permissions as p

    # what a role whose DAGs are listed one by one still needs globally: the UI, its own
    # profile, and the sub-entities of the DAGs it may read (checked against the DAG too)
    every_dag = {(p.ACTION_CAN_READ, p.RESOURCE_DAG), (p.ACTION_CAN_READ, p.RESOURCE_DAG_CODE)}
    narrow_base = [perm for perm in sm.VIEWER_PERMISSIONS if perm not in every_dag]
    approver = [
        *narrow_base,
        (p.ACTION_CAN_CREATE, p.RESOURCE_DAG_RUN),
        (p.ACTION_CAN_EDIT, p.RESOURCE_HITL_DETAIL),
    ]
    return {
        ROLE_DATA_ENGINEER: sorted({*sm.VIEWER_PERMISSIONS, *sm.USER_PERMISSIONS, *sm.OP_PERMISSIONS}),
        ROLE_COMPLIANCE: approver,
        ROLE_DPO: approver,
        ROLE_PREFECTURE_VALIDATOR: approver,
    }


def sync() -> dict[str, int]:
    """Roles and their global permissions, then every DAG's access_control; idempotent."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

    with get_application_builder() as appbuilder:
        sm = appbuilder.sm
        appbuilder.add_permissions(update_perms=True)
        sm.sync_roles()
        wanted = _role_permissions(sm)
        for name, perms in wanted.items():
            role = sm.find_role(name) or sm.add_role(name)
            current = {(perm.action.name, perm.resource.name) for perm in role.permissions}
            for action, resource in perms:
                if (action, resource) not in current:
                    perm = sm.create_permission(action, resource)
                    sm.add_permission_to_role(role, perm)
            # a permission given by hand and not in the policy goes: the policy is this file
            for perm in list(role.permissions):
                if (perm.action.name, perm.resource.name) not in set(perms) and not perm.resource.name.startswith(
                    ("DAG:", "DAG Run:")
                ):
                    sm.remove_permission_from_role(role, perm)
        bag = DagBag()
        for dag_id, dag in bag.dags.items():
            sm.sync_perm_for_dag(dag_id, dag.access_control)
        return {"roles": len(wanted), "dags": len(bag.dags)}


def create_user(username: str, role: str, password: str | None = None) -> str:
    """A user with a generated password (returned, to print once); refuses an existing one."""
    return create_users([(username, role)], password)[username]


def create_users(users: list[tuple[str, str]], password: str | None = None) -> dict[str, str]:
    """Several users in one application context (one Airflow start-up, not one per user), each
    with `password` or a generated one; returns the passwords by login, to print once.
    Refuses an existing user or an unknown role before creating anyone."""
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

    made = {}
    with get_application_builder() as appbuilder:
        sm = appbuilder.sm
        roles = {}
        for username, role in users:
            if sm.find_user(username=username):
                raise ValueError(f"user {username} exists; reset its password with `airflow users reset-password`")
            roles[role] = roles.get(role) or sm.find_role(role)
            if not roles[role]:
                raise ValueError(f"no role {role}")
        for username, role in users:
            made[username] = password or secrets.token_urlsafe(18)
            if not sm.add_user(username, username, "-", f"{username}@localhost", roles[role], made[username]):
                raise RuntimeError(f"could not create {username}")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tranquillite.access.airflow_roles")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync")
    user = sub.add_parser("user")
    user.add_argument("username")
    user.add_argument("role")
    many = sub.add_parser("users", help="several users at once: LOGIN:ROLE ...")
    many.add_argument("pairs", nargs="+", metavar="LOGIN:ROLE")
    many.add_argument(
        "--password-from",
        metavar="VARIABLE",
        help="every user's password from this environment variable (never on the command line); "
        "without it, each gets a generated one, printed once",
    )
    args = parser.parse_args(argv)
    if args.command == "sync":
        print("airflow roles: {roles} roles, access control of {dags} DAGs synced".format(**sync()))
        return 0
    if args.command == "user":
        pairs, password = [(args.username, args.role)], None
    else:
        pairs = [tuple(p.split(":", 1)) for p in args.pairs]
        if any(len(p) != 2 or not all(p) for p in pairs):
            parser.error("each user is LOGIN:ROLE")
        password = settings.named_secret(args.password_from) if args.password_from else None
        if args.password_from and not password:
            parser.error(f"{args.password_from} is empty")
    try:
        made = create_users(pairs, password)
    except ValueError as exc:
        print(f"airflow roles: {exc}", file=sys.stderr)
        return 3
    for login, role in pairs:
        if password:
            print(f"Login:        {login}   ({role})")
        else:
            # printed once, for the person who runs it; kept nowhere
            print(f"Login:        {login} / {made[login]}   ({role}; shown once, not stored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
