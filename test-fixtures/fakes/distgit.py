#!/usr/bin/python3
"""A small dist-git (Pagure) for tests: where a package's retirement is recorded.

A retired package's branch holds a dead.package file instead of its spec file, with the
reason for the retirement; Pagure serves a branch's file at
  GET /rpms/{package}/raw/{branch}/f/{file}      200 text/plain, or 404 "File not found"
as src.fedoraproject.org does.  Nothing else of Pagure is served.

Test-only endpoints: GET /_fake/state ({"retired": {branch: {package: reason}}, "requests"}),
POST /_fake/seed (same shape as the --seed file: {"retired": {branch: {package: reason}}}).

Usage: distgit.py [--port N] [--seed FILE]; prints "READY http://127.0.0.1:PORT/" when listening.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlparse

import loopback


class DistGit:
    def __init__(self):
        self.lock = threading.RLock()
        self.retired = {}      # branch -> {package: dead.package text}
        self.requests = []     # "METHOD /path" in order, for tests

    def seed(self, doc):
        with self.lock:
            for branch, packages in doc.get("retired", {}).items():
                self.retired.setdefault(branch, {}).update(packages)

    def snapshot(self):
        with self.lock:
            return {"retired": self.retired, "requests": list(self.requests)}

    def raw_file(self, namespace, package, branch, name):
        if namespace != "rpms" or name != "dead.package":
            return None
        reason = self.retired.get(branch, {}).get(package)
        return None if reason is None else reason + "\n"


def make_handler(distgit):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("distgit-fake: " + (fmt % args) + "\n")

        def reply(self, status, content_type, text):
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = urlparse(self.path).path
            parts = [unquote(p) for p in path.split("/") if p]
            with distgit.lock:
                distgit.requests.append("GET " + path)
                if parts == ["_fake", "state"]:
                    return self.reply(200, "application/json", json.dumps(distgit.snapshot()))
                # /{namespace}/{package}/raw/{branch}/f/{file}
                if len(parts) == 6 and parts[2] == "raw" and parts[4] == "f":
                    text = distgit.raw_file(parts[0], parts[1], parts[3], parts[5])
                    if text is not None:
                        return self.reply(200, "text/plain; charset=utf-8", text)
                    return self.reply(404, "text/html", "<h1>File not found</h1>\n")
                self.reply(404, "text/html", "<h1>Page not found</h1>\n")

        def do_POST(self):
            path = urlparse(self.path).path
            if path != "/_fake/seed":
                return self.reply(404, "text/html", "<h1>Page not found</h1>\n")
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            distgit.seed(json.loads(raw or b"{}"))
            self.reply(200, "application/json", json.dumps(distgit.snapshot()))

    return Handler


def main():
    loopback.serve(__doc__.splitlines()[0], "retired: {branch: {package: reason}}", DistGit(), make_handler, "/")


if __name__ == "__main__":
    main()
