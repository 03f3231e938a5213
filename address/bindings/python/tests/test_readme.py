"""The README's "Use it from Python" example runs as written."""

import doctest

from conftest import REPO


def test_readme_python_example():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.find("## Use it from Python")
    assert start >= 0, "README.md has no '## Use it from Python' section"
    end = text.find("\n## ", start + 1)
    section = text[start:end if end >= 0 else len(text)]
    block = section.split("```python", 1)[1].split("```", 1)[0]
    test = doctest.DocTestParser().get_doctest(block, {}, "README.md", "README.md", 0)
    assert len(test.examples) == 5
    runner = doctest.DocTestRunner()
    out = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
