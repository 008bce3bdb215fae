#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_list_packages
short_description: List the packages of a Koji tag's package list, blocked and unblocked
description:
  - listPackages with inherited entries, as the tag sees them. Read-only, needs no credentials.
options:
  tag: {type: str, required: true}
  koji_url: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def list_packages(module, hub):
    entries = hub.call("listPackages", tagID=module.params["tag"], inherited=True)
    return {
        "changed": False,
        "unblocked": sorted(e["package_name"] for e in entries if not e["blocked"]),
        "blocked": sorted(e["package_name"] for e in entries if e["blocked"]),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(tag=dict(type="str", required=True), **KOJI_HUB_ARGS),
        supports_check_mode=True,
    )
    run(module, lambda hub: list_packages(module, hub))


if __name__ == "__main__":
    main()
