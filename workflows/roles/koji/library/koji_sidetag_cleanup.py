#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_sidetag_cleanup
short_description: Remove Koji side tags that are old, empty or unused (koji-sidetag-cleanup)
description:
  - Lists side tags (listSideTags, optionally only those of one base tag), reads each one's
    history (queryHistory of tag_config and tag_listing) and removes (removeSideTag, which
    also drops its build target) the ones that are empty and older than empty_days, that saw
    no tagging or untagging for inactive_days, or that are older than max_age_days. A limit of
    0 turns that rule off. In check mode reports what it would remove and why.
options:
  basetag: {type: str, description: Only side tags of this base tag, e.g. f42-build.}
  empty_days: {type: int, default: 14}
  inactive_days: {type: int, default: 21}
  max_age_days: {type: int, default: 30}
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
  koji_password_file: {type: path}
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run

DAY = 86400.0


def why_remove(p, age, idle, empty):
    """The rule a side tag breaks, or None to keep it."""
    if p["max_age_days"] and age > p["max_age_days"]:
        return "older than %d days (%d)" % (p["max_age_days"], age)
    if p["empty_days"] and empty and age > p["empty_days"]:
        return "empty for more than %d days (%d)" % (p["empty_days"], age)
    if p["inactive_days"] and idle > p["inactive_days"]:
        return "no tagging for more than %d days (%d)" % (p["inactive_days"], idle)
    return None


def cleanup(module, hub):
    p = module.params
    now = time.time()
    sidetags = hub.call("listSideTags", basetag=p["basetag"]) if p["basetag"] else hub.call("listSideTags")
    removed, kept = [], []
    for side in sorted(sidetags, key=lambda s: s["name"]):
        history = hub.call("queryHistory", tables=["tag_config", "tag_listing"], tag=side["name"])
        created = min((r["create_ts"] for r in history.get("tag_config", [])), default=now)
        listing = history.get("tag_listing", [])
        moments = [created] + [r["create_ts"] for r in listing] + [r["revoke_ts"] for r in listing if r["revoke_ts"]]
        empty = not any(r["active"] for r in listing)
        age, idle = int((now - created) // DAY), int((now - max(moments)) // DAY)
        reason = why_remove(p, age, idle, empty)
        entry = {"name": side["name"], "owner": side.get("user_name"), "age_days": age,
                 "idle_days": idle, "empty": empty}
        if reason is None:
            kept.append(entry)
            continue
        if not module.check_mode:
            hub.login().call("removeSideTag", side["name"])
        removed.append(dict(entry, reason=reason))
    return {"changed": bool(removed), "removed": removed, "kept": kept}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            basetag=dict(type="str"),
            empty_days=dict(type="int", default=14),
            inactive_days=dict(type="int", default=21),
            max_age_days=dict(type="int", default=30),
            **KOJI_HUB_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda hub: cleanup(module, hub))


if __name__ == "__main__":
    main()
