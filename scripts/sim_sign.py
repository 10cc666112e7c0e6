#!/usr/bin/env python3
"""Signs requests with botocore for the simulator's authentication tests.

Usage: scripts/sim_sign.py < requests.json

Reads a JSON array of requests on stdin and prints one JSON object per line, in the same order:
the request exactly as an HTTP client would send it after botocore signed it.

Input object:
  signer       "sigv4" (botocore.auth.SigV4Auth), "s3" (S3SigV4Auth), "s3-unsigned-payload"
               (S3SigV4Auth with payload signing off: UNSIGNED-PAYLOAD), "s3-presign"
               (S3SigV4QueryAuth) or "presign" (SigV4QueryAuth)
  service, region, method, url (with the raw query, if any), headers [[name, value], ...]
  (include Host), body_base64, access_key, secret, token (or null), time (epoch seconds),
  expires (seconds, presigners only)
Output object: method, path (raw, as on the wire), query (raw, without '?'),
  headers [[name, value], ...], body_base64.

The signing time is injected by patching `botocore.auth.get_current_datetime`, as botocore's own
unit tests do. This is the independent side of the simulator's signature check: nothing here
shares code with Cutover's Swift signer.

Exit status 3 means botocore is not importable: run scripts/bootstrap.
"""

import base64
import datetime
import json
import sys
from unittest import mock
from urllib.parse import urlsplit

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as error:  # environment problem, reported as such by the Swift test
    print(f"sim_sign: botocore is not importable ({error}); run scripts/bootstrap", file=sys.stderr)
    sys.exit(3)


class FakeS3Config:
    """Just enough client config for S3SigV4Auth to read payload_signing_enabled."""

    def __init__(self, payload_signing_enabled):
        self.s3 = {"payload_signing_enabled": payload_signing_enabled}


def sign(spec):
    body = base64.b64decode(spec.get("body_base64", ""))
    request = AWSRequest(method=spec["method"], url=spec["url"], data=body)
    for name, value in spec.get("headers", []):
        request.headers[name] = value
    credentials = Credentials(spec["access_key"], spec["secret"], spec.get("token"))
    service, region, kind = spec["service"], spec["region"], spec["signer"]
    if kind == "sigv4":
        auth = botocore.auth.SigV4Auth(credentials, service, region)
    elif kind == "s3":
        request.context["client_config"] = FakeS3Config(payload_signing_enabled=True)
        auth = botocore.auth.S3SigV4Auth(credentials, service, region)
    elif kind == "s3-unsigned-payload":
        request.context["client_config"] = FakeS3Config(payload_signing_enabled=False)
        auth = botocore.auth.S3SigV4Auth(credentials, service, region)
    elif kind == "s3-presign":
        auth = botocore.auth.S3SigV4QueryAuth(credentials, service, region, expires=spec["expires"])
    elif kind == "presign":
        auth = botocore.auth.SigV4QueryAuth(credentials, service, region, expires=spec["expires"])
    else:
        raise SystemExit(f"sim_sign: unknown signer {kind!r}")

    when = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=spec["time"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)

    parts = urlsplit(request.url)
    return {
        "method": request.method,
        "path": parts.path or "/",
        "query": parts.query,
        "headers": [[name, value] for name, value in request.headers.items()],
        "body_base64": base64.b64encode(body).decode(),
    }


def main():
    for spec in json.load(sys.stdin):
        print(json.dumps(sign(spec)))


if __name__ == "__main__":
    main()
