#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_target
short_description: Ensure a Koji build target points at the given build and destination tags
description:
  - createBuildTarget when missing, editBuildTarget when its tags differ, nothing otherwise.
options:
  name: {type: str, required: true}
  build_tag: {type: str, required: true}
  dest_tag: {type: str, required: true}
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def ensure(module, hub):
    p = module.params
    target = hub.call("getBuildTarget", p["name"])
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
            build_tag=dict(type="str", required=True),
            dest_tag=dict(type="str", required=True),
            **KOJI_HUB_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda hub: ensure(module, hub))


if __name__ == "__main__":
    main()
