"""Minimal Bodhi REST client on urllib, for the bodhi role's modules.

Authenticates with an OIDC access token in "Authorization: Bearer"; reads need no token.
Bodhi reports errors as {"status": "error", "errors": [{"location", "name", "description"}]},
which BodhiError turns into one readable message.
"""
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

BODHI_API_ARGS = dict(
    bodhi_url=dict(type="str", default="https://bodhi.fedoraproject.org/"),
    bodhi_token=dict(type="str", default=None, no_log=True),
)


class BodhiError(Exception):
    def __init__(self, method, path, status, body):
        try:
            errors = json.loads(body).get("errors", [])
            detail = "; ".join("%s: %s" % (e.get("name"), e.get("description")) for e in errors)
        except ValueError:
            detail = body[:200]
        super().__init__("Bodhi %s %s answered %s: %s" % (method, path, status, detail or body[:200]))
        self.status = status


class Bodhi:
    def __init__(self, url, token=None, timeout=60):
        self.url = url.rstrip("/") + "/"
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_module(cls, module):
        return cls(module.params["bodhi_url"], module.params["bodhi_token"])

    def request(self, method, path, query=None, body=None):
        url = self.url + path.lstrip("/")
        if query:
            url += "?" + urlencode(query, doseq=True)
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET":
            if not self.token:
                raise ValueError("bodhi_token is required to change Bodhi")
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise BodhiError(method, path, e.code, e.read().decode("utf-8", "replace"))

    def get(self, path, query=None, missing_ok=False):
        try:
            return self.request("GET", path, query)
        except BodhiError as e:
            if missing_ok and e.status == 404:
                return None
            raise

    def post(self, path, body):
        return self.request("POST", path, body=body)

    def release(self, name):
        return self.get("releases/" + quote(name), missing_ok=True)

    def updates(self, **query):
        """All pages of GET /updates/ for the query."""
        found, page = [], 1
        while True:
            doc = self.get("updates/", dict(query, page=page, rows_per_page=100))
            found.extend(doc["updates"])
            if page >= doc.get("pages", 1):
                return found
            page += 1


def run(module, body):
    bodhi = Bodhi.from_module(module)
    try:
        result = body(bodhi)
    except BodhiError as e:
        module.fail_json(msg=str(e), status=e.status)
    except (ValueError, OSError) as e:
        module.fail_json(msg="Bodhi %s: %s" % (bodhi.url, e))
    module.exit_json(**result)
