#!/usr/bin/python3
"""An independent fedmsg subscriber for tests (python3-zmq, not jeromq).

Connects a SUB socket to ENDPOINT, subscribes to --topic (default: everything) and prints each
message as one JSON line: {"topic": frame 1, "raw": frame 2 as text, "envelope": frame 2 parsed}.
Exits 0 after --count messages, 2 when --timeout seconds pass first.
"""
import argparse
import json
import sys
import time

import zmq


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("endpoint")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--topic", default="")
    args = parser.parse_args()

    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.SUBSCRIBE, args.topic.encode("utf-8"))
    socket.connect(args.endpoint)
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)

    deadline = time.monotonic() + args.timeout
    received = 0
    try:
        while received < args.count:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(int(left * 1000)):
                print("timeout after %d of %d messages" % (received, args.count), file=sys.stderr)
                return 2
            frames = socket.recv_multipart()
            if len(frames) != 2:
                print("expected 2 frames, got %d" % len(frames), file=sys.stderr)
                return 3
            raw = frames[1].decode("utf-8")
            line = {"topic": frames[0].decode("utf-8"), "raw": raw, "envelope": json.loads(raw)}
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()
            received += 1
        return 0
    finally:
        socket.close()
        context.term()


if __name__ == "__main__":
    sys.exit(main())
