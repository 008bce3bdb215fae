#!/usr/bin/python3
"""A small in-memory Bodhi for tests.

Answers the REST calls the catalog's Bodhi modules make, with Bodhi's JSON shapes and its
cornice-style errors ({"status": "error", "errors": [{"location", "name", "description"}]}):
  GET  /releases/{name}          GET /releases/?name=...     POST /releases/ (create, or edit via "edited")
  GET  /updates/?releases=&status=&request=&packages=&page=&rows_per_page=
  GET  /updates/{alias}          POST /comments/
  GET  /composes/                GET /composes/{release}/{request}
  POST /composes/                stand-in for bodhi-push (see below)
Writes need "Authorization: Bearer <token>" naming a seeded user; releases and composes also
need that user to be in an admin group ("releng" unless seeded otherwise).

Production Bodhi starts a push with bodhi-push on its backend host, not over HTTP.  The fake
accepts POST /composes/ {"release", "request", "updates": [alias...]} as that trigger and runs
the compose at once: the updates move to the requested status and the compose disappears, as a
finished compose does in Bodhi.  A release listed in the seed's "fail_composes" ends its
compose in state "failed" instead, leaving the updates where they were.

Test-only endpoints: GET /_fake/state, POST /_fake/seed (same shape as the --seed file:
users [{name, token, groups}], admin_groups, releases [...], updates [...], fail_composes).

Usage: bodhi_api.py [--port N] [--seed FILE]; prints "READY http://127.0.0.1:PORT/" when listening.
"""
import json
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

import loopback

RELEASE_FIELDS = (
    "name", "long_name", "version", "id_prefix", "branch", "dist_tag", "stable_tag",
    "testing_tag", "candidate_tag", "pending_signing_tag", "pending_testing_tag",
    "pending_stable_tag", "override_tag", "mail_template", "state", "composed_by_bodhi",
    "create_automatic_updates", "package_manager", "testing_repository", "eol",
)
RELEASE_STATES = ("disabled", "pending", "frozen", "current", "archived")


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class BodhiError(Exception):
    def __init__(self, status, location, name, description):
        super().__init__(description)
        self.status = status
        self.body = {"status": "error",
                     "errors": [{"location": location, "name": name, "description": description}]}


class Bodhi:
    def __init__(self):
        self.lock = threading.RLock()
        self.users = {}            # token -> {"name", "groups"}
        self.admin_groups = ["releng"]
        self.releases = {}         # name -> release dict
        self.updates = {}          # alias -> update dict
        self.composes = []         # compose dicts still in progress or failed
        self.fail_composes = set()
        self.comment_ids = 0
        self.requests = []         # "METHOD /path" in order, for tests

    def seed(self, doc):
        with self.lock:
            for user in doc.get("users", []):
                self.users[user["token"]] = {"name": user["name"], "groups": user.get("groups", [])}
            self.admin_groups = doc.get("admin_groups", self.admin_groups)
            self.fail_composes.update(doc.get("fail_composes", []))
            for release in doc.get("releases", []):
                self.releases[release["name"]] = self.release_record(release)
            for update in doc.get("updates", []):
                self.add_update(update)

    def release_record(self, fields):
        record = {"state": "pending", "composed_by_bodhi": True, "create_automatic_updates": False,
                  "package_manager": "unspecified", "testing_repository": None, "eol": None,
                  "mail_template": "fedora_errata_template", "setting_status": None,
                  "released_on": None, "composes": []}
        record.update({k: v for k, v in fields.items() if k in RELEASE_FIELDS})
        return record

    def add_update(self, spec):
        release = self.releases[spec["release"]]
        self.updates[spec["alias"]] = {
            "alias": spec["alias"],
            "title": spec.get("title", " ".join(spec["builds"])),
            "status": spec.get("status", "pending"),
            "request": spec.get("request"),
            "release": {k: release[k] for k in ("name", "long_name", "version", "id_prefix",
                                                "branch", "state")},
            "builds": [{"nvr": nvr, "type": "rpm", "signed": True} for nvr in spec["builds"]],
            "type": spec.get("type", "bugfix"), "severity": "unspecified",
            "locked": spec.get("locked", False),
            "karma": spec.get("karma", 0), "stable_karma": 3, "unstable_karma": -3,
            "meets_testing_requirements": spec.get("meets_testing_requirements", True),
            "user": {"name": spec.get("submitter", "packager")},
            "date_submitted": now(), "date_pushed": None, "date_testing": None,
            "date_stable": None, "comments": [],
            "url": "https://bodhi.example/updates/%s" % spec["alias"],
        }

    def snapshot(self):
        with self.lock:
            return {"releases": self.releases, "updates": self.updates,
                    "composes": self.composes, "requests": list(self.requests)}

    # ----- REST ----------------------------------------------------------------------------
    def get_release(self, name):
        release = self.releases.get(name)
        if release is None:
            raise BodhiError(404, "url", "name", "No such release")
        return release

    def list_releases(self, query):
        names = query.get("name", [])
        found = [r for r in self.releases.values() if not names or r["name"] in names]
        return {"releases": found, "page": 1, "pages": 1, "rows_per_page": 20, "total": len(found)}

    def save_release(self, user, body):
        self.require_admin(user)
        missing = [f for f in ("name", "long_name", "version", "id_prefix", "branch", "dist_tag",
                               "stable_tag", "testing_tag", "candidate_tag", "override_tag")
                   if not body.get(f)]
        if missing:
            raise BodhiError(400, "body", missing[0], "Required")
        if body.get("state", "pending") not in RELEASE_STATES:
            raise BodhiError(400, "body", "state", '"%s" is not one of %s'
                             % (body["state"], ", ".join(RELEASE_STATES)))
        edited = body.get("edited")
        if edited:
            record = self.get_release(edited)
            del self.releases[edited]
            record.update({k: v for k, v in body.items() if k in RELEASE_FIELDS})
        else:
            if body["name"] in self.releases:
                raise BodhiError(400, "body", "name",
                                 "Release with name %s already exists" % body["name"])
            record = self.release_record(body)
        self.releases[record["name"]] = record
        return record

    def list_updates(self, query):
        def matches(u):
            if query.get("releases") and u["release"]["name"] not in query["releases"]:
                return False
            if query.get("status") and u["status"] not in query["status"]:
                return False
            if query.get("request") and u["request"] not in query["request"]:
                return False
            if query.get("packages"):
                packages = {b["nvr"].rsplit("-", 2)[0] for b in u["builds"]}
                if not packages & set(query["packages"]):
                    return False
            return True

        found = sorted((u for u in self.updates.values() if matches(u)), key=lambda u: u["alias"])
        rows = int(query.get("rows_per_page", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(found) // rows))
        return {"updates": found[(page - 1) * rows:page * rows], "page": page, "pages": pages,
                "rows_per_page": rows, "total": len(found)}

    def get_update(self, alias):
        update = self.updates.get(alias)
        if update is None:
            raise BodhiError(404, "url", "id", "Invalid update id")
        return {"update": update, "can_edit": False}

    def add_comment(self, user, body):
        if user is None:
            raise BodhiError(403, "cookies", "user", "No ID cookie specified")
        update = self.updates.get(body.get("update"))
        if update is None:
            raise BodhiError(404, "body", "update", "Invalid update id")
        if not body.get("text") and not body.get("karma"):
            raise BodhiError(400, "body", "comment", "You must provide a comment or karma")
        self.comment_ids += 1
        comment = {"id": self.comment_ids, "text": body.get("text", ""),
                   "karma": int(body.get("karma", 0)), "timestamp": now(),
                   "user": {"name": user["name"]}, "update_id": update["alias"]}
        update["comments"].append(comment)
        return {"comment": comment, "caveats": []}

    def list_composes(self):
        return {"composes": self.composes}

    def get_compose(self, release, request):
        for compose in self.composes:
            if compose["release"]["name"] == release and compose["request"] == request:
                return {"compose": compose}
        raise BodhiError(404, "url", "release_name", "Compose with release_name %s and request %s"
                         " does not exist." % (release, request))

    def start_compose(self, user, body):
        self.require_admin(user)
        release = self.get_release(body.get("release"))
        request = body.get("request")
        if request not in ("testing", "stable"):
            raise BodhiError(400, "body", "request", '"%s" is not one of testing, stable' % request)
        if any(c["release"]["name"] == release["name"] and c["request"] == request
               and c["state"] != "failed" for c in self.composes):
            raise BodhiError(400, "body", "release", "A compose for %s %s is already running"
                             % (release["name"], request))
        self.composes = [c for c in self.composes
                         if not (c["release"]["name"] == release["name"] and c["request"] == request)]
        updates = [self.updates[a] for a in body.get("updates", []) if a in self.updates]
        compose = {"release": {"name": release["name"]}, "request": request,
                   "content_type": "rpm", "security": False, "state_date": now(),
                   "update_summary": [{"alias": u["alias"], "title": u["title"]} for u in updates],
                   "error_message": None, "state": "requested"}
        if release["name"] in self.fail_composes:
            compose.update(state="failed", error_message="Failed to sync repositories (fake)")
            self.composes.append(compose)
            return {"compose": compose}
        for update in updates:
            update.update(status=request, request=None, date_pushed=now(), locked=False)
            update["date_" + request] = now()
        compose["state"] = "success"
        return {"compose": compose}

    def require_admin(self, user):
        if user is None:
            raise BodhiError(403, "cookies", "user", "No ID cookie specified")
        if not set(user["groups"]) & set(self.admin_groups):
            raise BodhiError(403, "body", "user", "%s is not a member of %s"
                             % (user["name"], ", ".join(self.admin_groups)))


def make_handler(bodhi):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("bodhi-fake: " + (fmt % args) + "\n")

        def reply(self, status, doc):
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def user(self):
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                return None
            user = bodhi.users.get(auth[len("Bearer "):])
            if user is None:
                raise BodhiError(401, "header", "Authorization", "Invalid or expired token")
            return user

        def body(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                return json.loads(raw or b"{}")
            except ValueError:
                raise BodhiError(400, "body", "body", "Invalid JSON")

        def handle_request(self, method):
            url = urlparse(self.path)
            parts = [p for p in url.path.split("/") if p]
            query = parse_qs(url.query)
            try:
                with bodhi.lock:
                    bodhi.requests.append("%s %s" % (method, url.path))
                    self.reply(200, self.route(method, parts, query))
            except BodhiError as e:
                self.reply(e.status, e.body)

        def route(self, method, parts, query):
            if method == "GET":
                if parts == ["_fake", "state"]:
                    return bodhi.snapshot()
                if parts == ["releases"]:
                    return bodhi.list_releases(query)
                if len(parts) == 2 and parts[0] == "releases":
                    return bodhi.get_release(parts[1])
                if parts == ["updates"]:
                    return bodhi.list_updates(query)
                if len(parts) == 2 and parts[0] == "updates":
                    return bodhi.get_update(parts[1])
                if parts == ["composes"]:
                    return bodhi.list_composes()
                if len(parts) == 3 and parts[0] == "composes":
                    return bodhi.get_compose(parts[1], parts[2])
            if method == "POST":
                if parts == ["_fake", "seed"]:
                    bodhi.seed(self.body())
                    return bodhi.snapshot()
                if parts == ["releases"]:
                    return bodhi.save_release(self.user(), self.body())
                if parts == ["comments"]:
                    return bodhi.add_comment(self.user(), self.body())
                if parts == ["composes"]:
                    return bodhi.start_compose(self.user(), self.body())
            raise BodhiError(404, "url", "path", "The resource could not be found.")

        def do_GET(self):
            self.handle_request("GET")

        def do_POST(self):
            self.handle_request("POST")

    return Handler


def main():
    loopback.serve(__doc__.splitlines()[0], "users, releases, updates, fail_composes", Bodhi(), make_handler, "/")


if __name__ == "__main__":
    main()
