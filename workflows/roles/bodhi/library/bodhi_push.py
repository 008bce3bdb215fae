#!/usr/bin/python3
DOCUMENTATION = r"""
module: bodhi_push
short_description: Push a release's updates that request testing or stable
description:
  - Collects the updates of the release whose request is I(request) (GET /updates/), skipping
    locked ones, and starts a compose for them; then waits until Bodhi no longer lists the
    compose (it deletes finished composes) and fails if the compose ends in state "failed".
  - With dry_run (or in check mode) only lists what would be pushed. Nothing to push means no change.
  - Production Bodhi starts composes with bodhi-push on its backend host; this module posts the
    same request to POST /composes/, which the test stand-in implements (see test-fixtures/fakes).
options:
  release: {type: str, required: true, description: "Bodhi release name, e.g. F42"}
  request: {type: str, choices: [testing, stable], required: true}
  dry_run: {type: bool, default: true}
  wait_seconds: {type: int, default: 21600}
  bodhi_url: {type: str}
  bodhi_token: {type: str}
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.bodhi_client import BODHI_API_ARGS, run


def push(module, bodhi):
    p = module.params
    if bodhi.release(p["release"]) is None:
        raise ValueError("no Bodhi release named %s" % p["release"])
    candidates = bodhi.updates(releases=p["release"], request=p["request"])
    ready = [u for u in candidates if not u.get("locked")]
    result = {"updates": [u["alias"] for u in ready],
              "locked": [u["alias"] for u in candidates if u.get("locked")]}
    if not ready:
        return dict(result, changed=False, msg="nothing requests %s in %s" % (p["request"], p["release"]))
    if p["dry_run"]:
        return dict(result, changed=False, msg="dry run: would push %d update(s)" % len(ready))
    if module.check_mode:
        return dict(result, changed=True, msg="check mode: would push %d update(s)" % len(ready))

    started = bodhi.post("composes/", {"release": p["release"], "request": p["request"],
                                       "updates": result["updates"]})
    compose = started.get("compose", {})
    deadline = time.monotonic() + p["wait_seconds"]
    while compose.get("state") not in ("failed", "success"):
        if time.monotonic() > deadline:
            raise ValueError("compose %s %s still %s after %ss" % (
                p["release"], p["request"], compose.get("state"), p["wait_seconds"]))
        time.sleep(30)
        found = bodhi.get("composes/%s/%s" % (p["release"], p["request"]), missing_ok=True)
        compose = found["compose"] if found else {"state": "success"}
    if compose["state"] == "failed":
        module.fail_json(msg="Bodhi compose %s %s failed: %s" % (
            p["release"], p["request"], compose.get("error_message")), compose=compose, **result)
    return dict(result, changed=True, msg="pushed %d update(s) to %s" % (len(ready), p["request"]))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            release=dict(type="str", required=True),
            request=dict(type="str", choices=["testing", "stable"], required=True),
            dry_run=dict(type="bool", default=True),
            wait_seconds=dict(type="int", default=21600),
            **BODHI_API_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda bodhi: push(module, bodhi))


if __name__ == "__main__":
    main()
