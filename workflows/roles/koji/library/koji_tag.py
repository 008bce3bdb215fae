#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_tag
short_description: Ensure a Koji tag exists with the given settings and parents
description:
  - Creates the tag (createTag) or brings its arches, permission, lock and extra settings in
    line (editTag2), then its inheritance (setInheritanceData). Changes nothing when the hub
    already matches; in check mode reports what it would change.
options:
  name: {type: str, required: true}
  arches: {type: list, elements: str, description: Architectures; omitted means leave as is.}
  perm: {type: str, description: Permission needed to tag into it, e.g. admin.}
  locked: {type: bool}
  extra: {type: dict, description: Extra settings such as rpm.macro.dist; only listed keys are compared.}
  must_exist: {type: bool, default: false, description: Fail instead of creating a missing tag.}
  parents:
    type: list
    elements: str
    description: Parent tag names in priority order (0, 10, 20, ...); omitted means leave as is.
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def wanted_settings(params):
    wanted = {}
    if params["arches"] is not None:
        wanted["arches"] = " ".join(params["arches"])
    for key in ("perm", "locked"):
        if params[key] is not None:
            wanted[key] = params[key]
    return wanted


def ensure(module, hub):
    p = module.params
    name = p["name"]
    tag = hub.call("getTag", name)
    changes = []
    if tag is None and p["must_exist"]:
        hub.call("getTag", name, strict=True)  # fails with Koji's own "No such tagInfo"
    if tag is None:
        changes.append("create tag %s" % name)
        if not module.check_mode:
            settings = wanted_settings(p)
            hub.login().call("createTag", name, arches=settings.get("arches"),
                             perm=settings.get("perm"), locked=settings.get("locked", False),
                             extra=p["extra"] or {})
            tag = hub.call("getTag", name, strict=True)
    else:
        edits = {k: v for k, v in wanted_settings(p).items() if tag.get(k) != v}
        extra = {k: v for k, v in (p["extra"] or {}).items() if tag["extra"].get(k) != v}
        if extra:
            edits["extra"] = extra
        if edits:
            changes.append("edit %s: %s" % (name, ", ".join(sorted(edits))))
            if not module.check_mode:
                hub.login().call("editTag2", name, **edits)

    if p["parents"] is not None:
        current = hub.call("getInheritanceData", name) if tag else []
        have = [(link["name"], link["priority"]) for link in sorted(current, key=lambda l: l["priority"])]
        want = [(parent, i * 10) for i, parent in enumerate(p["parents"])]
        if have != want:
            changes.append("inheritance of %s: %s -> %s" % (name, have, want))
            if not module.check_mode:
                data = [{"parent_id": hub.call("getTag", parent, strict=True)["id"], "priority": prio,
                         "maxdepth": None, "intransitive": False, "noconfig": False, "pkg_filter": ""}
                        for parent, prio in want]
                hub.login().call("setInheritanceData", name, data, clear=True)
    return {"changed": bool(changes), "changes": changes,
            "tag": hub.call("getTag", name) if not module.check_mode else tag}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            arches=dict(type="list", elements="str"),
            perm=dict(type="str"),
            locked=dict(type="bool"),
            extra=dict(type="dict"),
            parents=dict(type="list", elements="str"),
            must_exist=dict(type="bool", default=False),
            **KOJI_HUB_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda hub: ensure(module, hub))


if __name__ == "__main__":
    main()
