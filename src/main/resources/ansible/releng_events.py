# Sends every Ansible event to the Releng Workflow Engine, beside the normal console output.
#
# The engine writes this file to the run's private directory and names a Unix socket there in
# RELENG_EVENTS_SOCKET; this plugin connects once and writes one JSON object per line. It never
# prints and never fails the playbook: when the socket breaks it stops sending, and the engine,
# which then misses the final "releng_end" line, records that the run's events are incomplete.
#
# Console line of an event: Ansible calls the stdout callback first and then this one, with one
# lock around both, so what was written to stdout/stderr (one pipe for the engine) since this
# plugin handled the previous event is the output of this event. A counting wrapper around
# sys.stdout and sys.stderr (Display looks them up on every write) gives the first line of it.
from __future__ import annotations

import atexit
import json
import os
import socket
import time

from ansible import context
from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: releng_events
    type: aggregate
    short_description: sends events to the Releng Workflow Engine
    description:
      - Sends each event, with AWX's type names, to the engine's socket named in RELENG_EVENTS_SOCKET.
"""

# A result larger than this is not sent at all (no partial result: the engine masks secrets, and
# half a secret would not be recognised); the engine keeps far less of each result anyway.
MAX_RESULT = 1024 * 1024
SEND_TIMEOUT = 30.0


def _relative(path):
    """A path in the catalog (the working directory) as the catalog names it; others as they are."""
    if not path:
        return path
    here = os.getcwd() + os.sep
    return path[len(here):] if path.startswith(here) else path


class _Encoder(AnsibleJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


class _Lines:
    """Counts the lines written, and where the first visible text since the last take() began."""

    def __init__(self):
        self.lines = 0
        self.first = None

    def saw(self, text):
        if not isinstance(text, str):
            return
        if self.first is None:
            visible = text.lstrip("\n")
            if visible:
                self.first = self.lines + (len(text) - len(visible)) + 1
        self.lines += text.count("\n")

    def take(self):
        line = self.first if self.first is not None else self.lines + 1
        self.first = None
        return line


class _Counted:
    def __init__(self, stream, lines):
        self._stream = stream
        self._lines = lines

    def write(self, text):
        self._lines.saw(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "releng_events"
    # found only in the engine's private plugin directory, so it needs no enabling (and leaves a
    # catalog's own callbacks_enabled alone)
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super().__init__()
        import sys

        self._lines = _Lines()
        sys.stdout = _Counted(sys.stdout, self._lines)
        sys.stderr = _Counted(sys.stderr, self._lines)
        self._sock = None
        self._play = None
        self._task = None
        self._started = {}
        path = os.environ.get("RELENG_EVENTS_SOCKET")
        if path:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(SEND_TIMEOUT)
                sock.connect(path)
                self._sock = sock
            except OSError:
                self._sock = None
        atexit.register(self._end)

    # -- sending

    def _send(self, event):
        event["line"] = self._lines.take()
        if self._sock is None:
            return
        event["at"] = time.time()
        try:
            data = json.dumps(event, cls=_Encoder, separators=(",", ":"))
            if len(data) > MAX_RESULT and event.get("result") is not None:
                event["result"] = {"_releng_dropped": "a result of %d bytes, larger than %d" % (len(data), MAX_RESULT)}
                data = json.dumps(event, cls=_Encoder, separators=(",", ":"))
        except Exception as e:  # a value json cannot take: say so rather than lose the event
            data = json.dumps({"type": "releng_error", "message": "event %s not serializable: %s" % (event.get("type"), e)})
        self._write(data + "\n")

    def _write(self, data):
        try:
            self._sock.sendall(data.encode("utf-8", "replace"))
        except OSError:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    def _end(self):
        if self._sock is not None:
            self._write('{"type":"releng_end"}\n')
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    # -- what an event says

    def _task_fields(self, task):
        role = getattr(task, "_role", None)
        return {
            "play": self._play.get_name() if self._play else None,
            "playId": str(self._play._uuid) if self._play else None,
            "task": task.get_name(),
            "taskId": str(task._uuid),
            "taskPath": _relative(task.get_path()),
            "role": role.get_name() if role else None,
            "action": task.action,
        }

    def _result_event(self, kind, result, ignore_errors=False, item=False):
        task = result._task
        res = result._result
        event = self._task_fields(task)
        host = result._host.get_name()
        event.update(type=kind, host=host)
        no_log = (isinstance(task.no_log, bool) and task.no_log) or res.get("_ansible_no_log", False) or "censored" in res
        event["changed"] = bool(res.get("changed", False))
        event["failed"] = kind in ("runner_on_failed", "runner_item_on_failed", "runner_on_unreachable")
        event["ignored"] = bool(ignore_errors) and kind == "runner_on_failed"
        if item or "item" in res or "_ansible_item_label" in res:
            event["item"] = None if no_log else self._get_item_label(res)
        if not item:
            started = self._started.pop((host, str(task._uuid)), None)
            if started is not None:
                event["durationMs"] = int((time.monotonic() - started) * 1000)
        if no_log:
            event["result"] = None
        else:
            kept = {k: v for k, v in res.items() if not k.startswith("_ansible")}
            if not item and isinstance(kept.get("results"), list) and task.loop is not None:
                # each item was an event of its own already
                kept["results"] = "%d item results, sent as runner_item_on_* events" % len(kept["results"])
            event["result"] = kept
        self._send(event)

    # -- Ansible's hooks

    def v2_playbook_on_start(self, playbook):
        args = context.CLIARGS
        self._send({
            "type": "playbook_on_start",
            "result": {
                "playbook": os.path.basename(playbook._file_name),
                "check": bool(args.get("check", False)),
                "diff": bool(args.get("diff", False)),
            },
        })

    def v2_playbook_on_play_start(self, play):
        self._play = play
        self._send({"type": "playbook_on_play_start", "play": play.get_name(), "playId": str(play._uuid)})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task = task
        event = self._task_fields(task)
        event["type"] = "playbook_on_task_start"
        self._send(event)

    def v2_playbook_on_handler_task_start(self, task):
        self._task = task
        event = self._task_fields(task)
        event["type"] = "playbook_on_handler_task_start"
        self._send(event)

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), str(task._uuid))] = time.monotonic()

    def v2_runner_on_ok(self, result):
        self._result_event("runner_on_ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result_event("runner_on_failed", result, ignore_errors=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._result_event("runner_on_skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result_event("runner_on_unreachable", result)

    def v2_runner_item_on_ok(self, result):
        self._result_event("runner_item_on_ok", result, item=True)

    def v2_runner_item_on_failed(self, result):
        self._result_event("runner_item_on_failed", result, item=True)

    def v2_runner_item_on_skipped(self, result):
        self._result_event("runner_item_on_skipped", result, item=True)

    def v2_runner_retry(self, result):
        self._result_event("runner_retry", result, item=True)

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            recap[host] = {
                "ok": s.get("ok", 0),
                "changed": s.get("changed", 0),
                "failed": s.get("failures", 0),
                "unreachable": s.get("unreachable", 0),
                "skipped": s.get("skipped", 0),
                "rescued": s.get("rescued", 0),
                "ignored": s.get("ignored", 0),
            }
        custom = stats.custom or {}
        self._send({
            "type": "playbook_on_stats",
            "result": {"hosts": recap, "outputs": custom.get("_run", {}), "perHost": {k: v for k, v in custom.items() if k != "_run"}},
        })
