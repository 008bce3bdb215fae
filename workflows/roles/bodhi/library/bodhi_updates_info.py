#!/usr/bin/python3
DOCUMENTATION = r"""
module: bodhi_updates_info
short_description: Find Bodhi updates by release, status and package (read-only)
options:
  release: {type: str, required: true}
  status: {type: str, default: testing}
  packages: {type: list, elements: str, default: []}
  bodhi_url: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.bodhi_client import BODHI_API_ARGS, run


def find(module, bodhi):
    p = module.params
    query = {"releases": p["release"], "status": p["status"]}
    if p["packages"]:
        query["packages"] = p["packages"]
    updates = bodhi.updates(**query)
    return {"changed": False,
            "updates": [{"alias": u["alias"], "title": u["title"], "url": u.get("url"),
                         "builds": [b["nvr"] for b in u.get("builds", [])],
                         "comments": [c["text"] for c in u.get("comments", [])]}
                        for u in updates]}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            release=dict(type="str", required=True),
            status=dict(type="str", default="testing"),
            packages=dict(type="list", elements="str", default=[]),
            **BODHI_API_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda bodhi: find(module, bodhi))


if __name__ == "__main__":
    main()
