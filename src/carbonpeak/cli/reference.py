"""`carbonpeak reference`: the versioned reference datasets."""

from __future__ import annotations

from typing import Annotated

import typer

from carbonpeak.cli.output import FormatOption, OutputFormat, emit
from carbonpeak.factors import load_all, load_dataset

reference_app = typer.Typer(
    help="参考数据 Reference data: coefficients, factors, levels.", no_args_is_help=True
)


@reference_app.command("list")
def reference_list(fmt: FormatOption = OutputFormat.table) -> None:
    """参考数据清单 List reference datasets with edition, validity and verification status."""
    rows = []
    for dataset in load_all():
        statuses = [record.status.value for record in dataset.records]
        rows.append(
            {
                "kind": dataset.kind.value,
                "dataset": dataset.version,
                "document": dataset.document,
                "valid_from": str(dataset.valid_from),
                "valid_to": str(dataset.valid_to) if dataset.valid_to else None,
                "records": len(dataset.records),
                "verified": statuses.count("verified"),
                "secondary": statuses.count("secondary"),
                "unverified": statuses.count("unverified"),
                "sha256": dataset.sha256,
            }
        )
    emit(
        rows,
        fmt,
        [
            ("kind", "类别 Kind"),
            ("dataset", "数据集 Dataset"),
            ("valid_from", "起 From"),
            ("valid_to", "止 To"),
            ("records", "条 Records"),
            ("verified", "已核 Verified"),
            ("secondary", "二手 Secondary"),
            ("unverified", "未核 Unverified"),
        ],
        "参考数据 Reference data",
    )


@reference_app.command("show")
def reference_show(
    dataset: Annotated[str, typer.Argument(help="Dataset id, e.g. gbt2589.")],
    edition: Annotated[str | None, typer.Option(help="Edition (default: newest).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """参考数据明细 Show one dataset's records with status, source and validity."""
    found = load_dataset(dataset, edition)
    rows = [record.model_dump(mode="json", exclude_none=True) for record in found.records]
    emit(
        rows,
        fmt,
        [
            ("key", "键 Key"),
            ("name_zh", "名称"),
            ("status", "状态 Status"),
            ("valid_from", "起 From"),
            ("valid_to", "止 To"),
            ("source", "来源 Source"),
        ],
        f"{found.title_zh or ''} {found.version}",
    )
