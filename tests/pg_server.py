"""A real PostgreSQL server for the test session, started from Debian's ``postgresql`` package.

Register it with ``pytest_plugins = ["tests.pg_server"]`` at the top of a test module. Fixtures:

- ``postgres_url``  (session) a ``postgresql://`` URL to an empty database on a throwaway server
- ``postgres_db``   (function) the same URL after dropping every table, so each test starts clean

The server runs from a temporary directory on 127.0.0.1 with a free port (its unix socket lives in
the same directory), one server per session, stopped at the end. initdb refuses to run as root, so
as root the cluster is created and run as the ``postgres`` system user. Without PostgreSQL binaries
the tests skip with the install command, except when ``CI=true``: there they fail, because CI must
really run them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL_HINT = "install PostgreSQL: apt-get install -y postgresql (or set DETENTE_PG_BIN to its bin folder)"
DATABASE = "detente_test"


def find_pg_bin() -> Path | None:
    """The newest folder holding initdb, pg_ctl and postgres (Debian keeps them out of PATH)."""
    candidates: list[str] = []
    if os.environ.get("DETENTE_PG_BIN"):
        candidates.append(os.environ["DETENTE_PG_BIN"])
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                         reverse=True)  # fmt: skip
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        path = Path(folder)
        if all((path / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return path
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """initdb + pg_ctl start/stop in a temporary directory."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="detente-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            # The postgres user must own the cluster and be able to reach it.
            shutil.chown(self.root, user="postgres", group="postgres")
            self.root.chmod(0o700)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}\n{log}")
        return result

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        # Durability is pointless for a throwaway test server; turning it off keeps the suite fast.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"
        )
        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _missing(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must run the PostgreSQL tests ({INSTALL_HINT})", pytrace=False)
    pytest.skip(f"{message} ({INSTALL_HINT})")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A URL to an empty database on a real PostgreSQL server started for this session."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        _missing("no PostgreSQL server binaries (initdb, pg_ctl) found")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed: pip install 'detente[postgres]'")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _missing("as root, initdb must run as the 'postgres' system user, which does not exist")
    assert bin_dir is not None
    server = PostgresServer(bin_dir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def postgres_db(postgres_url: str) -> str:
    """The session database, emptied: every table (migrations included) dropped before the test."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return postgres_url
