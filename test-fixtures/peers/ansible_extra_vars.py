#!/usr/bin/python3
"""Reads an extra-vars file the way `ansible-playbook -e @FILE` does (Ansible's own DataLoader)
and says what Ansible got.

Prints one JSON object: `vars`, the loaded variables as JSON; `templatable`, the JSON-pointer
paths of every string, value or mapping key below the top level, that Ansible would template
(that is, not marked unsafe); `top_level_templatable`, the top-level names whose value is a
string Ansible would template.
"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.utils.unsafe_proxy import AnsibleUnsafe


def pointer(path):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def templatable(value, path, found):
    if isinstance(value, str):
        if not isinstance(value, AnsibleUnsafe):
            found.append(pointer(path))
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, AnsibleUnsafe):
                found.append(pointer(path + [key]) + " (key)")
            templatable(item, path + [key], found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            templatable(item, path + [index], found)


def main():
    loaded = DataLoader().load_from_file(sys.argv[1])
    found, top = [], []
    for name, value in loaded.items():
        if isinstance(value, str) and not isinstance(value, AnsibleUnsafe):
            top.append(name)
        elif not isinstance(value, str):
            templatable(value, [name], found)
    print(json.dumps({"vars": loaded, "templatable": found, "top_level_templatable": top}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
