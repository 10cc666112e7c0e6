#!/usr/bin/env python3
"""Differential SigV4 oracle: random requests signed by botocore, printed as JSON Lines.

Usage: scripts/sigv4-differential.py --seed N --count N

Each line holds one request exactly as Cutover's `SigV4Signer` takes it (wire path, decoded
query pairs, headers in order, body as base64, service, region, credentials, S3 or not,
presign expiry or null) plus what botocore computed for it: canonical request, string to sign,
signature, and the Authorization header (header signing) or the final query string (presigned).
`Tests/AWSSigV4Tests/BotocoreDifferentialTests.swift` signs every line with the Swift signer
and compares byte for byte. The same seed always gives the same lines.

botocore classes used: SigV4Auth / S3SigV4Auth (header signing) and SigV4QueryAuth /
S3SigV4QueryAuth (presigned). The signing time is injected by patching
`botocore.auth.get_current_datetime`, as botocore's own unit tests patch the clock.

Generation keeps to inputs on which botocore's behaviour is the SigV4 rule rather than a
botocore quirk, and says so where it steers away:
  * presigned variants have unique query names and no body: SigV4QueryAuth folds the query
    into a dict (dropping repeated names) and moves a body into the query string;
  * header values use ASCII space/tab as whitespace: Python's str.split() also splits on
    Unicode spaces, which SigV4 does not define;
  * no Date header (botocore then signs Date instead of X-Amz-Date) and no headers the signer
    adds itself (Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256).

Exit status 3 means botocore is not importable: run scripts/bootstrap.
"""

import argparse
import base64
import datetime
import hashlib
import json
import random
import sys
from unittest import mock

try:
    import botocore
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError as error:  # pragma: no cover - environment problem, not a test failure
    print(f"sigv4-differential: botocore is not importable ({error}); run scripts/bootstrap", file=sys.stderr)
    sys.exit(3)

UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
# Characters legal unencoded in a URL path besides unreserved ones (RFC 3986 sub-delims, ':' '@').
PATH_RAW_OK = set("!$&'()*+,;=:@")

SERVICES = ["sts", "rds", "kms", "ec2", "iam", "execute-api", "dynamodb", "sqs"]
REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]
METHODS = ["GET", "GET", "PUT", "POST", "POST", "DELETE", "HEAD", "PATCH"]
NAME_PIECES = [
    "a", "b", "Z", "key", "photo", "2024", "x", "é", "日本", "🚀", "ß", "ü", " ", "  ", "+", "~", "%", "=",
    "%20", "&", "!", "*", "'", "(", ")", ",", ";", ":", "@", "$", "-", "_", ".", "#", "?", "[", "]",
]
QUERY_NAMES = [
    "a", "A", "b", "Param", "param", "key", "x-id", "prefix", "max-keys", "list-type", "continuation-token",
    "versionId", "", "ü", "a b", "a+b", "%", "=", "日本", "~tilde", "Action", "Version", "delimiter", "a&b",
]
QUERY_VALUES = [
    "", "", "1", "value", "Value", "a b", "a  b", "a+b", "x=y", "a&b", "%", "%41", "/", "a/b/c", "~", "é",
    "日本語", "🚀", "-_.~", "ListBuckets", "2011-06-15", "!*'()", "   ", "#frag", "?q",
]
HEADER_NAMES = [
    "X-Amz-Meta-Foo", "x-AMZ-meta-bar", "x-amz-meta-foo", "Content-Type", "content-type", "My-Header",
    "my-header", "X-Custom", "Cache-Control", "If-Match", "Range", "x-amz-acl", "X-Amz-Target",
    "Content-MD5", "x-amz-storage-class", "Accept", "Content-Encoding",
]
UNSIGNED_HEADER_NAMES = ["User-Agent", "Expect", "X-Amzn-Trace-Id", "Connection"]
HEADER_WORDS = ["value", "a", "b", "text/plain", '"quoted  text"', "é", "日本", "1", "=", ",", ";", "max-age=0"]


def random_string(rng, pieces, lo, hi):
    return "".join(rng.choice(pieces) for _ in range(rng.randint(lo, hi)))


def encode_path_text(rng, text):
    """Percent-encode `text` (no '/') as a client might put it on the wire: unreserved raw,
    sub-delims raw or escaped at random, everything else escaped with random hex case."""
    out = []
    for ch in text:
        if ch in UNRESERVED:
            out.append(ch)
            continue
        if ch in PATH_RAW_OK and rng.random() < 0.5:
            out.append(ch)
            continue
        for byte in ch.encode("utf-8"):
            escape = f"%{byte:02X}"
            out.append(escape.lower() if rng.random() < 0.2 else escape)
    return "".join(out)


def random_segments(rng, allow_dots):
    segments = []
    for _ in range(rng.randint(0, 5)):
        roll = rng.random()
        if allow_dots and roll < 0.12:
            segments.append(".")
        elif allow_dots and roll < 0.24:
            segments.append("..")
        elif roll < 0.34:
            segments.append("")  # yields '//'
        else:
            segments.append(encode_path_text(rng, random_string(rng, NAME_PIECES, 1, 5)))
    return segments


def random_wire_path(rng, s3):
    if s3:
        bucket = rng.choice(["bucket", "my-bucket", "b.with.dots", "examplebucket"])
        style = rng.random()
        if style < 0.1:
            return "/"  # ListBuckets, or a virtual-hosted bucket root
        if style < 0.2:
            return f"/{bucket}" + rng.choice(["", "/"])
        # S3 keys may hold '.', '..' and empty segments; they are signed exactly as sent.
        key = "/".join(random_segments(rng, allow_dots=True)) or "k"
        prefix = "" if style < 0.45 else f"/{bucket}"  # virtual-hosted vs path-style
        return f"{prefix}/{key}"
    if rng.random() < 0.15:
        return "/"
    path = "/" + "/".join(random_segments(rng, allow_dots=True))
    if rng.random() < 0.2:
        path += "/"
    return path


def random_query(rng, unique):
    pairs = []
    names = set()
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
        name = rng.choice(QUERY_NAMES) if rng.random() < 0.8 else random_string(rng, NAME_PIECES, 0, 4)
        if unique and (name in names or name.startswith("X-Amz-")):
            continue
        if not unique and pairs and rng.random() < 0.2:
            name = rng.choice(pairs)[0]  # repeated name, different or equal value
        names.add(name)
        value = rng.choice(QUERY_VALUES) if rng.random() < 0.7 else random_string(rng, NAME_PIECES, 0, 6)
        pairs.append((name, value))
    return pairs


def random_header_value(rng):
    words = [rng.choice(HEADER_WORDS) for _ in range(rng.randint(0, 4))]
    seps = [rng.choice([" ", " ", "  ", "\t", " \t  "]) for _ in range(max(0, len(words) - 1))]
    value = words[0] if words else ""
    for sep, word in zip(seps, words[1:]):
        value += sep + word
    lead = rng.choice(["", "", " ", "  ", "\t"])
    trail = rng.choice(["", "", " ", "   ", "\t"])
    return lead + value + trail


def random_headers(rng, host):
    host_name = rng.choice(["Host", "host", "HOST"])
    headers = [(host_name, host)]
    for _ in range(rng.choice([0, 1, 2, 3, 4, 6])):
        if rng.random() < 0.25 and len(headers) > 1:
            name = headers[rng.randrange(1, len(headers))][0]
            name = rng.choice([name, name.lower(), name.upper()])  # duplicate, maybe differently cased
        elif rng.random() < 0.1:
            name = rng.choice(UNSIGNED_HEADER_NAMES)
        else:
            name = rng.choice(HEADER_NAMES)
        headers.append((name, random_header_value(rng)))
    rng.shuffle(headers)
    return headers


def random_body(rng):
    roll = rng.random()
    if roll < 0.4:
        return b""
    if roll < 0.7:
        return "Action=ListUsers&Version=2010-05-08&Marker=a%20b".encode()
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))


def random_credentials(rng):
    alnum_upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    secret_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
    access = rng.choice(["AKIA", "ASIA"]) + "".join(rng.choice(alnum_upper) for _ in range(16))
    secret = "".join(rng.choice(secret_chars) for _ in range(40))
    token = None
    if rng.random() < 0.4:
        token = "".join(rng.choice(secret_chars) for _ in range(rng.randint(20, 200))) + rng.choice(["", "=", "=="])
    return access, secret, token


def random_time(rng):
    # 2012-01-01 .. 2036-12-31, whole seconds plus microseconds (SigV4 truncates them).
    seconds = rng.randint(1325376000, 2114294399)
    micros = rng.choice([0, 0, rng.randint(0, 999999)])
    return seconds, micros


class FakeS3Config:
    """Just enough of botocore's client config for S3SigV4Auth to read payload_signing_enabled."""

    def __init__(self, payload_signing_enabled):
        self.s3 = {"payload_signing_enabled": payload_signing_enabled}


def encode_query(pairs):
    return "&".join(f"{percent_encode(n)}={percent_encode(v)}" for n, v in pairs)


def generate(rng, index):
    s3 = rng.random() < 0.5
    presign = rng.random() < 0.25
    service = "s3" if s3 else rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    access, secret, token = random_credentials(rng)
    seconds, micros = random_time(rng)
    path = random_wire_path(rng, s3)
    query = random_query(rng, unique=presign)
    if s3:
        host = rng.choice(["s3.amazonaws.com", f"s3.{region}.amazonaws.com", "bucket.s3.amazonaws.com"])
    else:
        host = f"{service}.{region}.amazonaws.com"
    if rng.random() < 0.05:
        host += ":8443"
    headers = random_headers(rng, host)
    method = rng.choice(METHODS)
    body = b"" if presign else random_body(rng)

    # How the payload is handed to the Swift signer, and the matching botocore set-up.
    payload = "bytes"
    content_header = False  # Swift: SigV4Options.addContentSHA256Header on a non-S3 signer
    context = {}
    extra_headers = []
    if not presign:
        roll = rng.random()
        if roll < 0.15:
            payload = "precomputed"  # botocore hashes the same body itself
        elif roll < 0.25:
            payload = "unsigned"
            if s3:
                context["client_config"] = FakeS3Config(payload_signing_enabled=False)
            else:
                # botocore then adds and signs X-Amz-Content-SHA256: UNSIGNED-PAYLOAD.
                context["payload_signing_enabled"] = False
                content_header = True
        elif roll < 0.32 and not s3:
            # The suite's sign_body: a signed x-amz-content-sha256 with the body hash.
            content_header = True
            extra_headers.append(("X-Amz-Content-SHA256", hashlib.sha256(body).hexdigest()))

    url = f"https://{host}{path}"
    if query:
        url += "?" + encode_query(query)
    request = AWSRequest(method=method, url=url, data=body)
    for name, value in headers + extra_headers:
        request.headers[name] = value  # HTTPHeaders appends: duplicates kept in order
    request.context.update(context)

    credentials = Credentials(access, secret, token)
    expires = None
    if presign:
        expires = rng.choice([1, 60, 900, 3600, 86400, 604800])
        signer_class = botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth
        auth = signer_class(credentials, service, region, expires=expires)
    else:
        signer_class = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        auth = signer_class(credentials, service, region)

    captured = {}

    def capture(name):
        original = getattr(auth, name)

        def wrapper(*args):
            result = original(*args)
            captured[name] = result
            return result

        setattr(auth, name, wrapper)

    for name in ("canonical_request", "string_to_sign", "signature"):
        capture(name)

    when = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds, microseconds=micros)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)

    record = {
        "index": index,
        "method": method,
        "path": path,
        "query": [[n, v] for n, v in query],
        "headers": [[n, v] for n, v in headers],
        "body_base64": base64.b64encode(body).decode(),
        "payload": payload,
        "content_header": content_header,
        "service": service,
        "region": region,
        "access_key_id": access,
        "secret_access_key": secret,
        "session_token": token,
        "s3": s3,
        "presign_expires": expires,
        "epoch_seconds": seconds,
        "epoch_microseconds": micros,
        "canonical_request": captured["canonical_request"],
        "string_to_sign": captured["string_to_sign"],
        "signature": captured["signature"],
    }
    if presign:
        record["url_query"] = request.url.split("?", 1)[1]
    else:
        record["authorization"] = request.headers["Authorization"]
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for index in range(args.count):
        out.write(json.dumps(generate(rng, index), ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
