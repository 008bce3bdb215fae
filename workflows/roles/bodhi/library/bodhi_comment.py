#!/usr/bin/python3
DOCUMENTATION = r"""
module: bodhi_comment
short_description: Ensure an update carries a comment with the given text (POST /comments/)
description:
  - Reads the update (GET /updates/{alias}) and comments only when no comment has this exact
    text, so running twice does not comment twice. Never gives karma.
options:
  update: {type: str, required: true, description: Update alias.}
  text: {type: str, required: true}
  bodhi_url: {type: str}
  bodhi_token: {type: str}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.bodhi_client import BODHI_API_ARGS, run


def ensure(module, bodhi):
    p = module.params
    update = bodhi.get("updates/" + p["update"])["update"]
    if any(c.get("text") == p["text"] for c in update.get("comments", [])):
        return {"changed": False}
    if module.check_mode:
        return {"changed": True}
    comment = bodhi.post("comments/", {"update": p["update"], "text": p["text"], "karma": 0})
    return {"changed": True, "comment": comment.get("comment")}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            update=dict(type="str", required=True),
            text=dict(type="str", required=True),
            **BODHI_API_ARGS,
        ),
        supports_check_mode=True,
    )
    run(module, lambda bodhi: ensure(module, bodhi))


if __name__ == "__main__":
    main()
