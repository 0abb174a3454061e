"""``detente serve``: the REST API and dashboard over a store."""

from __future__ import annotations

import click

from detente.cli.main import cli, db_option


@cli.command("serve")
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep it local)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
def serve(db: str, host: str, port: int) -> None:
    """Browse events, claims and dyads at http://HOST:PORT; the API is under /api, its reference at /docs.

    \b
    Examples:
      detente serve --db detente.db
      DETENTE_API_TOKEN=secret detente serve     also accept POST /api/articles with that token
    """
    import uvicorn

    from detente.api import create_app

    app = create_app(db)
    writes = "enabled (token set)" if app.state.token else "off (set DETENTE_API_TOKEN to enable)"
    click.echo(
        f"serving {db} at http://{host}:{port}  (API reference: /docs; adding articles: {writes})", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
