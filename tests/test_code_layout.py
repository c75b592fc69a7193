"""The layout of the code: one module per responsibility, none longer than a reader holds."""

from __future__ import annotations

import ast
from pathlib import Path

NEWS = Path(__file__).resolve().parent.parent / "news"
MAX_LINES_OF_CODE = 400
# Modules being split by changes of their own at the time of writing; each leaves the list then.
STILL_TO_SPLIT: set[str] = set()


def lines_of_code(source: str) -> int:
    """Lines a reader has to read: not blank, not a comment, not a docstring."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.update(range(first.lineno, first.end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(source.splitlines(), 1)
        if line.strip() and not line.strip().startswith("#") and number not in docstrings
    )


def module_lengths() -> dict[str, int]:
    return {
        path.relative_to(NEWS).as_posix(): lines_of_code(path.read_text(encoding="utf-8"))
        for path in NEWS.rglob("*.py")
        if "migrations" not in path.parts
    }


def test_no_module_of_the_news_app_is_over_400_lines_of_code():
    too_long = {
        name: lines
        for name, lines in module_lengths().items()
        if lines > MAX_LINES_OF_CODE and name not in STILL_TO_SPLIT
    }

    assert too_long == {}


def test_lines_of_code_leave_out_blank_lines_comments_and_docstrings():
    source = '"""Module."""\n\n# why\ndef f():\n    """Doc\n    string."""\n    return 1\n'

    assert lines_of_code(source) == 2


def test_template_comments_close_on_their_line():
    """{# #} is a one-line comment: one carried over two lines is shown to readers as text."""
    templates = NEWS.parent / "templates"
    unclosed = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.rfind("{#") > line.rfind("#}")
    ]

    assert unclosed == []
