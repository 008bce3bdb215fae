#!/usr/bin/python3
DOCUMENTATION = r"""
module: distgit_retired
short_description: Tell which packages are retired on a dist-git branch
description:
  - A package is retired on a branch when the branch holds dead.package (Fedora's retirement
    procedure replaces the spec file with it, giving the reason). Reads
    GET {distgit_url}/rpms/{package}/raw/{branch}/f/dead.package for each package: 200 is
    retired, 404 is not, anything else fails the task. Read-only.
options:
  packages: {type: list, elements: str, required: true}
  branch: {type: str, required: true, description: "rawhide, f42, epel9, ..."}
  distgit_url: {type: str, default: "https://src.fedoraproject.org/"}
  timeout: {type: int, default: 30}
"""

import urllib.error
import urllib.request
from urllib.parse import quote

from ansible.module_utils.basic import AnsibleModule


def dead_package(url, package, branch, timeout):
    """The reason in dead.package, or None when the branch has no such file."""
    address = "%srpms/%s/raw/%s/f/dead.package" % (url, quote(package, safe=""), quote(branch, safe=""))
    try:
        with urllib.request.urlopen(address, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace").strip() or "dead.package (empty)"
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise RuntimeError("dist-git GET %s answered %s" % (address, e.code))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            packages=dict(type="list", elements="str", required=True),
            branch=dict(type="str", required=True),
            distgit_url=dict(type="str", default="https://src.fedoraproject.org/"),
            timeout=dict(type="int", default=30),
        ),
        supports_check_mode=True,
    )
    p = module.params
    url = p["distgit_url"].rstrip("/") + "/"
    retired, active = [], []
    try:
        for package in p["packages"]:
            reason = dead_package(url, package, p["branch"], p["timeout"])
            if reason is None:
                active.append(package)
            else:
                retired.append({"package": package, "reason": reason})
    except (RuntimeError, OSError) as e:
        module.fail_json(msg="dist-git %s: %s" % (url, e))
    module.exit_json(changed=False, retired=retired, active=active)


if __name__ == "__main__":
    main()
