"""A real local web server for tests of code that fetches (collecting, link health)."""

import contextlib
import http.server
import threading


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout tests): nothing to tell


@contextlib.contextmanager
def serving(handler):
    """Serve handler on a free local port; yields the base address."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
