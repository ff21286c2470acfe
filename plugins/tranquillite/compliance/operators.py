"""Airflow's human-in-the-loop approval, with the four-eyes rule (imported by the purge DAG)."""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator


class FourEyesApprovalOperator(ApprovalOperator):
    """An ApprovalOperator whose respondents are the compliance officers other than the
    requester, read at run time from the request task's XCom. The Airflow API refuses
    anyone else; the decision task checks the respondent again before anything is deleted."""

    def __init__(self, *, request_task_id: str, **kwargs: Any) -> None:
        from datetime import timedelta

        # officers have the convention's 15 days to decide: the wait, and the task's own
        # timeout (which may count the deferred time), both end after 14
        kwargs.setdefault("response_timeout", timedelta(days=14))
        kwargs.setdefault("execution_timeout", kwargs["response_timeout"])
        super().__init__(**kwargs)
        self.request_task_id = request_task_id

    def execute(self, context: Any) -> Any:
        from tranquillite.auth import respondent
        from tranquillite.compliance.approvals import approvers_for

        request = context["ti"].xcom_pull(task_ids=self.request_task_id) or {}
        approvers = approvers_for(request.get("requested_by", ""))
        # by login: tranquillite.auth.TranquilliteAuthManager knows them so
        self.assigned_users = [respondent(user) for user in approvers] or None
        return super().execute(context)
