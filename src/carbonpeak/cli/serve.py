"""`carbonpeak serve`: the dashboard and the API over the configured store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from carbonpeak.cli.demo import load_demo_with_progress
from carbonpeak.cli.inputs import open_database
from carbonpeak.cli.output import errors
from carbonpeak.plan import load_plan
from carbonpeak.services.demo import demo_accounts
from carbonpeak.services.registry import enterprises
from carbonpeak.services.store import data_directory
from carbonpeak.services.telemetry import telemetry_store
from carbonpeak.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

commands = typer.Typer()


DEMO_ACCOUNTS_FILE = "demo-accounts.txt"
# The defaults of the settings table (CARBONPEAK_HOST, CARBONPEAK_PORT).
DEFAULT_HOST: str = Settings.model_fields["host"].default
DEFAULT_PORT: int = Settings.model_fields["port"].default
DEFAULT_WORKERS: int = Settings.model_fields["workers"].default
# What each server process imports to build its app (uvicorn's factory).
APP_FACTORY = "carbonpeak.cli.serve:build_app"


def build_app() -> FastAPI:
    """The app over the configured store, built from the settings in each server process (a
    worker of `serve --workers N` opens its own database connections)."""
    from carbonpeak.web import create_app

    engine = open_database()
    telemetry = telemetry_store()
    return create_app(
        lambda: engine,
        lambda: telemetry,
        load_plan().plan,
        lambda: load_demo_with_progress(engine, telemetry),
    )


@commands.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option(envvar="CARBONPEAK_HOST", help="Address to listen on.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(envvar="CARBONPEAK_PORT", help="Port to listen on.")] = (
        DEFAULT_PORT
    ),
    demo: Annotated[
        bool, typer.Option(help="Load the synthetic demo base and its four accounts if absent.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            envvar="CARBONPEAK_WORKERS", min=1, help="Server processes, each with its own app."
        ),
    ] = DEFAULT_WORKERS,
) -> None:
    """服务 The dashboard (/) and the API (/api/v1, OpenAPI at /docs) over the configured store.
    On an empty store the set-up page offers the demo base and creates the first administrator."""
    import uvicorn

    engine = open_database()
    telemetry = telemetry_store()
    if demo:
        if enterprises(engine).empty:
            load_demo_with_progress(engine, telemetry)
        created = demo_accounts(engine)
        accounts_file = data_directory() / DEMO_ACCOUNTS_FILE
        if created:
            accounts_file.parent.mkdir(parents=True, exist_ok=True)
            accounts_file.touch(mode=0o600)
            with accounts_file.open("a", encoding="utf-8") as handle:
                for username, password, role in created:
                    handle.write(f"{username}\t{password}\t{role}\n")
        if accounts_file.exists():
            errors.print(
                f"演示账户 Demo accounts (synthetic data), from {accounts_file}:", highlight=False
            )
            errors.print(accounts_file.read_text(encoding="utf-8").rstrip(), highlight=False)
    engine.dispose()  # each server process opens its own (build_app)
    errors.print(
        f"carbonpeak dashboard on http://{host}:{port}/ · API http://{host}:{port}/docs",
        highlight=False,
    )
    # The app reads X-Forwarded-For itself, only from CARBONPEAK_TRUSTED_PROXIES.
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
    )
