"""Browser tests: Debian's Chromium driven by pytest-playwright, the app served on 127.0.0.1:0 in a thread.

See ../shared/BROWSER_TESTS.md. Without Chromium the tests skip and say how to enable them.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/dashboard_sample.py


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = not Path(CHROMIUM).exists()
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = True
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason=(
                    f"Chromium not found at {CHROMIUM}: run 'apt-get install -y chromium' (as root; "
                    "'make test' does it) or set CHROMIUM_PATH, and install the dev extra (playwright)"
                )))  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,  # keeps --headed / --slowmo working
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture(scope="session")
def live_store(tmp_path_factory):
    """The store behind the test server: hand-made bundles (no model needed)."""
    from detente.store import open_store
    from tests.dashboard_sample import sample_bundles

    store = open_store(tmp_path_factory.mktemp("browser") / "browser.db")
    store.write_bundles(sample_bundles())
    yield store
    store.close()


@contextmanager
def serving(store):
    """The dashboard over ``store`` on a free local port; yields its base URL."""
    import uvicorn

    from detente.api import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start within 20 s")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(live_store):
    """The dashboard over ``live_store`` on a free local port; yields its base URL."""
    with serving(live_store) as url:
        yield url


@pytest.fixture(scope="session")
def known_server(tmp_path_factory):
    """The dashboard over the counting store with known answers (tests/counting_sample.py)."""
    from detente.store import open_store
    from tests.counting_sample import fill

    store = open_store(tmp_path_factory.mktemp("known") / "known.db")
    fill(store)
    with serving(store) as url:
        yield url
    store.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
