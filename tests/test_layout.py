"""House rules on the shape of the code: small modules, and tests laid out like the package."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "carbonpeak"
TESTS = REPO / "tests"
MAX_MODULE_LINES = 500


def _lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file)


def test_no_module_in_src_is_over_500_lines() -> None:
    too_long = {
        str(path.relative_to(REPO)): lines
        for path in sorted((REPO / "src").rglob("*.py"))
        if (lines := _lines(path)) > MAX_MODULE_LINES
    }
    listing = "\n".join(f"  {path}: {lines} lines" for path, lines in too_long.items())
    assert not too_long, (
        f"modules over {MAX_MODULE_LINES} lines; split each by what its parts do, into "
        f"small modules beside it:\n{listing}"
    )


def _is_package(folder: Path) -> bool:
    return (folder / "__init__.py").is_file()


def test_test_folders_mirror_the_packages_of_src_carbonpeak() -> None:
    folders = sorted(
        path
        for path in TESTS.rglob("*")
        if path.is_dir() and "__pycache__" not in path.parts and not path.name.startswith(".")
    )
    stray = [
        str(folder.relative_to(REPO))
        for folder in folders
        if not _is_package(PACKAGE / folder.relative_to(TESTS))
    ]
    packages = sorted(
        str(path.parent.relative_to(PACKAGE)) for path in PACKAGE.rglob("__init__.py")
    )
    assert not stray, (
        "test folders must mirror the packages of src/carbonpeak/: tests/X/ holds the tests of "
        "carbonpeak.X (tests/services for services/*.py, tests/api for API routes, tests/web "
        "for pages, tests/cli for commands, tests/<core package> for the core). Move the files "
        "of these folders (git mv) into the folder of the package each one tests:\n  "
        + "\n  ".join(stray)
        + "\npackages: "
        + ", ".join(p for p in packages if p != ".")
    )
