#!/usr/bin/python3
"""An independent fedmsg publisher for tests (python3-zmq and python3-cryptography, not the engine's code).

Binds a PUB socket to ENDPOINT, as a fedmsg hub does in passive mode, reads a JSON list of
messages from FILE and sends all of them, in order, every --interval seconds until it is killed
(ZeroMQ drops what is sent before a subscriber's subscription arrives, so a test waits for the
messages to be heard rather than sending once). Prints "bound ENDPOINT" when the socket is bound.

Each message is an object:
  topic          the topic frame (frame 1) and, unless signed_topic is given, the envelope's topic
  msg            the application's object
  msg_id         the envelope's msg_id
  sign           optional {"cert": PEM file, "key": PEM file}: sign as fedmsg.crypto.x509_ng.sign
                 does (crypto "x509", RSA PKCS#1 v1.5 over SHA-1 of the sorted compact JSON
                 without signature/certificate, both base64 in 76-character lines)
  signed_topic   optional: the envelope's topic when it differs from the frame (a replay)
  after_signing  optional object: fields of msg replaced once signed (a forgery)
"""
import argparse
import base64
import getpass
import json
import sys
import time

import zmq
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def encode(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def sign(envelope, cert_file, key_file):
    with open(key_file, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(cert_file, "rb") as f:
        cert_pem = f.read()
    envelope = dict(envelope, crypto="x509")
    signature = key.sign(encode(envelope).encode("utf-8"), padding.PKCS1v15(), hashes.SHA1())
    envelope["signature"] = base64.encodebytes(signature).decode("ascii")
    envelope["certificate"] = base64.encodebytes(cert_pem).decode("ascii")
    return envelope


def build(spec, i):
    envelope = {
        "topic": spec.get("signed_topic", spec["topic"]),
        "msg": spec["msg"],
        "msg_id": spec["msg_id"],
        "timestamp": int(time.time()),
        "i": i,
        "username": getpass.getuser(),
    }
    if "sign" in spec:
        envelope = sign(envelope, spec["sign"]["cert"], spec["sign"]["key"])
    if "after_signing" in spec:
        envelope["msg"] = dict(envelope["msg"], **spec["after_signing"])
    return spec["topic"].encode("utf-8"), encode(envelope).encode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("endpoint")
    parser.add_argument("file")
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()

    with open(args.file, encoding="utf-8") as f:
        specs = json.load(f)
    frames = [build(spec, i + 1) for i, spec in enumerate(specs)]

    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.LINGER, 0)
    socket.bind(args.endpoint)
    print("bound " + args.endpoint, flush=True)
    try:
        while True:
            for topic, body in frames:
                socket.send_multipart([topic, body])
            time.sleep(args.interval)
    finally:
        socket.close()
        context.term()


if __name__ == "__main__":
    sys.exit(main())
