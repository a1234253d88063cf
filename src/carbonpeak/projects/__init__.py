"""Major projects (重大项目库, 六(三)), their energy and carbon review (三(二)1, 三(三)2-5), the
two-high list, one-enterprise-one-plan retrofits and the budget pool: the pure core."""

from carbonpeak.projects.acceptance import Acceptance, accept
from carbonpeak.projects.energy import ProjectFigures, project_activity, project_figures
from carbonpeak.projects.model import (
    STAGE_ORDER,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    EnergyLine,
    Project,
    ProjectKind,
    Stage,
    StageDate,
    WorkPlan,
    load_project,
    parse_project,
)
from carbonpeak.projects.pool import KINDS, LedgerEntry, PoolYear, pool_year
from carbonpeak.projects.reference import (
    ReviewRules,
    TwoHighList,
    label,
    review_rules,
    two_high_list,
)
from carbonpeak.projects.retrofit import Milestone, RetrofitPlan, retrofit_status
from carbonpeak.projects.review import (
    Reason,
    Review,
    ScenarioEffect,
    TargetEffect,
    decide,
    review_project,
)
from carbonpeak.projects.scenario import scenario_project, with_project
from carbonpeak.projects.twohigh import Disposal, dispose

__all__ = [
    "KINDS",
    "STAGE_ORDER",
    "Acceptance",
    "Approval",
    "ApprovalKind",
    "ApprovalStatus",
    "Disposal",
    "EnergyLine",
    "LedgerEntry",
    "Milestone",
    "PoolYear",
    "Project",
    "ProjectFigures",
    "ProjectKind",
    "Reason",
    "RetrofitPlan",
    "Review",
    "ReviewRules",
    "ScenarioEffect",
    "Stage",
    "StageDate",
    "TargetEffect",
    "TwoHighList",
    "WorkPlan",
    "accept",
    "decide",
    "dispose",
    "label",
    "load_project",
    "parse_project",
    "pool_year",
    "project_activity",
    "project_figures",
    "retrofit_status",
    "review_project",
    "review_rules",
    "scenario_project",
    "two_high_list",
    "with_project",
]
