"""Browser-test fixtures: the built book served on 127.0.0.1 and opened in headless Chromium (Playwright).

Run after the book is built (`make book`; `make test` does both). Nothing is skipped: a missing build,
a missing Chromium or a missing Playwright fails with one line saying how to fix it.

Fixtures (use them in tests/browser/test_*.py):

- ``site_dir`` (session): ``pathlib.Path`` of the built site, ``_build/html`` (override with BOOK_HTML).
- ``site_url`` (session): base URL such as ``"http://127.0.0.1:45123/"`` of a static HTTP server on a
  random free port serving ``site_dir`` (threads; stopped at the end of the session).
- ``browser`` (session): a Playwright ``Browser``: Debian's ``/usr/bin/chromium``, or the executable named by
  $CHROMIUM (``CHROMIUM=playwright`` uses a browser installed by ``playwright install chromium``).
- ``page`` (function): a fresh Playwright ``Page`` (1280x900, new context, light colour scheme) whose
  traffic is recorded in ``page_log``. Requests to any host other than 127.0.0.1 are recorded and aborted,
  so a test never reaches the internet.
- ``open_page`` (function): ``open_page("notebooks/x.html")`` opens a path of the site in ``page``, asserts
  HTTP 200, waits for the network to be idle and for MathJax to finish, and returns the response.
- ``page_log`` (function): the ``PageLog`` of ``page``, filled while the test runs:
    - ``console_errors``: console messages of type "error" and uncaught page exceptions ("pageerror: ...")
    - ``failed_requests``: requests that failed ("net::ERR_...") or answered HTTP status >= 400
    - ``offsite_requests``: URLs of requests to any host but 127.0.0.1 (data:, blob: and about: are local)
  ``page_log.problems()`` lists all three as strings; ``page_log.assert_clean()`` fails listing them.
- ``screenshot_dir`` (session): ``artifacts/screenshots/`` (created; not committed).

Example::

    def test_slider_moves(page, page_log, open_page):
        open_page("notebooks/01_one_neuron.html")
        page.locator(".nnx input[type=range]").first.fill("2")
        page_log.assert_clean()
"""

import functools
import http.server
import os
import socketserver
import threading
from pathlib import Path

import pytest
from headless import launched_chromium
from watched import PageLog, open_path, watched_page

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="session")
def site_dir():
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(
            f"the built book is missing ({SITE_DIR}/index.html): run `make book` first "
            "(or `make test`, which builds it)",
            pytrace=False,
        )
    return SITE_DIR


@pytest.fixture(scope="session")
def site_url(site_dir):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)  # port 0: a free port chosen by the OS
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def screenshot_dir():
    path = ROOT / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page_log():
    return PageLog()


@pytest.fixture
def page(browser, page_log):
    context, page = watched_page(
        browser, page_log, viewport={"width": 1280, "height": 900}, color_scheme="light", service_workers="block"
    )
    yield page
    context.close()


@pytest.fixture
def blank_page(browser):
    """A Playwright ``Page`` with nothing loaded (no built book needed), for scripts run with
    ``jsface.chromium_eval``; fails the test if the page raised an uncaught error."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def open_page(page, site_url):
    return functools.partial(open_path, page, site_url)


def pytest_collection_modifyitems(items):
    """On several pytest-xdist workers (`make test`: --dist loadgroup), the tests that read one page's first visit
    (test_pages.py's ``first_visit``: axe, alt text, weight, phone width) run on one worker, which opens the page
    once for all of them, as one process does; every other test goes to whichever worker is free."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "first_visit" in getattr(item, "fixturenames", ()) and "rel" in params:
            item.add_marker(pytest.mark.xdist_group(f"first_visit {params['rel']}"))
