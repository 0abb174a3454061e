"""``detente serve``: the REST API and dashboard over a store."""

from __future__ import annotations

import click

from detente.cli.main import cli, db_option, warn
from detente.config import Settings

WILDCARD_INTERFACES = ("0.0.0.0", "::", "")


def served_hosts(host: str, allowed: tuple[str, ...]) -> list[str]:
    """The Host names to answer: the local ones, the interface served on, and those allowed by hand."""
    from detente.api.app import LOOPBACK_HOSTS

    names = list(dict.fromkeys(allowed))
    if "*" in names:
        return ["*"]
    names += [h for h in LOOPBACK_HOSTS if h not in names]
    if host not in WILDCARD_INTERFACES and host not in names:
        names.append(host)
    return names


@cli.command("serve")
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep it local)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    envvar="DETENTE_ALLOWED_HOSTS",
    help="A Host name clients may use, besides localhost, 127.0.0.1, ::1 and --host (repeatable; "
    "'*.example.org' for subdomains, '*' for any). Other names get 400: this stops DNS rebinding.",
)
@click.option(
    "--article-timeout",
    type=click.FloatRange(0, min_open=True),
    default=Settings().article_seconds,
    show_default=True,
    metavar="SECONDS",
    help="Time budget of one posted article; past it the article is stored as failed (422).",
)
@click.option(
    "--article-memory",
    type=click.IntRange(1),
    default=Settings().article_memory_mb,
    show_default=True,
    metavar="MB",
    help="Memory budget of one posted article.",
)
def serve(
    db: str, host: str, port: int, allowed_hosts: tuple[str, ...], article_timeout: float, article_memory: int
) -> None:
    """Browse events, claims and dyads at http://HOST:PORT; the API is under /api, its reference at /docs.

    \b
    Examples:
      detente serve --db detente.db
      DETENTE_API_TOKEN=secret detente serve     also accept POST /api/articles with that token
      detente serve --host 0.0.0.0 --allowed-host events.example.org    serve a named machine
    """
    import uvicorn

    from detente.api import create_app

    hosts = served_hosts(host, allowed_hosts)
    settings = Settings(article_seconds=article_timeout, article_memory_mb=article_memory)
    app = create_app(db, allowed_hosts=hosts, settings=settings)
    writes = "enabled (token set)" if app.state.token else "off (set DETENTE_API_TOKEN to enable)"
    click.echo(
        f"serving {db} at http://{host}:{port}  (API reference: /docs; adding articles: {writes})", err=True
    )
    if host in WILDCARD_INTERFACES and not allowed_hosts:
        warn("only local Host names are answered; pass --allowed-host NAME for each name clients use")
    uvicorn.run(app, host=host, port=port, log_level="warning")
