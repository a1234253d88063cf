"""The carbon-peak implementation plan as data."""

from carbonpeak.plan.io import PlanDocument, default_plan_path, load_plan, parse_plan, read_plan
from carbonpeak.plan.model import (
    Action,
    ActionKind,
    Comparator,
    Direction,
    Goal,
    GoalKind,
    Indicator,
    Measure,
    Organisation,
    OrganisationKind,
    Plan,
    PlanInfo,
    Restatement,
    Strength,
    Target,
    Task,
    ValueSource,
)
from carbonpeak.plan.rules import compact, validate_plan
from carbonpeak.plan.tables import goal_rows, target_rows, task_rows

__all__ = [
    "Action",
    "ActionKind",
    "Comparator",
    "Direction",
    "Goal",
    "GoalKind",
    "Indicator",
    "Measure",
    "Organisation",
    "OrganisationKind",
    "Plan",
    "PlanDocument",
    "PlanInfo",
    "Restatement",
    "Strength",
    "Target",
    "Task",
    "ValueSource",
    "compact",
    "default_plan_path",
    "goal_rows",
    "load_plan",
    "parse_plan",
    "read_plan",
    "target_rows",
    "task_rows",
    "validate_plan",
]
