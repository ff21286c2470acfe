"""Airflow's human-in-the-loop steps whose respondents are named people: the purge's two
compliance officers (four eyes), the DPO's decision on a schema change, the prefecture's
validation of one of its people."""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator, HITLOperator


class FourEyesApprovalOperator(ApprovalOperator):
    """An ApprovalOperator whose respondents are the compliance officers other than the
    requester and than those who approved already (`after_task_id`'s XCom), read at run time.
    The Airflow API refuses anyone else; the warehouse checks the respondent again before
    anything is deleted. No officer left to ask fails the step: nobody else may answer."""

    def __init__(self, *, request_task_id: str, after_task_id: str | None = None, **kwargs: Any) -> None:
        from datetime import timedelta

        # officers have the convention's 15 days to decide: the wait, and the task's own
        # timeout (which may count the deferred time), both end after 14
        kwargs.setdefault("response_timeout", timedelta(days=14))
        kwargs.setdefault("execution_timeout", kwargs["response_timeout"])
        super().__init__(**kwargs)
        self.request_task_id = request_task_id
        self.after_task_id = after_task_id

    def execute(self, context: Any) -> Any:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.access.auth_manager import respondent
        from tranquillite.compliance.approvals import approvers_for

        ti = context["ti"]
        request = ti.xcom_pull(task_ids=self.request_task_id) or {}
        already = (ti.xcom_pull(task_ids=self.after_task_id) or {}).get("approved_by", []) if self.after_task_id else []
        approvers = approvers_for(request.get("requested_by", ""), already=already)
        if not approvers:
            raise AirflowFailException(
                "no compliance officer left to approve (TRQ_COMPLIANCE_OFFICERS, less the requester and"
                " those who approved): nothing is deleted"
            )
        # by login: tranquillite.access.auth_manager.TranquilliteAuthManager knows them so
        self.assigned_users = [respondent(user) for user in approvers]
        return super().execute(context)


class _DecisionBySettingOperator(HITLOperator):
    """A decision answered in Airflow's Required actions only by the logins a setting names
    (read at run time); the warehouse records it only for a login registered from the same
    setting. Nobody named fails the step: nobody else may answer."""

    nobody = "no login is configured: nobody may decide"

    def __init__(self, **kwargs: Any) -> None:
        from datetime import timedelta

        kwargs.setdefault("response_timeout", timedelta(days=14))
        kwargs.setdefault("execution_timeout", kwargs["response_timeout"])
        super().__init__(**kwargs)

    def respondents(self) -> list[str]:
        raise NotImplementedError

    def execute(self, context: Any) -> Any:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.access.auth_manager import respondent

        users = self.respondents()
        if not users:
            raise AirflowFailException(self.nobody)
        self.assigned_users = [respondent(user) for user in users]
        return super().execute(context)


class DpoDecisionOperator(_DecisionBySettingOperator):
    """The DPO's decision on a schema change, by a login of TRQ_DPO_USERS."""

    nobody = "no DPO login is configured (TRQ_DPO_USERS): nobody may decide"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("options", ["Approve", "Reject"])
        super().__init__(**kwargs)

    def respondents(self) -> list[str]:
        from tranquillite.ingestion.governance import dpo_users

        return dpo_users()


class PrefectureValidationOperator(_DecisionBySettingOperator):
    """The prefecture's validation of one of its people, by a login of TRQ_PREFECTURE_VALIDATORS."""

    nobody = "no prefecture validator is configured (TRQ_PREFECTURE_VALIDATORS): nobody may validate"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("options", ["Validate", "Refuse"])
        super().__init__(**kwargs)

    def respondents(self) -> list[str]:
        from tranquillite.access.habilitations import prefecture_validators

        return prefecture_validators()
