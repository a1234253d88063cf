"""The command line assembled from its modules lists the same commands, in the same order, as
the single module it was split from (issue 14)."""

from typer.main import get_command

from carbonpeak.cli import app

TOP_LEVEL = [
    "account", "demo", "ingest", "template", "review", "submit", "enterprises",
    "report-indicator", "decompose", "track", "indicators", "warnings", "budget", "assess",
    "serve", "report",
]  # fmt: skip
GROUPS = {
    "plan": ["validate", "show", "targets", "tasks", "goals", "register"],
    "db": ["upgrade"],
    "reference": ["list", "show"],
    "publication": ["publish", "list", "restate"],
    "audit": ["verify", "checkpoint"],
    "task": ["report", "board"],
    "monitor": ["subscribe", "ingest", "activity", "quality"],
    "scenario": ["list", "run", "compare", "export"],
    "user": ["add", "list", "token", "deactivate", "unlock"],
    "project": [
        "add",
        "list",
        "stage",
        "review",
        "accept",
        "progress",
        "opinion",
        "closure",
        "retrofit-done",
    ],
    "registry": [
        "add",
        "change",
        "close",
        "history",
        "template",
        "import",
        "key-units",
        "queue",
        "remind",
    ],
    "notices": ["list", "send-due", "contact"],
    "publish": ["indicators", "list"],
}


def test_every_command_is_where_it_was_and_in_its_place_in_the_help() -> None:
    root = get_command(app)
    assert list(root.commands) == TOP_LEVEL + list(GROUPS)  # type: ignore[attr-defined]
    for group, commands in GROUPS.items():
        assert list(root.commands[group].commands) == commands, group  # type: ignore[attr-defined]
    assert sum(map(len, GROUPS.values())) + len(TOP_LEVEL) == 68
