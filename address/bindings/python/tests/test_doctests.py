"""Runs every ``>>>`` example in the docstrings of the installed module (the package's, its
functions', classes', methods', properties' and exceptions'), one test per docstring."""

import doctest
import inspect

import pytest

import btcaddr


def docstrings():
    found = [("btcaddr", btcaddr.__doc__)]
    for name in btcaddr.__all__:
        obj = getattr(btcaddr, name)
        found.append((name, getattr(obj, "__doc__", None)))
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if not member.startswith("_"):
                    found.append((f"{name}.{member}", getattr(value, "__doc__", None)))
    return [(name, doc) for name, doc in found if doc and ">>>" in doc]


DOCSTRINGS = docstrings()


def test_examples_are_found():
    names = {name for name, _ in DOCSTRINGS}
    # The public functions and classes each carry an example.
    for required in ["btcaddr", "encode", "decode", "is_valid", "suggest", "to_standard",
                     "from_standard", "Address", "DecodeError", "EncodeError", "ConversionError"]:
        assert required in names, required


@pytest.mark.parametrize("name,doc", DOCSTRINGS, ids=[n for n, _ in DOCSTRINGS])
def test_docstring_examples(name, doc):
    parser = doctest.DocTestParser()
    test = parser.get_doctest(doc, {}, name, None, 0)
    assert test.examples
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)
