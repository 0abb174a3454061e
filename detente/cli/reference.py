"""The CLI reference (docs/cli.md), generated from the commands' own --help so it cannot drift.

Regenerate with ``python -m detente.cli.reference > docs/cli.md``; a test fails when it is stale.
"""

from __future__ import annotations

import click
from click.testing import CliRunner


def _walk(group: click.Command, path: list[str]) -> list[list[str]]:
    paths = [path]
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            paths += _walk(group.commands[name], [*path, name])
    return paths


def render_cli_reference() -> str:
    from detente.cli import cli

    runner = CliRunner()
    parts = [
        "# CLI reference",
        "",
        "Generated from `--help` by `python -m detente.cli.reference > docs/cli.md`; do not edit by hand.",
        "",
    ]
    for path in _walk(cli, []):
        result = runner.invoke(cli, [*path, "--help"], prog_name="detente", terminal_width=100)
        title = " ".join(["detente", *path])
        parts += [f"## `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_cli_reference(), end="")
