"""The start-up both stand-ins share: arguments, seeding, a loopback HTTP server and its READY line."""

import argparse
import json
import signal
import threading
from http.server import ThreadingHTTPServer


def serve(description, seed_help, state, make_handler, path):
    """Seeds `state` from --seed, serves it on 127.0.0.1:--port (0 picks one), prints
    `READY http://127.0.0.1:PORT<path>` once listening, and stops cleanly on SIGTERM."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", help="JSON seed file: " + seed_help)
    args = parser.parse_args()
    if args.seed:
        with open(args.seed, encoding="utf-8") as f:
            state.seed(json.load(f))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("READY http://127.0.0.1:%d%s" % (server.server_address[1], path), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
