#!/usr/bin/python3
"""A small in-memory Koji hub for tests.

Speaks XML-RPC at /kojihub with the method names, argument shapes and fault codes of the
real hub (koji.GenericError = 1000, AuthError = 1002, ActionNotAllowed = 1004, ...), so the
catalog's Koji modules can be exercised without a real Koji.  Keyword arguments arrive the
way the koji client sends them: as a trailing struct carrying "__starstar": true.

Sessions follow Koji's scheme: login() returns session-id and session-key, later calls pass
them (and callnum) as query parameters.  Fedora's production hub uses Kerberos or SSL
client certificates instead of passwords; the password login keeps the fake stdlib-only.

Also the sidetag plugin's listSideTags/removeSideTag, package lists (listPackages,
packageListBlock) and queryHistory for tag_config and tag_listing, with the timestamps Koji
records, so that housekeeping by age can be exercised.  Seeded tags may give "age_days" and
seeded builds "tagged_days_ago" (how long ago they were tagged); "sidetags" seeds side tags
({name, basetag, user, age_days}); a tag's "packages" and "blocked" seed its package list.

Test-only endpoints (not part of Koji):
  GET  /_fake/state   the whole state as JSON, tags by name, for assertions
  POST /_fake/seed    merge a seed document (same shape as the --seed file)

Usage: koji_hub.py [--port N] [--seed FILE]   (port 0, the default, picks a free port)
Prints "READY http://127.0.0.1:PORT/kojihub" once listening; exits cleanly on SIGTERM.
"""
import json
import secrets
import sys
import threading
import time
import xmlrpc.client
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

import loopback

FAULTS = {
    "GenericError": 1000,
    "LockError": 1001,
    "AuthError": 1002,
    "TagError": 1003,
    "ActionNotAllowed": 1004,
    "ParameterError": 1016,
}

BUILD_STATES = {"BUILDING": 0, "COMPLETE": 1, "DELETED": 2, "FAILED": 3, "CANCELED": 4}


class KojiFault(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.code = FAULTS[kind]


class Hub:
    """Koji's data model, reduced to what release engineering touches."""

    def __init__(self):
        self.lock = threading.RLock()
        self.users = {}          # name -> {"id", "name", "password", "perms"}
        self.sessions = {}       # session-id -> {"key", "user"}
        self.tags = {}           # id -> tag dict as getTag returns it
        self.inheritance = {}    # child tag id -> [link dicts]
        self.targets = {}        # id -> target dict as getBuildTarget returns it
        self.builds = {}         # id -> build dict as getBuild returns it
        self.tagged = []         # [{"tag_id", "build_id", "create_event", "owner"}]
        self.listing = []        # tag_listing history: tagged and untagged, with timestamps
        self.packages = {}       # package name -> id
        self.pkglists = {}       # tag id -> {package id: {"blocked", "owner"}}
        self.created = {}        # tag id -> creation time (epoch seconds)
        self.event = 1000
        self.ids = 0
        self.calls = []          # method names, in order, for tests

    def next_id(self):
        self.ids += 1
        return self.ids

    def next_event(self):
        self.event += 1
        return self.event

    # ----- lookups -------------------------------------------------------------------------
    def find_tag(self, info, strict=True):
        tag = None
        if isinstance(info, int):
            tag = self.tags.get(info)
        elif isinstance(info, str):
            tag = next((t for t in self.tags.values() if t["name"] == info), None)
        elif isinstance(info, dict):
            return self.find_tag(info.get("id", info.get("name")), strict)
        if tag is None and strict:
            raise KojiFault("GenericError", "No such tagInfo: %r" % (info,))
        return tag

    def find_build(self, info, strict=True):
        build = None
        if isinstance(info, int):
            build = self.builds.get(info)
        elif isinstance(info, str):
            build = next((b for b in self.builds.values() if b["nvr"] == info), None)
        elif isinstance(info, dict):
            return self.find_build(info.get("id", info.get("nvr")), strict)
        if build is None and strict:
            raise KojiFault("GenericError", "No such build: %r" % (info,))
        return build

    def find_target(self, info):
        if isinstance(info, int):
            return self.targets.get(info)
        return next((t for t in self.targets.values() if t["name"] == info), None)

    # ----- seeding -------------------------------------------------------------------------
    def seed(self, doc):
        with self.lock:
            for user in doc.get("users", []):
                self.users[user["name"]] = {
                    "id": self.next_id(),
                    "name": user["name"],
                    "password": user.get("password", ""),
                    "perms": list(user.get("perms", [])),
                }
            for tag in doc.get("tags", []):
                if self.find_tag(tag["name"], strict=False) is None:
                    self._create_tag(tag["name"], tag.get("arches"), tag.get("perm"),
                                     tag.get("locked", False), tag.get("extra", {}),
                                     days_ago(tag.get("age_days", 0)))
                for package in tag.get("packages", []):
                    self._list_package(self.find_tag(tag["name"]), package, "releng")
                for package in tag.get("blocked", []):
                    self._list_package(self.find_tag(tag["name"]), package, "releng", blocked=True)
            for tag in doc.get("tags", []):
                for prio, parent in enumerate(tag.get("parents", [])):
                    self._add_parent(self.find_tag(tag["name"]), self.find_tag(parent), prio * 10)
            for side in doc.get("sidetags", []):
                owner = self.users[side["user"]]
                tag_id = self._create_tag(side["name"], None, None, False,
                                          {"sidetag": True, "sidetag_user_id": owner["id"]},
                                          days_ago(side.get("age_days", 0)))
                self._add_parent(self.tags[tag_id], self.find_tag(side["basetag"]), 0)
                self._create_target(side["name"], side["name"], side["name"])
            for target in doc.get("targets", []):
                self._create_target(target["name"], target["build_tag"], target["dest_tag"])
            for build in doc.get("builds", []):
                b = self.find_build(build["nvr"], strict=False) or self._create_build(build)
                for tag_name in build.get("tags", []):
                    self._tag(self.find_tag(tag_name), b, build.get("owner", "releng"),
                              days_ago(build.get("tagged_days_ago", 0)))

    def _create_tag(self, name, arches, perm, locked, extra, created=None):
        tag_id = self.next_id()
        self.tags[tag_id] = {
            "id": tag_id, "name": name, "arches": arches, "perm": perm,
            "perm_id": None, "locked": bool(locked), "maven_support": False,
            "maven_include_all": False, "extra": dict(extra or {}),
        }
        self.inheritance[tag_id] = []
        self.pkglists[tag_id] = {}
        self.created[tag_id] = created or time.time()
        self.next_event()
        return tag_id

    def _list_package(self, tag, name, owner, blocked=False):
        if name not in self.packages:
            self.packages[name] = self.next_id()
        entry = self.pkglists[tag["id"]].setdefault(self.packages[name], {"owner": owner})
        entry["blocked"] = blocked
        return entry

    def package_list(self, tag, inherited):
        """{package id: entry} as the tag sees it: its own entries win over inherited ones."""
        seen, order, found = set(), [tag], {}
        while order:
            t = order.pop(0)
            if t["id"] in seen:
                continue
            seen.add(t["id"])
            for pkg_id, entry in self.pkglists[t["id"]].items():
                found.setdefault(pkg_id, dict(entry, tag_id=t["id"], tag_name=t["name"]))
            if inherited:
                order.extend(self.tags[l["parent_id"]] for l in
                             sorted(self.inheritance[t["id"]], key=lambda l: l["priority"]))
        return found

    def _delete_tag(self, tag):
        del self.tags[tag["id"]]
        del self.inheritance[tag["id"]]
        del self.pkglists[tag["id"]]
        del self.created[tag["id"]]
        self.tagged = [e for e in self.tagged if e["tag_id"] != tag["id"]]
        for links in self.inheritance.values():
            links[:] = [l for l in links if l["parent_id"] != tag["id"]]
        self.next_event()

    def _add_parent(self, child, parent, priority):
        self.inheritance[child["id"]].append({
            "child_id": child["id"], "parent_id": parent["id"], "name": parent["name"],
            "priority": priority, "maxdepth": None, "intransitive": False,
            "noconfig": False, "pkg_filter": "",
        })

    def _create_target(self, name, build_tag, dest_tag):
        b, d = self.find_tag(build_tag), self.find_tag(dest_tag)
        target_id = self.next_id()
        self.targets[target_id] = {
            "id": target_id, "name": name, "build_tag": b["id"], "build_tag_name": b["name"],
            "dest_tag": d["id"], "dest_tag_name": d["name"],
        }
        return target_id

    def _create_build(self, spec):
        name, version, release = spec["nvr"].rsplit("-", 2)
        build_id = self.next_id()
        self.builds[build_id] = {
            "id": build_id, "build_id": build_id, "nvr": spec["nvr"], "name": name,
            "package_name": name, "version": version, "release": release, "epoch": None,
            "state": BUILD_STATES[spec.get("state", "COMPLETE")],
            "owner_name": spec.get("owner", "releng"), "task_id": None,
            "creation_ts": time.time(), "volume_name": "DEFAULT",
        }
        return self.builds[build_id]

    def _tag(self, tag, build, owner, when=None):
        if not any(t["tag_id"] == tag["id"] and t["build_id"] == build["id"] for t in self.tagged):
            self.tagged.append({"tag_id": tag["id"], "build_id": build["id"],
                                "create_event": self.next_event(), "owner": owner})
            self.listing.append({"tag_id": tag["id"], "build_id": build["id"], "owner": owner,
                                 "create_ts": when or time.time(), "revoke_ts": None})

    def _untag(self, tag, build):
        self.tagged = [e for e in self.tagged
                       if not (e["tag_id"] == tag["id"] and e["build_id"] == build["id"])]
        for entry in self.listing:
            if entry["tag_id"] == tag["id"] and entry["build_id"] == build["id"] and not entry["revoke_ts"]:
                entry["revoke_ts"] = time.time()

    def snapshot(self):
        with self.lock:
            return {
                "tags": {t["name"]: dict(t, parents=[
                    {"name": link["name"], "priority": link["priority"]}
                    for link in sorted(self.inheritance[t["id"]], key=lambda l: l["priority"])])
                    for t in self.tags.values()},
                "targets": {t["name"]: t for t in self.targets.values()},
                "tagged": {t["name"]: sorted(self.builds[x["build_id"]]["nvr"]
                                             for x in self.tagged if x["tag_id"] == t["id"])
                           for t in self.tags.values()},
                "builds": sorted(b["nvr"] for b in self.builds.values()),
                "packages": {t["name"]: {name: {"blocked": e["blocked"]} for name, pkg_id in
                                         self.packages.items()
                                         for e in [self.pkglists[t["id"]].get(pkg_id)] if e}
                             for t in self.tags.values()},
                "calls": list(self.calls),
            }


class Api:
    """The hub methods. Each takes (hub, user, *args, **kwargs)."""

    @staticmethod
    def getAPIVersion(hub, user):
        return 1

    @staticmethod
    def getLoggedInUser(hub, user):
        if user is None:
            return None
        return {"id": user["id"], "name": user["name"], "status": 0, "usertype": 0}

    @staticmethod
    def getTag(hub, user, tagInfo, strict=False, event=None, blocked=False):
        tag = hub.find_tag(tagInfo, strict)
        return dict(tag) if tag else None

    @staticmethod
    def createTag(hub, user, name, parent=None, arches=None, perm=None, locked=False,
                  maven_support=False, maven_include_all=False, extra=None):
        require_perm(user, "tag")
        if hub.find_tag(name, strict=False):
            raise KojiFault("GenericError", "A tag with the name %s already exists" % name)
        tag_id = hub._create_tag(name, arches, perm, locked, extra)
        if parent:
            hub._add_parent(hub.tags[tag_id], hub.find_tag(parent), 0)
        return tag_id

    @staticmethod
    def editTag2(hub, user, tagInfo, **kwargs):
        require_perm(user, "tag")
        tag = hub.find_tag(tagInfo)
        for key in ("name", "arches", "perm", "locked", "maven_support", "maven_include_all"):
            if key in kwargs:
                tag[key] = kwargs[key]
        tag["extra"].update(kwargs.get("extra") or {})
        for key in kwargs.get("remove_extra") or []:
            tag["extra"].pop(key, None)
        hub.next_event()
        return None

    @staticmethod
    def getInheritanceData(hub, user, tag, event=None):
        t = hub.find_tag(tag)
        return [dict(link) for link in sorted(hub.inheritance[t["id"]], key=lambda l: l["priority"])]

    @staticmethod
    def setInheritanceData(hub, user, tag, data, clear=False):
        require_perm(user, "tag")
        child = hub.find_tag(tag)
        links = [] if clear else hub.inheritance[child["id"]]
        by_parent = {l["parent_id"]: l for l in links}
        for link in data:
            parent = hub.find_tag(link["parent_id"])
            if link.get("delete link"):
                by_parent.pop(parent["id"], None)
                continue
            by_parent[parent["id"]] = {
                "child_id": child["id"], "parent_id": parent["id"], "name": parent["name"],
                "priority": link["priority"], "maxdepth": link.get("maxdepth"),
                "intransitive": link.get("intransitive", False),
                "noconfig": link.get("noconfig", False), "pkg_filter": link.get("pkg_filter", ""),
            }
        priorities = [l["priority"] for l in by_parent.values()]
        if len(priorities) != len(set(priorities)):
            raise KojiFault("GenericError", "Inheritance priorities must be unique (pri %s)"
                            % sorted(priorities))
        hub.inheritance[child["id"]] = list(by_parent.values())
        hub.next_event()
        return None

    @staticmethod
    def getBuildTarget(hub, user, info, event=None, strict=False):
        target = hub.find_target(info)
        if target is None and strict:
            raise KojiFault("GenericError", "No such build target: %s" % info)
        return dict(target) if target else None

    @staticmethod
    def createBuildTarget(hub, user, name, build_tag, dest_tag):
        require_perm(user, "target")
        if hub.find_target(name):
            raise KojiFault("GenericError", "A build target with the name '%s' already exists" % name)
        hub._create_target(name, build_tag, dest_tag)
        return None

    @staticmethod
    def editBuildTarget(hub, user, buildTargetInfo, name, build_tag, dest_tag):
        require_perm(user, "target")
        target = hub.find_target(buildTargetInfo)
        if target is None:
            raise KojiFault("GenericError", "Invalid build target: %s" % buildTargetInfo)
        b, d = hub.find_tag(build_tag), hub.find_tag(dest_tag)
        target.update(name=name, build_tag=b["id"], build_tag_name=b["name"],
                      dest_tag=d["id"], dest_tag_name=d["name"])
        return None

    @staticmethod
    def getBuild(hub, user, buildInfo, strict=False):
        build = hub.find_build(buildInfo, strict)
        return dict(build) if build else None

    @staticmethod
    def listTagged(hub, user, tag, event=None, inherit=False, prefix=None, latest=False,
                   package=None, owner=None, type=None):
        t = hub.find_tag(tag)
        result = []
        for entry in sorted(hub.tagged, key=lambda e: e["create_event"], reverse=True):
            if entry["tag_id"] != t["id"]:
                continue
            build = hub.builds[entry["build_id"]]
            if package and build["package_name"] != package:
                continue
            if prefix and not build["package_name"].startswith(prefix):
                continue
            result.append(dict(build, tag_id=t["id"], tag_name=t["name"],
                               create_event=entry["create_event"]))
        return result

    @staticmethod
    def tagBuildBypass(hub, user, tag, build, force=False, notify=False):
        require_perm(user, "tag")
        t, b = hub.find_tag(tag), hub.find_build(build)
        if t["locked"] and not force:
            raise KojiFault("LockError", "Tag %s is locked" % t["name"])
        if b["state"] != BUILD_STATES["COMPLETE"]:
            raise KojiFault("TagError", "build %s not complete: state %s" % (b["nvr"], b["state"]))
        if any(e["tag_id"] == t["id"] and e["build_id"] == b["id"] for e in hub.tagged):
            raise KojiFault("TagError", "build %s already tagged (%s)" % (b["nvr"], t["name"]))
        hub._tag(t, b, user["name"])
        return None

    @staticmethod
    def untagBuildBypass(hub, user, tag, build, strict=True, force=False, notify=False):
        require_perm(user, "tag")
        t, b = hub.find_tag(tag), hub.find_build(build)
        if t["locked"] and not force:
            raise KojiFault("LockError", "Tag %s is locked" % t["name"])
        before = len(hub.tagged)
        hub._untag(t, b)
        if before == len(hub.tagged) and strict:
            raise KojiFault("TagError", "build %s not in tag %s" % (b["nvr"], t["name"]))
        hub.next_event()
        return None

    @staticmethod
    def deleteBuildTarget(hub, user, buildTargetInfo):
        require_perm(user, "target")
        target = hub.find_target(buildTargetInfo)
        if target is None:
            raise KojiFault("GenericError", "No such build target: %s" % buildTargetInfo)
        del hub.targets[target["id"]]
        hub.next_event()
        return None

    @staticmethod
    def listPackages(hub, user, tagID=None, userID=None, pkgID=None, prefix=None, inherited=False,
                     with_dups=False, event=None, queryOpts=None, with_owners=True,
                     with_blocked=True):
        t = hub.find_tag(tagID)
        names = {pkg_id: name for name, pkg_id in hub.packages.items()}
        result = []
        for pkg_id, entry in sorted(hub.package_list(t, inherited).items(), key=lambda e: names[e[0]]):
            name = names[pkg_id]
            if pkgID is not None and pkgID not in (pkg_id, name):
                continue
            if prefix and not name.startswith(prefix):
                continue
            if entry["blocked"] and not with_blocked:
                continue
            result.append({"package_id": pkg_id, "package_name": name, "tag_id": entry["tag_id"],
                           "tag_name": entry["tag_name"], "owner_name": entry["owner"],
                           "blocked": entry["blocked"], "extra_arches": None})
        return result

    @staticmethod
    def packageListBlock(hub, user, taginfo, pkginfo, force=False):
        require_perm(user, "tag")
        t = hub.find_tag(taginfo)
        pkg_id = hub.packages.get(pkginfo)
        current = hub.package_list(t, inherited=True).get(pkg_id) if pkg_id else None
        if current and current["blocked"] and current["tag_id"] == t["id"]:
            raise KojiFault("GenericError", "package %s already blocked in tag %s" % (pkginfo, t["name"]))
        hub._list_package(t, pkginfo, current["owner"] if current else user["name"], blocked=True)
        hub.next_event()
        return None

    @staticmethod
    def listSideTags(hub, user, basetag=None, owner=None, queryOpts=None):
        # Koji names the second argument "user"; here that name is the caller
        base = hub.find_tag(basetag) if basetag else None
        by_id = {u["id"]: u["name"] for u in hub.users.values()}
        result = []
        for t in sorted(hub.tags.values(), key=lambda t: t["id"]):
            if not t["extra"].get("sidetag"):
                continue
            if base and not any(l["parent_id"] == base["id"] for l in hub.inheritance[t["id"]]):
                continue
            owner_name = by_id.get(t["extra"].get("sidetag_user_id"))
            if owner and owner not in (owner_name, t["extra"].get("sidetag_user_id")):
                continue
            result.append({"id": t["id"], "name": t["name"],
                           "user_id": t["extra"].get("sidetag_user_id"), "user_name": owner_name})
        return result

    @staticmethod
    def removeSideTag(hub, user, sidetag, **kwargs):
        if user is None:
            raise KojiFault("ActionNotAllowed", "you must be logged in for this operation")
        t = hub.find_tag(sidetag)
        if not t["extra"].get("sidetag"):
            raise KojiFault("GenericError", "Not a sidetag: %s" % t["name"])
        if t["extra"].get("sidetag_user_id") != user["id"] and "admin" not in user["perms"]:
            raise KojiFault("ActionNotAllowed", "This is not your sidetag")
        target = hub.find_target(t["name"])
        if target:
            del hub.targets[target["id"]]
        hub._delete_tag(t)
        return None

    @staticmethod
    def queryHistory(hub, user, tables=None, **kwargs):
        t = hub.find_tag(kwargs["tag"]) if "tag" in kwargs else None
        tables = tables or ["tag_config", "tag_listing"]
        result = {}
        if "tag_config" in tables:
            result["tag_config"] = [{"tag_id": x["id"], "tag.name": x["name"],
                                     "create_ts": hub.created[x["id"]], "revoke_ts": None, "active": True}
                                    for x in hub.tags.values() if t is None or x["id"] == t["id"]]
        if "tag_listing" in tables:
            result["tag_listing"] = [
                {"tag_id": e["tag_id"], "tag.name": hub.tags[e["tag_id"]]["name"],
                 "build_id": e["build_id"], "creator_name": e["owner"],
                 "create_ts": e["create_ts"], "revoke_ts": e["revoke_ts"],
                 "active": None if e["revoke_ts"] else True}
                for e in hub.listing
                if e["tag_id"] in hub.tags and (t is None or e["tag_id"] == t["id"])]
        return result


def days_ago(days):
    return time.time() - float(days) * 86400


def require_perm(user, perm):
    if user is None:
        raise KojiFault("ActionNotAllowed", "you must be logged in for this operation")
    if "admin" not in user["perms"] and perm not in user["perms"]:
        raise KojiFault("ActionNotAllowed", "%s permission required (logged in as %s)"
                        % (perm, user["name"]))


def make_handler(hub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("koji-fake: " + (fmt % args) + "\n")

        def send_body(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def read_body(self):
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def do_GET(self):
            if urlparse(self.path).path == "/_fake/state":
                self.send_body(200, "application/json", json.dumps(hub.snapshot()).encode())
            else:
                self.send_body(404, "text/plain", b"not found\n")

        def do_POST(self):
            url = urlparse(self.path)
            if url.path == "/_fake/seed":
                hub.seed(json.loads(self.read_body() or b"{}"))
                self.send_body(200, "application/json", json.dumps(hub.snapshot()).encode())
            elif url.path == "/kojihub":
                self.send_body(200, "text/xml", self.dispatch(self.read_body(), parse_qs(url.query)))
            else:
                self.send_body(404, "text/plain", b"not found\n")

        def dispatch(self, body, query):
            try:
                params, method = xmlrpc.client.loads(body, use_builtin_types=True)
                args, kwargs = list(params), {}
                if args and isinstance(args[-1], dict) and args[-1].get("__starstar"):
                    kwargs = dict(args.pop())
                    del kwargs["__starstar"]
                with hub.lock:
                    hub.calls.append(method)
                    result = self.call(method, args, kwargs, query)
                return xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True).encode()
            except KojiFault as e:
                return xmlrpc.client.dumps(xmlrpc.client.Fault(e.code, str(e))).encode()
            except TypeError as e:
                return xmlrpc.client.dumps(xmlrpc.client.Fault(FAULTS["ParameterError"], str(e))).encode()

        def call(self, method, args, kwargs, query):
            if method == "login":
                user = hub.users.get(args[0] if args else None)
                if user is None or user["password"] != (args[1] if len(args) > 1 else None):
                    raise KojiFault("AuthError", "invalid username or password")
                session_id = hub.next_id()
                key = "%d-%s" % (session_id, secrets.token_hex(8))
                hub.sessions[str(session_id)] = {"key": key, "user": user["name"]}
                return {"session-id": session_id, "session-key": key}
            user = self.session_user(query)
            if method == "logout":
                hub.sessions.pop(query.get("session-id", [""])[0], None)
                return None
            impl = getattr(Api, method, None)
            if impl is None or method.startswith("_"):
                raise KojiFault("GenericError", "Invalid method: %s" % method)
            return impl(hub, user, *args, **kwargs)

        def session_user(self, query):
            if "session-id" not in query:
                return None
            session = hub.sessions.get(query["session-id"][0])
            if session is None or session["key"] != query.get("session-key", [""])[0]:
                raise KojiFault("AuthError", "Invalid session or session expired")
            return hub.users[session["user"]]

    return Handler


def main():
    loopback.serve(__doc__.splitlines()[0], "users, tags, targets, builds", Hub(), make_handler, "/kojihub")


if __name__ == "__main__":
    main()
