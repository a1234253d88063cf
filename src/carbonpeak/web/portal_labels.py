"""Labels of the inbox and the public portal (Chinese first), merged into ``web.i18n.LABELS``."""

from __future__ import annotations

PORTAL_LABELS: dict[str, tuple[str, str]] = {
    "inbox": ("通知", "Inbox"),
    "unread": ("未读", "unread"),
    "mark_read": ("标为已读", "Mark read"),
    "read": ("已读", "Read"),
    "no_notices": ("暂无通知", "No notices"),
    "notice_at": ("时间", "Received"),
    "notice_kind": ("类别", "Kind"),
    "notice_subject": ("主题", "Subject"),
    "notice_mail": ("邮件", "E-mail"),
    "open_link": ("前往处理", "Open"),
    "only_unread": ("只看未读", "Unread only"),
    "all_notices": ("全部", "All"),
    "inbox_intro": (
        "预警、退回的报告、逾期任务和报送期限通知发送到方案或企业名录指定的接收单位；"
        "已配置邮件服务器时同时发送邮件。",
        "Warnings, returned reports, overdue tasks and reporting deadlines reach the recipient "
        "the plan or the registry names; by e-mail as well where a mail server is configured.",
    ),
    "kind_returned": ("报告退回", "Report returned"),
    "kind_report_due": ("报送提醒", "Report due"),
    "kind_report_overdue": ("报送逾期", "Report overdue"),
    "kind_late_reporters": ("逾期未报企业", "Late reporters"),
    "kind_task_overdue": ("任务逾期", "Task overdue"),
    "kind_budget_warning": ("预算预警", "Budget warning"),
    "kind_budget_level": ("预算预警", "Budget warning"),
    "kind_target_warning": ("目标预警", "Target warning"),
    "mail_none": ("—", "—"),
    "mail_sent": ("已发送", "sent"),
    "mail_failed": ("发送失败", "failed"),
    "portal": ("信息公开", "Public portal"),
    "portal_title": ("宁东基地碳达峰信息公开", "Ningdong carbon peak: open data"),
    "portal_home": ("首页", "Home"),
    "portal_targets": ("目标与进展", "Targets and progress"),
    "portal_indicators": ("指标趋势", "Indicator trends"),
    "portal_plan": ("实施方案", "The plan"),
    "portal_versions": ("发布版本", "Published versions"),
    "portal_intro": (
        "依据《宁东能源化工基地碳达峰实施方案》三(九)“切实保障人民群众的知情权、参与权和监督权”"
        "与五(四)信息披露要求，本页公开基地碳达峰目标的进展和主要指标。"
        "所示数据均为碳达峰办公室已发布的版本；发布后不再修改，更正以新版本发布并说明原因。",
        "Under clause 三(九) of the Ningdong carbon-peak plan (the public's right to know, take "
        "part and oversee) and the disclosure duties of 五(四), this portal shows the progress "
        "of the base's carbon-peak targets and its main indicators. Every figure is one the "
        "carbon-peak office has published; a published version never changes, and a correction "
        "is a new version with its reason.",
    ),
    "portal_nothing": ("尚未发布数据。", "Nothing has been published yet."),
    "portal_published": ("发布", "Published"),
    "portal_version": ("版本", "Version"),
    "portal_period": ("数据年度", "Data year"),
    "portal_as_of": ("评估日期", "Judged on"),
    "portal_latest": ("最新版本", "Latest version"),
    "portal_supersedes": ("替代版本", "Supersedes"),
    "portal_reason": ("更正原因", "Reason"),
    "portal_view": ("查看", "View"),
    "portal_downloads": ("下载本页数据", "Download this page's data"),
    "portal_not_latest": (
        "这是较早的发布版本，已被新版本替代。",
        "This is an earlier published version; a later one supersedes it.",
    ),
    "portal_confidential_note": (
        "按统计保密规则，由个别企业数据构成的数值不予公开。",
        "Values made of a few enterprises' data are not published (disclosure control).",
    ),
    "portal_target_value": ("目标值", "Target"),
    "portal_value_year": ("数据年份", "Data year"),
    "portal_actions": ("重点行动", "Actions"),
    "portal_task": ("任务", "Task"),
    "portal_responsible": ("责任单位", "Responsible units"),
    "portal_clause_targets": ("量化目标", "Quantitative targets"),
    "portal_issued": ("印发", "Issued"),
    "portal_signin": ("工作人员登录", "Staff sign-in"),
    "portal_status_counts": ("目标状态", "Target statuses"),
    "publish": ("发布", "Publish"),
    "source_accounted": ("核算（企业月报）", "Accounted (enterprise reports)"),
    "source_reported": ("报送", "Reported by"),
    "portal_open_data": ("开放数据", "Open data"),
    "portal_all_indicators": ("全部指标", "All indicators"),
}
