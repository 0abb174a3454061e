"""Docs that are generated or referenced must stay true."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    from detente.cli.reference import render_cli_reference

    expected = render_cli_reference()
    actual = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: python -m detente.cli.reference > docs/cli.md"


def test_readme_links_resolve_and_shows_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if "://" not in link:
            assert (REPO / link).exists(), f"README links to missing {link}"
