#!/usr/bin/env python3
"""SigV4 signing: Cutover's signer against botocore, the AWS Common Runtime and the crypto floor.

Usage: Benchmarks/sigv4_peers.py --bench .build-bench/release/sigv4-bench [--runs 5] [--keep FILE]

All contestants sign exactly the same requests: `sigv4-bench --dump-requests` writes its
built-in set of 10,000 (S3 GETs with query strings, STS and RDS Query POSTs with form bodies) as
JSON Lines, `sigv4-bench --requests FILE --json` times our signer on that file, and this script
times, on the same file:

  * the floor: the cryptography those very signatures need once the signing key is cached
    (SHA-256 of the body where the signer hashes one, SHA-256 of the canonical request, HMAC-SHA256
    of the string to sign from the key's prepared pad states), through the same CCrypto functions.
    It is its own program, Benchmarks/SigV4Floor/sigv4_floor.c, compiled here with $CC (default
    cc) and FLOOR_CFLAGS together with Sources/CCrypto/shim.c, so its code layout depends on
    those two files and the compiler alone: inside sigv4-bench the same floor code ran 5-25 %
    faster or slower as unrelated Swift changes moved it. Its inputs come from
    `sigv4-bench --dump-floor` (body, canonical request, string to sign, signing key, signature
    per request), and it checks every request's digests and signature before timing.

  * botocore: `botocore.auth.S3SigV4Auth` for S3, `SigV4Auth` otherwise, one auth object per
    (credentials, service, region) built beforehand, one `AWSRequest` per request built
    beforehand and re-signed every run (`add_auth` replaces the headers it adds). The signing
    time is fixed per request by replacing `botocore.auth.get_current_datetime`, the clock
    botocore reads, with a lookup of the request's time.
  * awscrt (aws-c-auth): `awscrt.auth.aws_sign_request` with a static credentials provider and
    one `AwsSigningConfig` per request built beforehand (SigV4 header signing; for S3 no double
    encoding, no path normalisation, `x-amz-content-sha256` signed). aws-c-auth adds its headers
    to the request it is given, so every signature gets a fresh `HttpRequest` built from prepared
    pieces; the cost of building those alone is measured too and reported as a note.

Each contestant first signs every request once as a warm-up, and its signatures are checked
against ours. Then --runs rounds: in each, our signer (one `sigv4-bench --runs 1`) and the floor
(one `sigv4-floor --runs 1`), each warming up again in its own process, then botocore and awscrt
each sign all requests once, Python's garbage collector paused, so a change in the shared
machine's load falls on every contestant alike. Each pass is timed by wall clock and by the signing thread's CPU time; the figure is the
median signatures per CPU second (on a shared machine a busy neighbour stretches wall time, not
CPU time; on an idle core the two agree), for our signer and the floor also as CPU nanoseconds
per signature; the wall-clock medians are in the notes, and the spread is [slowest, fastest]
round.

Prints one JSON document on stdout in the Benchmarks/run format:
  {"benchmark", "rows": [{"name", "value", "unit", "spread", "note"}], "ratios": [{"name", "value"}], "notes"}
Exit status 3 means botocore or awscrt is not importable (Benchmarks/run installs awscrt).
"""

import argparse
import base64
import datetime
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOOR_SOURCES = ["Benchmarks/SigV4Floor/sigv4_floor.c", "Sources/CCrypto/shim.c"]
# Fixed, so the floor's layout does not move with the build of anything else; functions and loops
# on cache-line boundaries, so an edit to one function does not shift another's alignment.
FLOOR_CFLAGS = ["-std=c11", "-O2", "-falign-functions=64", "-falign-loops=64", "-Wall", "-Werror"]

try:
    import botocore
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import awscrt
    from awscrt import auth as crt_auth
    from awscrt.http import HttpHeaders, HttpRequest
except ImportError as error:
    print(f"sigv4_peers: {error}; run scripts/bootstrap and `pip install awscrt`", file=sys.stderr)
    sys.exit(3)


def log(text):
    print(f"sigv4_peers: {text}", file=sys.stderr, flush=True)


def signature_of(authorization):
    return authorization.rsplit("Signature=", 1)[-1] if authorization else None


def timed_pass(sign_pass, count):
    """Runs `sign_pass` once with the collector paused; returns (signatures per wall second,
    signatures per CPU second of this thread)."""
    gc.collect()
    gc.disable()
    try:
        began, cpu_began = time.perf_counter(), time.thread_time()
        sign_pass()
        elapsed, cpu = time.perf_counter() - began, time.thread_time() - cpu_began
    finally:
        gc.enable()
    return count / elapsed, count / cpu


# ---------- botocore ----------

class BotocoreContestant:
    def __init__(self, records):
        self.now = [None]
        # botocore reads the signing time from this module-level function (its own tests patch it).
        botocore.auth.get_current_datetime = lambda: self.now[0]
        auths = {}
        self.jobs = []
        for r in records:
            key = (r["access_key_id"], r["secret_access_key"], r.get("session_token"), r["service"], r["region"], r["s3"])
            if key not in auths:
                credentials = Credentials(r["access_key_id"], r["secret_access_key"], r.get("session_token"))
                cls = botocore.auth.S3SigV4Auth if r["s3"] else botocore.auth.SigV4Auth
                auths[key] = cls(credentials, r["service"], r["region"])
            request = AWSRequest(method=r["method"], url=r["url"], data=base64.b64decode(r["body_base64"]))
            for name, value in r["headers"]:
                request.headers[name] = value
            when = datetime.datetime.fromtimestamp(r["epoch_seconds"], datetime.timezone.utc).replace(tzinfo=None)
            self.jobs.append((auths[key], request, when))

    def sign_pass(self):
        now = self.now
        for auth, request, when in self.jobs:
            now[0] = when
            auth.add_auth(request)

    def signatures(self):
        self.sign_pass()
        return [signature_of(request.headers.get("Authorization")) for _, request, _ in self.jobs]


# ---------- awscrt ----------

class CrtContestant:
    def __init__(self, records):
        providers = {}
        self.jobs = []
        for r in records:
            key = (r["access_key_id"], r["secret_access_key"], r.get("session_token"))
            if key not in providers:
                providers[key] = crt_auth.AwsCredentialsProvider.new_static(*key)
            when = datetime.datetime.fromtimestamp(r["epoch_seconds"], datetime.timezone.utc)
            s3 = r["s3"]
            config = crt_auth.AwsSigningConfig(
                algorithm=crt_auth.AwsSigningAlgorithm.V4,
                signature_type=crt_auth.AwsSignatureType.HTTP_REQUEST_HEADERS,
                credentials_provider=providers[key], region=r["region"], service=r["service"], date=when,
                use_double_uri_encode=not s3, should_normalize_uri_path=not s3,
                signed_body_header_type=(crt_auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256 if s3
                                         else crt_auth.AwsSignedBodyHeaderType.NONE))
            target = r["url"].split("://", 1)[1]
            path = target[target.index("/"):] if "/" in target else "/"
            headers = [(name, value) for name, value in r["headers"]]
            self.jobs.append((r["method"], path, headers, base64.b64decode(r["body_base64"]), config))

    @staticmethod
    def build(method, path, headers, body):
        return HttpRequest(method, path, HttpHeaders(headers), io.BytesIO(body) if body else None)

    def sign_pass(self):
        build, sign = self.build, crt_auth.aws_sign_request
        for method, path, headers, body, config in self.jobs:
            sign(build(method, path, headers, body), config).result()

    def build_pass(self):
        build = self.build
        for method, path, headers, body, _ in self.jobs:
            build(method, path, headers, body)

    def signatures(self):
        out = []
        for method, path, headers, body, config in self.jobs:
            signed = crt_auth.aws_sign_request(self.build(method, path, headers, body), config).result()
            out.append(signature_of(signed.headers.get("Authorization")))
        return out


def agreement(name, ours, theirs, records, notes):
    mismatched = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    if mismatched:
        first = records[mismatched[0]]
        notes.append(f"{name}: {len(mismatched)} of {len(ours)} signatures differ from ours "
                     f"(first: request {first['index']}, {first['service']} {first['method']} {first['url'][:100]})")
    else:
        notes.append(f"{name}: all {len(ours)} signatures identical to ours (same requests, same timestamps)")
    return len(mismatched)


def row(name, rates, unit, note):
    return {"name": name, "value": round(statistics.median(rates)), "unit": unit,
            "spread": [round(min(rates)), round(max(rates))], "note": note}


def nanoseconds_row(name, rates, note):
    """A row in CPU nanoseconds per signature from per-round rates (median of an odd number of
    rounds: the same round either way)."""
    return row(name, [1e9 / rate for rate in rates], "ns/signature (CPU)", note)


def build_floor(out):
    """Compiles the floor program into `out`; returns the compiler's version line."""
    cc = os.environ.get("CC", "cc")
    command = [cc, *FLOOR_CFLAGS, "-I", os.path.join(ROOT, "Sources/CCrypto/include"),
               *(os.path.join(ROOT, path) for path in FLOOR_SOURCES), "-lcrypto", "-lpthread", "-o", out]
    try:
        built = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        log(f"cannot run the C compiler {cc!r} ({error}); install one (Debian: gcc) or set CC")
        sys.exit(1)
    if built.returncode != 0:
        log(f"building the floor failed ({' '.join(command)}):\n{built.stderr}"
            "libcrypto's headers come with Debian's libssl-dev")
        sys.exit(1)
    return subprocess.run([cc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", required=True, help="the release sigv4-bench executable")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds, each contestant once per round (default 5)")
    parser.add_argument("--keep", help="also keep the request set in this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sigv4-peers-") as tmp:
        request_file = args.keep or os.path.join(tmp, "requests.jsonl")
        subprocess.run([args.bench, "--dump-requests", request_file], check=True, stdout=subprocess.DEVNULL)
        floor_inputs, floor = os.path.join(tmp, "floor-inputs"), os.path.join(tmp, "sigv4-floor")
        subprocess.run([args.bench, "--requests", request_file, "--dump-floor", floor_inputs], check=True,
                       stdout=subprocess.DEVNULL)
        compiler = build_floor(floor)
        with open(request_file) as f:
            records = [json.loads(line) for line in f if line.strip()]
        count = len(records)
        kinds = {}
        for r in records:
            label = f"{r['service']} {r['method']}"
            kinds[label] = kinds.get(label, 0) + 1
        log(f"{count} requests ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))})")

        # Warm-ups, which also check every peer's signature against ours.
        ours_signatures = [r["signature"] for r in records]
        notes = [f"{count} requests: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())),
                 f"botocore {botocore.__version__}, awscrt {awscrt.__version__}, Python {sys.version.split()[0]}"]
        boto = BotocoreContestant(records)
        agreement("botocore", ours_signatures, boto.signatures(), records, notes)
        crt = CrtContestant(records)
        agreement("awscrt (aws-c-auth)", ours_signatures, crt.signatures(), records, notes)

        # Rounds: every contestant once per round, so drift in the machine's load falls on all alike.
        wall = {name: [] for name in ("ours", "floor", "in-process floor", "botocore", "awscrt", "build")}
        cpu = {name: [] for name in wall}
        for round_number in range(args.runs):
            log(f"round {round_number + 1} of {args.runs}: cutover, floor, botocore, awscrt")
            ours_json = json.loads(subprocess.run(
                [args.bench, "--requests", request_file, "--json", "--runs", "1"],
                check=True, capture_output=True, text=True).stdout)
            wall["ours"] += ours_json["signatures_per_second_runs"]
            cpu["ours"] += ours_json["signatures_per_cpu_second_runs"]
            wall["in-process floor"] += ours_json["floor_per_second_runs"]
            cpu["in-process floor"] += ours_json["floor_per_cpu_second_runs"]
            floor_json = json.loads(subprocess.run(
                [floor, floor_inputs, "--runs", "1"], check=True, capture_output=True, text=True).stdout)
            wall["floor"] += floor_json["floor_per_second_runs"]
            cpu["floor"] += floor_json["floor_per_cpu_second_runs"]
            for name, sign_pass in (("botocore", boto.sign_pass), ("awscrt", crt.sign_pass), ("build", crt.build_pass)):
                wall_rate, cpu_rate = timed_pass(sign_pass, count)
                wall[name].append(wall_rate)
                cpu[name].append(cpu_rate)

    m = {name: statistics.median(rates) for name, rates in cpu.items()}
    w = {name: statistics.median(rates) for name, rates in wall.items()}
    crt_net = 1 / (1 / m["awscrt"] - 1 / m["build"])
    notes.append(f"awscrt: building the HttpRequest for each signature alone runs at {m['build']:,.0f}/CPU-s; "
                 f"without it aws_sign_request would be about {crt_net:,.0f} signatures/CPU-s")
    notes.append(f"floor: Benchmarks/SigV4Floor/sigv4_floor.c with Sources/CCrypto/shim.c, {compiler}, "
                 f"{' '.join(FLOOR_CFLAGS)}; checked all {floor_json['requests']} signatures and digests "
                 f"({floor_json['hashed_bodies']} bodies hashed) before timing")
    notes.append(f"sigv4-bench's in-process floor (the same work, but its speed moves with the Swift binary's "
                 f"layout; not used for the ratio): {1e9 / m['in-process floor']:,.0f} ns/signature (CPU)")
    notes.append("rates are per CPU second of the signing thread (the machine is shared; wall time also counts "
                 "waiting for a core); by wall clock: " + ", ".join(
                     f"{label} {w[name]:,.0f}/s" for name, label in
                     (("ours", "Cutover"), ("botocore", "botocore"), ("awscrt", "awscrt"), ("floor", "floor")))
                 + f" (Cutover/botocore {w['ours'] / w['botocore']:.1f}, Cutover/awscrt {w['ours'] / w['awscrt']:.2f})")

    unit = "signatures/CPU-s"
    document = {
        "benchmark": "sigv4",
        "rows": [
            row("SigV4: Cutover signer", cpu["ours"], unit,
                f"Swift, release; mean canonical request {ours_json['mean_canonical_request_bytes']} bytes"),
            row("SigV4: botocore SigV4Auth/S3SigV4Auth", cpu["botocore"], unit, "prebuilt AWSRequest re-signed"),
            row("SigV4: awscrt aws_sign_request", cpu["awscrt"], unit,
                "from Python; fresh HttpRequest per signature, prebuilt config"),
            nanoseconds_row("SigV4: Cutover signer, time per signature", cpu["ours"],
                            "CPU time of the signing thread"),
            nanoseconds_row("SigV4: floor (SHA-256 of body and canonical request + HMAC from the cached key's "
                            "pad states)", cpu["floor"],
                            "its own C program (sigv4-floor), fixed build flags, same CCrypto functions"),
        ],
        "ratios": [
            {"name": "SigV4: Cutover / botocore", "value": round(m["ours"] / m["botocore"], 2)},
            {"name": "SigV4: Cutover / awscrt (gross: awscrt's rate includes building its HttpRequest)",
             "value": round(m["ours"] / m["awscrt"], 2)},
            {"name": "SigV4: Cutover / awscrt (net of building the HttpRequest)", "value": round(m["ours"] / crt_net, 2)},
            {"name": "SigV4: Cutover time per signature / floor's (issue 19: at most 3)",
             "value": round(m["floor"] / m["ours"], 2)},
        ],
        "notes": notes + [f"median of {args.runs} rounds (each contestant signs all requests once per round, "
                          "after a warm-up pass); spread = [slowest, fastest] round"],
    }
    json.dump(document, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
