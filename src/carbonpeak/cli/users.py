"""`carbonpeak user`: accounts and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import FormatOption, OutputFormat, console, emit
from carbonpeak.services.accounts import (
    Role,
    add_user,
    create_token,
    set_active,
    users,
)

user_app = typer.Typer(help="用户 Accounts and API tokens.", no_args_is_help=True)


@user_app.command("add")
def user_add_command(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[Role, typer.Option(help="admin, unit, enterprise or viewer.")],
    organisation: Annotated[
        str | None, typer.Option(help="A unit's organisation: id or Chinese name.")
    ] = None,
    enterprise: Annotated[str | None, typer.Option(help="An enterprise's code.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """新增用户 Create an account; the password is asked for (hidden) unless piped in."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("密码 Password", hide_input=True, confirmation_prompt=True)
    )
    made = add_user(
        open_database(),
        username,
        password,
        role,
        display_name=name,
        organisation=organisation,
        enterprise=enterprise,
    )
    console.print(f"{made.username}: {made.role.value}", highlight=False)


@user_app.command("list")
def user_list_command(fmt: FormatOption = OutputFormat.table) -> None:
    """用户列表 Every account and its number of live API tokens."""
    emit(
        users(open_database()),
        fmt,
        [
            ("username", "用户名 User"),
            ("display_name", "名称 Name"),
            ("role", "角色 Role"),
            ("organisation", "单位 Unit"),
            ("enterprise", "企业 Enterprise"),
            ("active", "启用 Active"),
            ("locked", "锁定 Locked"),
            ("tokens", "令牌 Tokens"),
        ],
        "用户 Users",
    )


@user_app.command("token")
def user_token_command(
    username: Annotated[str, typer.Argument(help="The account the client acts as.")],
    client: Annotated[str, typer.Option(help="The client's name, e.g. gateway-01.")],
) -> None:
    """API 令牌 A new per-client API token, printed once (only its hash is stored)."""
    token = create_token(open_database(), username, client, "cli")
    sys.stdout.write(token + "\n")


@user_app.command("deactivate")
def user_deactivate_command(
    username: Annotated[str, typer.Argument(help="The account to deactivate.")],
) -> None:
    """停用 Deactivate an account; its sessions end at once."""
    set_active(open_database(), username, False, "cli")
    console.print(f"{username}: deactivated", highlight=False)


@user_app.command("unlock")
def user_unlock_command(
    username: Annotated[str, typer.Argument(help="The account whose pauses to lift.")],
) -> None:
    """解除暂停 Lift every sign-in pause of an account (from any address)."""
    from carbonpeak.services.logins import unlock

    paused = unlock(open_database(), username, "cli")
    console.print(f"{username}: unlocked ({paused} paused address(es))", highlight=False)
