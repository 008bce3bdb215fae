#!/usr/bin/python3
DOCUMENTATION = r"""
module: bodhi_release
short_description: Ensure a Bodhi release exists with the given settings
description:
  - GET /releases/{name}; POST /releases/ to create it, or to edit the fields that differ
    (Bodhi edits when the body names the release in "edited"). Changes nothing when it matches.
options:
  release: {type: dict, required: true, description: "Bodhi release fields: name, long_name, version, id_prefix, branch, dist_tag, *_tag, state, ..."}
  must_exist: {type: bool, default: false, description: Fail instead of creating a missing release.}
  bodhi_url: {type: str}
  bodhi_token: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.bodhi_client import BODHI_API_ARGS, run


def ensure(module, bodhi):
    wanted = {k: v for k, v in module.params["release"].items() if v is not None}
    current = bodhi.release(wanted["name"])
    if current is None and module.params["must_exist"]:
        bodhi.get("releases/" + wanted["name"])  # fails with Bodhi's own 404
    if current is None:
        changes = ["create release %s" % wanted["name"]]
        body = wanted
    else:
        differing = sorted(k for k, v in wanted.items() if str(current.get(k)) != str(v))
        if not differing:
            return {"changed": False, "release": current}
        changes = ["edit %s: %s" % (wanted["name"], ", ".join(differing))]
        body = dict(current, **wanted)
        body = {k: v for k, v in body.items() if v is not None and not isinstance(v, (list, dict))}
        body["edited"] = wanted["name"]
    if module.check_mode:
        return {"changed": True, "changes": changes, "release": current}
    return {"changed": True, "changes": changes, "release": bodhi.post("releases/", body)}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            release=dict(type="dict", required=True),
            must_exist=dict(type="bool", default=False),
            **BODHI_API_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda bodhi: ensure(module, bodhi))


if __name__ == "__main__":
    main()
