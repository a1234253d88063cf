"""`carbonpeak scenario`: projections, comparisons and IAMC exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, emit_json
from carbonpeak.demo import SYNTHETIC_NOTE
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.scenarios import iamc_table, load_scenario, scenario_ids
from carbonpeak.services.review_scenario import scenario_with_library
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import run as run_scenario
from carbonpeak.services.scenarios import run_scenario as run_scenario_object
from carbonpeak.services.scenarios import summary as scenario_summary

scenario_app = typer.Typer(
    help="情景 Scenarios: projections from the accounted base year, with uncertainty.",
    no_args_is_help=True,
)


DrawsOption = Annotated[
    int, typer.Option("--draws", min=1, max=200_000, help="Monte Carlo trajectories.")
]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed, the same draws.")]


@scenario_app.command("list")
def scenario_list_command(fmt: FormatOption = OutputFormat.table) -> None:
    """情景列表 The scenario files, with their parents and versions."""
    rows = []
    for name in scenario_ids():
        scenario = load_scenario(name)
        rows.append(
            {
                "id": scenario.id,
                "parent": scenario.parent or "",
                "version": scenario.version,
                "title_zh": scenario.title_zh,
                "title_en": scenario.title_en,
                "horizon": scenario.horizon,
                "projects": len(scenario.projects),
            }
        )
    emit(
        rows,
        fmt,
        [
            ("id", "情景 Scenario"),
            ("parent", "继承 Parent"),
            ("version", "版本 Version"),
            ("title_zh", "名称"),
            ("title_en", "Title"),
            ("horizon", "至 Horizon"),
            ("projects", "项目 Projects"),
        ],
        "情景 Scenarios",
    )


def _peak_year_text(year: int | None) -> str:
    return str(year) if year is not None else "no peak by the horizon 期内未达峰"


@scenario_app.command("run")
def scenario_run_command(
    name: Annotated[str, typer.Argument(help="Scenario id, e.g. baseline.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
    fmt: FormatOption = OutputFormat.table,
    with_library: Annotated[
        bool,
        typer.Option(
            "--with-library",
            help="Add the major-project library's approved projects not yet in operation "
            "(carbonpeak project list) after the scenario's own pipeline.",
        ),
    ] = False,
) -> None:
    """情景模拟 Project a scenario from the accounted base year: peak year and value,
    P(peak ≤ 2030), and the probability of meeting each 2025 and 2030 target."""
    plan = load_plan().plan
    engine = open_database()
    if with_library:
        scenario = scenario_with_library(engine, plan, name)
        ran = run_scenario_object(engine, plan, scenario, draws, seed)
    else:
        ran = run_scenario(engine, plan, name, draws, seed)
    result = scenario_summary(ran, plan)
    if fmt is OutputFormat.json:
        payload = {**result, "synthetic_note": SYNTHETIC_NOTE}
        emit_json(payload, default=str)
        return
    peak_text = (
        f"{result['peak_year']} ({result['peak_value']:,.0f} 万tCO2)"
        if result["peak_year"]
        else "not within the horizon 期内未达峰"
    )
    console.print(
        f"{result['title_zh']} {result['title_en']} · base year {result['base_year']} · "
        f"{result['draws']} draws\n"
        f"central path peak 峰值: {peak_text}\n"
        f"P(peak ≤ 2030) 2030年前达峰概率: {result['p_peak_by_2030']:.1%}\n"
        f"peak year over all draws 达峰年份 p50 [p5–p95]: "
        f"{_peak_year_text(result['peak_year_percentiles']['p50'])} "
        f"[{_peak_year_text(result['peak_year_percentiles']['p5'])}–"
        f"{_peak_year_text(result['peak_year_percentiles']['p95'])}]\n"
        f"{result['anchored_to']}",
        highlight=False,
    )
    rows = [
        {
            **t,
            "goal": f"{t['comparator']} {t['value']:g} {t['unit']}",
            "p": f"{t['probability']:.1%}" + (" (actual)" if t["actual"] else ""),
        }
        for t in result["targets"]
    ]
    emit(
        rows,
        fmt,
        [
            ("clause", "条款 Clause"),
            ("indicator", "指标 Indicator"),
            ("year", "年 Year"),
            ("goal", "目标 Target"),
            ("median", "中位数 Median"),
            ("p", "概率 Probability"),
        ],
        f"目标实现概率 Probability of meeting the targets · {SYNTHETIC_NOTE}",
    )


@scenario_app.command("compare")
def scenario_compare_command(
    names: Annotated[list[str], typer.Argument(help="Two or more scenario ids.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """情景比较 Scenarios side by side, and the diff of their assumptions against the first."""
    if len(names) < 2:
        raise InvalidInput(message("error.two_scenarios"))
    plan = load_plan().plan
    result = compare_scenarios(open_database(), plan, names, draws, seed)
    if fmt is OutputFormat.json:
        emit_json(result, default=str)
        return
    rows = [
        {
            **s,
            "co2_2030": f"{result['co2_2030'][s['scenario']]['p50']:,.0f} "
            f"[{result['co2_2030'][s['scenario']]['p5']:,.0f}–"
            f"{result['co2_2030'][s['scenario']]['p95']:,.0f}]",
            "p": f"{s['p_peak_by_2030']:.1%}",
        }
        for s in result["scenarios"]
    ]
    emit(
        rows,
        fmt,
        [
            ("scenario", "情景 Scenario"),
            ("parent", "继承 Parent"),
            ("peak_year", "峰值年 Peak year"),
            ("peak_value", "峰值 Peak 万tCO2"),
            ("p", "P(≤2030)"),
            ("co2_2030", "2030 CO2 p50 [p5–p95]"),
        ],
        "情景比较 Scenario comparison",
    )
    for block in result["assumptions"]:
        emit(
            [
                {"assumption": d["assumption"], "a": d[block["against"]], "b": d[block["scenario"]]}
                for d in block["differences"]
            ],
            fmt,
            [("assumption", "假设 Assumption"), ("a", block["against"]), ("b", block["scenario"])],
            f"假设差异 Assumptions: {block['scenario']} against {block['against']}",
        )


@scenario_app.command("export")
def scenario_export_command(
    names: Annotated[list[str], typer.Argument(help="Scenario ids.")],
    output: Annotated[Path, typer.Option(help="IAMC file to write: .xlsx or .csv.")],
    draws: DrawsOption = 2000,
    seed: SeedOption = 20231101,
) -> None:
    """导出 Export scenarios in the IAMC format (readable by pyam): median, 5th and 95th
    percentiles of CO2, energy, coal, capture, new-energy and hydrogen capacity, GDP."""
    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise InvalidInput(message("error.output_table_file", found=output.name))
    plan = load_plan().plan
    engine = open_database()
    runs = [run_scenario(engine, plan, name, draws, seed) for name in names]
    table = iamc_table([(r.scenario.id, r.base, r.draws) for r in runs])
    if output.suffix.lower() == ".csv":
        table.to_csv(output, index=False)
    else:
        table.to_excel(output, index=False, sheet_name="data")
    console.print(f"{output}: {len(table)} rows, {len(names)} scenarios", highlight=False)
