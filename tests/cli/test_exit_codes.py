"""Exit codes come from the error vocabulary, one table (cli/errors.py) for every command, and
the message on stderr is the error's sentence, not its repr."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.cli.errors import EXIT_CODES, ExitCode, VocabularyGroup, exit_code_of
from carbonpeak.errors import Conflict, Forbidden, InvalidInput, NotFound
from carbonpeak.plan import PlanDocument
from carbonpeak.reports import MissingCJKFont
from carbonpeak.services.submissions import SubmissionConflict, SubmissionNotFound
from carbonpeak.services.tasks import NotResponsibleForTask

runner = CliRunner()


@pytest.fixture(autouse=True)
def private_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def test_the_table_gives_each_error_of_the_vocabulary_its_code() -> None:
    assert exit_code_of(InvalidInput("x")) == ExitCode.INVALID_INPUT == 1
    assert exit_code_of(NotFound("x")) == ExitCode.NOT_FOUND == 2
    assert exit_code_of(Forbidden("x")) == ExitCode.FORBIDDEN == 3
    assert exit_code_of(Conflict("x")) == ExitCode.CONFLICT == 4
    # A service's error that is two things gets the first of them in its MRO.
    assert exit_code_of(SubmissionNotFound("no submission 9")) == 2
    assert exit_code_of(NotResponsibleForTask("not yours")) == 3
    assert exit_code_of(SubmissionConflict("changed meanwhile")) == 4
    # Anything else is a bug and keeps its traceback.
    assert exit_code_of(RuntimeError("bug")) is None
    assert exit_code_of(MissingCJKFont("no Chinese font")) == 5  # Unavailable
    assert {code for code, _ in EXIT_CODES.values()} == {1, 2, 3, 4, 5}


def test_the_root_group_ends_any_command_with_the_code_and_the_sentence() -> None:
    probe = typer.Typer(cls=VocabularyGroup)

    @probe.command("clash")
    def clash() -> None:
        raise Conflict("changed by another clerk at the same moment; nothing written")

    @probe.command("lookup")
    def lookup() -> None:
        raise KeyError("no record 'x'")

    clashed = runner.invoke(probe, ["clash"])
    assert clashed.exit_code == 4
    assert "changed by another clerk at the same moment; nothing written" in clashed.stderr
    looked_up = runner.invoke(probe, ["lookup"])
    assert looked_up.exit_code == 2
    assert "error: no record 'x'" in looked_up.stderr  # not the KeyError repr "\"no record…\""


def test_not_found_is_2_with_a_sentence() -> None:
    result = runner.invoke(app, ["reference", "show", "nothing"])
    assert result.exit_code == 2
    assert "error: no reference dataset 'nothing'" in result.stderr
    assert '"no reference' not in result.stderr


def test_invalid_input_is_1_with_a_sentence_in_the_cli_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from carbonpeak.settings import settings

    both = ["report", "--year", "2023", "--month", "2023-01"]
    for language, said in (
        ("zh", "错误 error: 请指定 --month YYYY-MM 或 --year YYYY（二者选一）"),
        ("en", "error: name either --month YYYY-MM or --year YYYY"),
    ):
        monkeypatch.setenv("CARBONPEAK_LANGUAGE", language)
        settings.cache_clear()
        result = runner.invoke(app, both)
        assert result.exit_code == 1
        assert said in result.stderr
    settings.cache_clear()


def test_forbidden_is_3(plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    _action, task = plan.tasks()[0]
    task_id = task.id
    owners = {plan.organisation(name).id for name in task.responsible_units}
    outsider = next(o for o in plan.organisations if o.id not in owners)
    result = runner.invoke(
        app,
        [
            "task",
            "report",
            task_id,
            "--by",
            outsider.name_zh,
            "--percent",
            "10",
            "--summary",
            "started",
        ],
    )
    assert result.exit_code == 3, result.output
    assert f"{outsider.name_zh}不负责任务 {task_id}" in result.stderr  # the CLI reads in zh


def test_a_usage_error_keeps_clicks_code() -> None:
    result = runner.invoke(app, ["plan", "tasks", "--no-such-option"])
    assert result.exit_code == 2
