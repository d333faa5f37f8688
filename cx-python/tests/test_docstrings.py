"""Run the examples in cxkit's docstrings as doctests (they are documentation and tests)."""

import doctest

import pytest

import cxkit


def _objects():
    yield "cxkit", cxkit
    for name in cxkit.__all__:
        obj = getattr(cxkit, name)
        if getattr(obj, "__doc__", None) and ">>>" in obj.__doc__:
            yield name, obj


@pytest.mark.parametrize(
    ("name", "obj"), list(_objects()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_docstring_examples(name, obj):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(obj, name, globs={"cxkit": cxkit})
    assert tests, f"{name} has >>> examples but no doctest was found"
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.failed == 0


def test_examples_exist_for_every_function():
    for name in [
        "nps",
        "nps_difference",
        "top_box",
        "bottom_box",
        "csat",
        "mean",
        "ces",
        "distribution",
        "cx_index",
        "CxSummary",
    ]:
        assert ">>>" in getattr(cxkit, name).__doc__, name
