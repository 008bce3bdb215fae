#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_list_tagged
short_description: List the builds in a Koji tag (listTagged); read-only, never changes anything
options:
  tag: {type: str, required: true}
  koji_url: {type: str}
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def list_tagged(module, hub):
    builds = hub.call("listTagged", module.params["tag"])
    now = time.time()
    return {
        "changed": False,
        "count": len(builds),
        "builds": [{"nvr": b["nvr"], "owner": b.get("owner_name"),
                    "age_hours": round((now - b["creation_ts"]) / 3600, 1) if b.get("creation_ts") else None}
                   for b in builds],
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(tag=dict(type="str", required=True), **KOJI_HUB_ARGS),
        supports_check_mode=True,
    )
    run(module, lambda hub: list_tagged(module, hub))


if __name__ == "__main__":
    main()
