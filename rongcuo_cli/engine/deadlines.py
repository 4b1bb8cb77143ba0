"""Procedure deadlines: each step's due date from the case's dates, and whether it was met."""

from __future__ import annotations

import datetime as dt

from rongcuo_cli.model.case import Dates
from rongcuo_cli.model.identity_cache import IdentityCache, remember
from rongcuo_cli.model.ruleset import Deadline, ProcedureStep
from rongcuo_cli.model.ruling import DeadlineStatus, ProcedureStepStatus

DATE_LABELS = {name: field.description for name, field in Dates.model_fields.items()}


def procedure_status(steps: list[ProcedureStep], dates: Dates) -> list[ProcedureStepStatus]:
    """The steps as a ruling carries them; a step without a deadline is passed on as it is (no copy per ruling)."""
    return [_with_status(step, dates) for step in steps]


def _with_status(step: ProcedureStep, dates: Dates) -> ProcedureStepStatus:
    deadline = step.deadline
    if deadline is None and isinstance(step, ProcedureStepStatus):
        return step
    # A step's status depends only on its two dates: cases sharing them share the step (a batch has few).
    key = (getattr(dates, deadline.after), getattr(dates, deadline.actual) if deadline.actual else None) if deadline else None
    known = _statuses(step)
    found = known.get(key)
    if found is None:
        status = _status(deadline, dates) if deadline else None
        if isinstance(step, ProcedureStepStatus):
            found = step.model_copy(update={"status": status})
        else:
            found = ProcedureStepStatus.model_validate(step.model_dump() | {"status": status})
        remember(known, key, found, _STATUSES_PER_STEP)
    return found


_STATUSES_PER_STEP = 4096
_statuses: IdentityCache[ProcedureStep, dict[object, ProcedureStepStatus]] = IdentityCache(lambda step: {}, 256)


def alerts(steps: list[ProcedureStepStatus]) -> list[str]:
    """A line for every step known to be late."""
    return [f"{step.title}逾期：{step.status.text}" for step in steps if step.status and step.status.timely is False]


def _status(deadline: Deadline, dates: Dates) -> DeadlineStatus:
    start = getattr(dates, deadline.after)
    actual = getattr(dates, deadline.actual) if deadline.actual else None
    due = None
    counted = f"{DATE_LABELS[deadline.after]}后 {deadline.working_days} 个工作日内"
    if start is None:
        text = f"期限为{counted}；案件未写明{DATE_LABELS[deadline.after]}，无法计算"
    else:
        # Imported here: the holiday calendar is only loaded when a case gives a start date.
        from rongcuo_cli.engine.workdays import OutsideCalendar, add_working_days

        try:
            due = add_working_days(start, deadline.working_days)
        except OutsideCalendar as gap:
            text = f"期限为{counted}；{gap}"
            # N working days never end before N calendar days: an act within those is on time whatever the holidays.
            if actual is not None and actual <= start + dt.timedelta(days=deadline.working_days):
                return DeadlineStatus(
                    after=deadline.after, start=start, working_days=deadline.working_days, due=None,
                    actual_key=deadline.actual, actual=actual, timely=True,
                    text=text + f"；{DATE_LABELS[deadline.actual]} {actual.isoformat()} 在起算日后 {deadline.working_days} 个自然日内，无论节假日如何安排都按期",
                )
        else:
            text = f"期限为{counted}（自 {start.isoformat()} 次日起算，跳过周末和法定节假日，调休上班日计入），截止 {due.isoformat()}"
    timely = None if due is None or actual is None else actual <= due
    if deadline.actual and due is not None:
        what = DATE_LABELS[deadline.actual]
        text += {
            None: f"；案件未写明{what}（dates.{deadline.actual}），无法判断是否按期",
            True: f"；{what} {actual.isoformat() if actual else ''}，按期",
            False: f"；{what} {actual.isoformat() if actual else ''}，已逾期",
        }[timely]
    return DeadlineStatus(
        after=deadline.after, start=start, working_days=deadline.working_days, due=due,
        actual_key=deadline.actual, actual=actual, timely=timely, text=text,
    )
