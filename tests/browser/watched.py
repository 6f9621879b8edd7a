"""A browser page whose traffic and console are recorded: what every page test of tests/browser opens.

``watched_page(browser, page_log, **context_options)`` opens a new context and page; requests to any host other
than 127.0.0.1 are recorded in ``page_log`` and aborted (a test never reaches the internet), console errors,
uncaught exceptions, failed requests and HTTP errors are recorded too (``record_console`` records a page's console
alone). ``open_path(page, site_url, path)`` opens a page of the built site as every page test does.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome-error:", "chrome:")


@dataclass
class PageLog:
    """What one page did on the network and in its console."""

    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    offsite_requests: list = field(default_factory=list)

    def problems(self):
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request off 127.0.0.1: {m}" for m in self.offsite_requests]
        )

    def assert_clean(self, where=""):
        problems = self.problems()
        assert not problems, f"{where}: " + "\n  ".join([""] + problems) if where else "\n  ".join(problems)


def is_local(url):
    if url.startswith(LOCAL_SCHEMES):
        return True
    return urlsplit(url).hostname == "127.0.0.1"


def record_console(page, into, also=lambda msg: False):
    """Append the page's console errors (and the messages `also` picks) and uncaught exceptions to the list `into`."""
    page.on(
        "console",
        lambda msg: (
            (msg.type == "error" or also(msg))
            and into.append(f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})")
        ),
    )
    page.on("pageerror", lambda exc: into.append(f"pageerror: {exc}"))


def watched_page(browser, page_log, **context_options):
    """A new context (`context_options`, as for ``browser.new_context``) and page recording into `page_log`."""
    context = browser.new_context(**context_options)

    def guard(route):
        # Record, then refuse: the book must not depend on (or leak to) any other host.
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            page_log.offsite_requests.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    record_console(page, page_log.console_errors)
    page.on(
        "requestfailed",
        # net::ERR_ABORTED is the browser cancelling a request because the page was left (a test opens the next page
        # while the favicon is still on its way): not a fault of the page. A missing file is a 404, below.
        lambda req: (
            is_local(req.url)
            and req.failure != "net::ERR_ABORTED"
            and page_log.failed_requests.append(f"{req.url} ({req.failure})")
        ),
    )
    page.on(
        "response",
        lambda resp: resp.status >= 400 and page_log.failed_requests.append(f"{resp.url} (HTTP {resp.status})"),
    )
    return context, page


def open_path(page, site_url, path, wait_for_math=True):
    """Go to `path` (relative to the site root), wait for the network to be idle and MathJax to finish."""
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    page.wait_for_load_state("networkidle")
    if wait_for_math:
        page.evaluate("""async () => {
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        }""")
    return response
