"""`carbonpeak notices`: the inbox from the command line, and the notices due on a day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit, emit_json
from carbonpeak.errors import InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import load_plan
from carbonpeak.services.notice_events import send_due
from carbonpeak.services.notices import RECIPIENT_KINDS, Recipient, list_notices, set_contact

notices_app = typer.Typer(help="通知 Notices: the inbox and e-mail.", no_args_is_help=True)


def _recipient(kind: str | None, recipient: str | None) -> list[Recipient] | None:
    if kind is None and recipient is None:
        return None
    if kind not in RECIPIENT_KINDS or (kind != "office" and not recipient):
        raise InvalidInput(
            message("error.recipient_kind", kinds=", ".join(RECIPIENT_KINDS), found=kind)
        )
    return [Recipient(kind, recipient or "office")]


@notices_app.command("list")
def notices_list(
    to: Annotated[
        str | None, typer.Option("--to", help="Recipient kind: office, organisation, enterprise.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option(help="Organisation id or enterprise code.")
    ] = None,
    unread: Annotated[bool, typer.Option("--unread", help="Only unread notices.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """通知清单 List notices, newest first (all, or one recipient's)."""
    rows = list_notices(open_database(), _recipient(to, recipient), unread, limit=1000)
    emit(
        rows,
        fmt,
        [
            ("id", "#"),
            ("created_at", "时间 at"),
            ("kind", "类别 kind"),
            ("recipient", "收件人 to"),
            ("subject_zh", "主题 subject"),
            ("read", "已读 read"),
            ("mail_state", "邮件 mail"),
        ],
        "通知 Notices",
    )


@notices_app.command("send-due")
def notices_send_due(
    on: Annotated[
        str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """到期通知 Make the notices due on a day (deadlines, overdue reports and tasks, warnings)
    that were not made yet, and mail them where SMTP is configured."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError as exc:
        raise InvalidInput(message("error.date_format", option="--date", found=on)) from exc
    made = send_due(open_database(), load_plan().plan, day)
    if fmt is OutputFormat.json:
        emit_json(made)
        return
    console.print(
        f"{made['day']}: 报送期限 deadlines {made['deadlines']}, 逾期任务 overdue tasks "
        f"{made['overdue_tasks']}, 预算预警 budget warnings {made['budget_warnings']}, "
        f"目标预警 target warnings {made['target_warnings']}, 重发邮件 mails re-sent "
        f"{made['mail_retried']}",
        highlight=False,
    )


@notices_app.command("contact")
def notices_contact(
    to: Annotated[str, typer.Argument(help="office, organisation or enterprise.")],
    recipient: Annotated[str, typer.Argument(help="Organisation id, enterprise code, or office.")],
    address: Annotated[str, typer.Argument(help="E-mail address (empty: remove).")],
    actor: Annotated[str, typer.Option(help="Who sets it.")] = "cli",
) -> None:
    """邮件地址 Set the e-mail address a recipient's notices go to."""
    set_contact(open_database(), Recipient(to, recipient), address, actor)
    console.print(f"{to}:{recipient} → {address or '—'}", highlight=False)
