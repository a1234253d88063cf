"""Interface text: Chinese first, English on the switch. Every label lives here once."""

from __future__ import annotations

from carbonpeak.reports.disclosure import CONFIDENTIAL, REASON_TEXT
from carbonpeak.tracking.method import tracking_method
from carbonpeak.web.portal_labels import PORTAL_LABELS

LANGUAGES = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    "app": ("宁东基地碳达峰管理平台", "Ningdong carbon-peak platform"),
    "overview": ("总览", "Overview"),
    "energy": ("能耗与排放", "Energy and carbon"),
    "enterprises": ("企业", "Enterprises"),
    "quality": ("监测数据质量", "Monitoring quality"),
    "tasks": ("任务看板", "Tasks"),
    "warnings": ("预警", "Warnings"),
    "assessment": ("考核", "Assessment"),
    "reports": ("报告", "Reports"),
    "scenarios": ("情景与达峰", "Scenarios and the peak"),
    "p5_p95": ("5%–95% 区间", "5–95 % range"),
    "p25_p75": ("25%–75% 区间", "25–75 % range"),
    "median": ("中位数", "Median"),
    "central": ("确定性路径", "Central path"),
    "actual": ("实际", "Actual"),
    "peak_year": ("峰值年份", "Peak year"),
    "peak_value": ("峰值", "Peak value"),
    "p_peak_2030": ("2030年前达峰概率", "P(peak by 2030)"),
    "not_peaked": ("期内未达峰", "not within the horizon"),
    "probability": ("概率", "Probability"),
    "peak_distribution": ("达峰年份分布", "Peak-year distribution"),
    "target_probability": ("目标实现概率", "Probability of meeting the targets"),
    "compare": ("情景比较", "Comparison"),
    "assumption": ("假设", "Assumption"),
    "base_year": ("基准年", "Base year"),
    "draws": ("模拟次数", "Draws"),
    "admin": ("用户管理", "Users"),
    "lineage": ("数据溯源", "Lineage"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "switch": ("English", "中文"),
    "targets": ("量化目标", "Quantitative targets"),
    "goals": ("定性目标", "Qualitative goals"),
    "clause": ("条款", "Clause"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"),
    "current": ("当前值", "Current value"),
    "trajectory": ("轨迹", "Trajectory"),
    "status": ("状态", "Status"),
    "lead_unit": ("牵头单位", "Lead unit"),
    "year": ("年份", "Year"),
    "period": ("期间", "Period"),
    "reasoning": ("依据", "Reasoning"),
    "synthetic": (
        "合成演示数据，非真实企业数据。",
        "Synthetic demo data, not real enterprise data.",
    ),
    "by_division": ("分行业", "By division"),
    "by_sector": ("分行业小类", "By sector"),
    "by_enterprise": ("分企业", "By enterprise"),
    "by_year": ("按年", "By year"),
    "by_month": ("按月", "By month"),
    "intensity": ("强度（较2020年）", "Intensity against 2020"),
    "energy_intensity": ("单位GDP能耗", "Energy intensity of GDP"),
    "co2_intensity": ("单位GDP二氧化碳排放", "CO2 intensity of GDP"),
    "vs_2020": ("较2020年", "vs 2020"),
    "submissions": ("报送记录", "Submissions"),
    "benchmark": ("能效对标", "Benchmarking"),
    "accounts": ("核算结果", "Accounts"),
    "monthly": ("月度", "Monthly"),
    "download": ("下载", "Download"),
    "annual_report": ("年度报告", "Annual report"),
    "monthly_report": ("月度报告", "Monthly report"),
    "name": ("名称", "Name"),
    "sector": ("行业", "Sector"),
    "role": ("角色", "Role"),
    "active": ("启用", "Active"),
    "add_user": ("新增用户", "Add user"),
    "new_token": ("生成API令牌", "New API token"),
    "client": ("客户端", "Client"),
    "submit": ("提交", "Submit"),
    "report_progress": ("报告进展", "Report progress"),
    "percent": ("完成度 %", "Complete %"),
    "summary": ("进展摘要", "Summary"),
    "milestone": ("下一节点", "Next milestone"),
    "due": ("截止日期", "Due"),
    "flags": ("提示", "Flags"),
    "score": ("得分", "Score"),
    "named": ("拟通报约谈", "To be named"),
    "no_data": ("暂无数据", "No data yet"),
    "load_demo": ("载入合成演示基地", "Load the synthetic demo base"),
    "empty_store": ("数据库为空", "The store is empty"),
    "create_admin": ("创建办公室管理员", "Create the office administrator"),
    "inputs": ("输入数据", "Inputs"),
    "method": ("方法", "Method"),
    "factors": ("因子与参数", "Factors and parameters"),
    "factor_set": ("因子集", "Factor set"),
    "source": ("来源", "Source"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "deactivate": ("停用", "Deactivate"),
    "activate": ("启用", "Activate"),
    "token_once": ("令牌只显示一次，请妥善保存：", "The token is shown once; keep it safe:"),
    "meters": ("计量器具", "Meters"),
    "completeness": ("完整率 %", "Completeness %"),
    "gaps": ("缺失", "Gaps"),
    "flat": ("长时间不变", "Flatlines"),
    "implausible": ("异常值", "Implausible"),
    "calibration": ("检定过期", "Calibration overdue"),
    "recipients": ("通知对象", "Sent to"),
    "forecast": ("全年预测", "Forecast"),
    "budget": ("预算", "Budget"),
    "used": ("已用", "Used"),
    "level": ("级别", "Level"),
    "energy_tce": ("能源消费量 万tce", "Energy 万tce"),
    "co2_wt": ("二氧化碳净排放 万tCO2", "Net CO2 万tCO2"),
    "process_wt": ("过程排放 万tCO2", "Process CO2 万tCO2"),
    "gross_tce": ("综合能源消费量 万tce", "Gross energy 万tce"),
    "reduction": ("累计下降", "reduction"),
    "report_indicator": ("指标报送", "Report an indicator"),
    "reason": ("更正原因", "Reason for a correction"),
    "budget_ok": ("正常", "Normal"),
    "budget_watch": ("关注", "Watch"),
    "budget_warning": ("预警", "Warning"),
    "budget_exceeded": ("超出", "Over"),
    "confidential": CONFIDENTIAL,
    "confidential_note": (
        "标“保密”的数据由个别企业的数据构成，按统计保密规则不予公开。",
        "Figures marked confidential are made of a few enterprises' data and are not shown "
        "(disclosure control).",
    ),
    "confidential_office": (
        "标“保密”的数据仅办公室可见：其他角色看到的是“保密”。",
        "Figures marked confidential are the office's only: other roles see “confidential”.",
    ),
    "confidential_reasoning": (
        "保密：由个别企业的数据构成，不予公开。",
        "Confidential: made of a few enterprises' data.",
    ),
    **{f"reason_{reason.value}": text for reason, text in REASON_TEXT.items()},
    "public_edition": ("公开版", "public edition"),
    "report_editions": (
        "办公室版保留全部数据并标明“保密”单元格；公开版以“保密”代替这些数据，可对外发布。",
        "The office edition keeps every figure and marks the confidential cells; the public "
        "edition withholds them and may be published.",
    ),
    **PORTAL_LABELS,  # the inbox and the public portal (web/portal_labels.py)
}

# Target statuses from the one vocabulary (data/methods/tracking.yaml); goal statuses after.
STATUS: dict[str, tuple[str, str]] = {
    **{key: (info.zh, info.en) for key, info in tracking_method().statuses.items()},
    **tracking_method().goal_statuses,
}


def label(key: str, language: str) -> str:
    """A label in ``language``; a key with no entry shows as itself, so a gap is visible.

    >>> label("overview", "zh"), label("overview", "en"), label("pending", "en")
    ('总览', 'Overview', 'Pending')
    """
    pair = LABELS.get(key) or STATUS.get(key)
    if pair is None:
        return key
    return pair[1] if language == "en" else pair[0]
