"""Minimal Koji hub client on xmlrpc.client, for the koji role's modules.

Koji's own client library is not installed on the engine hosts; the hub's XML-RPC protocol is
small enough to speak directly: keyword arguments travel as a trailing struct marked
"__starstar", and an authenticated session is the session-id/session-key pair login() returns,
passed as query parameters together with an increasing callnum.
"""
import xmlrpc.client
from urllib.parse import urlencode

KOJI_HUB_ARGS = dict(
    koji_url=dict(type="str", default="https://koji.fedoraproject.org/kojihub"),
    koji_user=dict(type="str", default=None),
    koji_password=dict(type="str", default=None, no_log=True),
    # Scheduled runs carry no secret parameters: they read the password from a file on the
    # engine host instead (koji_password wins when both are given).
    koji_password_file=dict(type="path", default=None, no_log=False),
)


class KojiError(Exception):
    def __init__(self, method, fault):
        super().__init__("Koji %s failed: %s (fault %s)" % (method, fault.faultString, fault.faultCode))
        self.code = fault.faultCode
        self.fault_string = fault.faultString


class KojiHub:
    def __init__(self, url, user=None, password=None):
        self.url = url
        self.user = user
        self.password = password
        self.session = None
        self.callnum = 0

    @classmethod
    def from_module(cls, module):
        p = module.params
        password = p["koji_password"]
        if not password and p.get("koji_password_file"):
            try:
                with open(p["koji_password_file"], encoding="utf-8") as f:
                    password = f.read().strip()
            except OSError as e:
                module.fail_json(msg="koji_password_file %s: %s" % (p["koji_password_file"], e.strerror))
            module.no_log_values.add(password)
        return cls(p["koji_url"], p["koji_user"], password)

    def call(self, method, *args, **kwargs):
        params = list(args)
        if kwargs:
            params.append(dict(kwargs, __starstar=True))
        url = self.url
        if self.session:
            self.callnum += 1
            url += "?" + urlencode({"session-id": self.session["session-id"],
                                    "session-key": self.session["session-key"],
                                    "callnum": self.callnum})
        proxy = xmlrpc.client.ServerProxy(url, allow_none=True, use_builtin_types=True)
        try:
            return getattr(proxy, method)(*params)
        except xmlrpc.client.Fault as fault:
            raise KojiError(method, fault)

    def login(self):
        """Logs in once; read-only workflows never call this, so they need no credentials."""
        if self.session is None:
            if not self.user or not self.password:
                raise ValueError("koji_user and koji_password (or koji_password_file) are required to change Koji")
            self.session = self.call("login", self.user, self.password)
        return self

    def logout(self):
        if self.session is not None:
            try:
                self.call("logout")
            finally:
                self.session = None


def run(module, body):
    """Runs body(hub) and exits the module with its result dict, turning Koji faults into failures."""
    hub = KojiHub.from_module(module)
    try:
        result = body(hub)
    except KojiError as e:
        module.fail_json(msg=str(e), fault_code=e.code, fault_string=e.fault_string)
    except (ValueError, OSError) as e:
        module.fail_json(msg="Koji hub %s: %s" % (hub.url, e))
    finally:
        try:
            hub.logout()
        except (KojiError, OSError):
            pass
    module.exit_json(**result)
