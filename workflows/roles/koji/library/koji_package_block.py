#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_package_block
short_description: Ensure packages are blocked in a Koji tag (koji block-pkg)
description:
  - Reads the tag's package list, inherited entries included (listPackages), and for each
    package not blocked yet first untags its builds from the tag (untagBuildBypass, as
    releng's block_retired does: a blocked package's builds must not linger in the tag), then
    blocks it (packageListBlock). Blocking in the oldest tag is enough: inheritance carries it.
    In check mode reports what it would block and untag.
options:
  tag: {type: str, required: true}
  packages: {type: list, elements: str, required: true}
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
  koji_password_file: {type: path}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def ensure(module, hub):
    p = module.params
    tag = p["tag"]
    listed = {e["package_name"]: e for e in hub.call("listPackages", tagID=tag, inherited=True)}
    blocked, untagged, unchanged = [], [], []
    for package in p["packages"]:
        entry = listed.get(package)
        if entry is not None and entry["blocked"]:
            unchanged.append(package)
            continue
        builds = [b["nvr"] for b in hub.call("listTagged", tag, package=package)]
        if not module.check_mode:
            hub.login()
            for nvr in builds:
                hub.call("untagBuildBypass", tag, nvr)
            hub.call("packageListBlock", tag, package)
        blocked.append(package)
        untagged.extend(builds)
    return {"changed": bool(blocked), "blocked": blocked, "untagged": untagged,
            "unchanged": unchanged}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            tag=dict(type="str", required=True),
            packages=dict(type="list", elements="str", required=True),
            **KOJI_HUB_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda hub: ensure(module, hub))


if __name__ == "__main__":
    main()
