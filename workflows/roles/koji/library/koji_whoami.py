#!/usr/bin/python3
DOCUMENTATION = r"""
module: koji_whoami
short_description: Log in to Koji and report the user, so a workflow fails before its first change
options:
  koji_url: {type: str}
  koji_user: {type: str}
  koji_password: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.koji_hub import KOJI_HUB_ARGS, run


def whoami(hub):
    return {"changed": False, "user": hub.login().call("getLoggedInUser")}


def main():
    module = AnsibleModule(argument_spec=dict(**KOJI_HUB_ARGS), supports_check_mode=True)
    run(module, whoami)


if __name__ == "__main__":
    main()
