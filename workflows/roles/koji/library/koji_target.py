#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_target
short_description: Ensure a Koji build target points at the given build and destination tags
description:
  - createBuildTarget when missing, editBuildTarget when its tags differ, nothing otherwise.
    With state=absent, deleteBuildTarget when it exists (koji remove-target), so that nothing
    more can be built for it.
options:
  name: {type: str, required: true}
  build_tag: {type: str, description: Required with state=present.}
  dest_tag: {type: str, description: Required with state=present.}
  state: {type: str, choices: [present, absent], default: present}
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def ensure(module, hub):
    p = module.params
    target = hub.call("getBuildTarget", p["name"])
    if p["state"] == "absent":
        if target is None:
            return {"changed": False, "target": None}
        if not module.check_mode:
            hub.login().call("deleteBuildTarget", p["name"])
        return {"changed": True, "changes": ["remove target %s (%s -> %s)" % (
            p["name"], target["build_tag_name"], target["dest_tag_name"])], "target": None}
    if target is None:
        change = "create target %s (%s -> %s)" % (p["name"], p["build_tag"], p["dest_tag"])
        if not module.check_mode:
            hub.login().call("createBuildTarget", p["name"], p["build_tag"], p["dest_tag"])
    elif (target["build_tag_name"], target["dest_tag_name"]) != (p["build_tag"], p["dest_tag"]):
        change = "retarget %s to %s -> %s" % (p["name"], p["build_tag"], p["dest_tag"])
        if not module.check_mode:
            hub.login().call("editBuildTarget", p["name"], p["name"], p["build_tag"], p["dest_tag"])
    else:
        return {"changed": False, "target": target}
    return {"changed": True, "changes": [change], "target": hub.call("getBuildTarget", p["name"])}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            build_tag=dict(type="str"),
            dest_tag=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            **KOJI_HUB_ARGS,
        ),
        required_if=[("state", "present", ("build_tag", "dest_tag"))],
        supports_check_mode=True,
    )
    run(module, lambda hub: ensure(module, hub))


if __name__ == "__main__":
    main()
