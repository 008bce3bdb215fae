#!/usr/bin/python3
"""Checks a fedmsg message's x509 signature as fedmsg.crypto.x509_ng.validate does.

Reads one message (the envelope JSON) from FILE or standard input. Strips `signature` and
`certificate`, re-encodes the rest with sorted keys and compact separators, checks that the
certificate chains to --ca (OpenSSL's X509 store, via pyOpenSSL, as fedmsg does) and verifies the
RSA PKCS#1 v1.5 SHA-1 signature with the certificate's key. Prints OK and exits 0, or prints the
failure and exits 1. (fedmsg's last step, the routing policy for the certificate's CN, is
configuration rather than cryptography; --cn checks the CN when given.)
"""
import argparse
import base64
import binascii
import json
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID
from OpenSSL.crypto import FILETYPE_PEM, X509Store, X509StoreContext, X509StoreContextError, load_certificate


def fail(reason):
    print("FAIL: " + reason)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?")
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cn")
    args = parser.parse_args()

    text = open(args.file, encoding="utf-8").read() if args.file else sys.stdin.read()
    message = json.loads(text)
    if message.get("crypto") != "x509":
        return fail("crypto is %r, not 'x509'" % message.get("crypto"))
    try:
        signature = base64.b64decode(message["signature"])
        certificate = base64.b64decode(message["certificate"])
    except KeyError as missing:
        return fail("no %s field" % missing)
    except binascii.Error as e:
        return fail("bad base64: %s" % e)

    stripped = {k: v for k, v in message.items() if k not in ("signature", "certificate")}
    signed_text = json.dumps(stripped, sort_keys=True, separators=(",", ":")).encode("utf-8")

    with open(args.ca, "rb") as f:
        ca = load_certificate(FILETYPE_PEM, f.read())
    store = X509Store()
    store.add_cert(ca)
    try:
        X509StoreContext(store, load_certificate(FILETYPE_PEM, certificate)).verify_certificate()
    except X509StoreContextError as e:
        return fail("certificate does not chain to the CA: %s" % e)

    cert = x509.load_pem_x509_certificate(certificate)
    try:
        cert.public_key().verify(signature, signed_text, padding.PKCS1v15(), hashes.SHA1())
    except InvalidSignature:
        return fail("invalid signature")

    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    if args.cn is not None and cn != args.cn:
        return fail("certificate CN %r is not %r" % (cn, args.cn))
    print("OK " + cn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
