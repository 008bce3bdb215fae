#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_tagged_builds
short_description: Ensure builds are (state=present) or are not (state=absent) tagged into a tag
description:
  - Checks every build exists (getBuild), compares with listTagged, then tags or untags only the
    difference with tagBuildBypass / untagBuildBypass, which act at once instead of queueing a
    tag task, so the result can be checked in the same run.
options:
  tag: {type: str, required: true}
  builds: {type: list, elements: str, required: true, description: NVRs.}
  state: {type: str, choices: [present, absent], default: present}
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def ensure(module, hub):
    p = module.params
    builds = [b.strip() for b in p["builds"] if b and b.strip()]
    for nvr in builds:
        hub.call("getBuild", nvr, True)  # strict: an unknown NVR fails with Koji's own fault
    tagged = {b["nvr"] for b in hub.call("listTagged", p["tag"])}
    if p["state"] == "present":
        todo = [nvr for nvr in builds if nvr not in tagged]
        method = "tagBuildBypass"
    else:
        todo = [nvr for nvr in builds if nvr in tagged]
        method = "untagBuildBypass"
    if todo and not module.check_mode:
        hub.login()
        for nvr in todo:
            hub.call(method, p["tag"], nvr)
    key = "tagged" if p["state"] == "present" else "untagged"
    return {"changed": bool(todo), key: todo, "unchanged": [b for b in builds if b not in todo]}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            tag=dict(type="str", required=True),
            builds=dict(type="list", elements="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            **KOJI_HUB_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda hub: ensure(module, hub))


if __name__ == "__main__":
    main()
