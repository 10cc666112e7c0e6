#!/usr/bin/env python3
"""Bulk S3 copy benchmark (issue 8, item 2): Cutover's copy engine against the AWS CLI and boto3.

10,000 tagged objects of mixed sizes (Benchmarks/fixtures/bulk-copy-world.json: a 100-entry size
cycle, object N gets sizes[N % 100]: 25% 1 KiB, 20% 4 KiB, 20% 16 KiB, 15% 64 KiB, 12% 256 KiB,
5% 1 MiB, 2% 4 MiB, 1% 8 MiB; mean 260 KiB, 2.5 GiB in all, every object tagged
app=admin-console, class=image) in bucket `bulk-source` of the legacy account 111111111111 are
copied into a fresh, empty bucket of the product account 222222222222, on cutover-aws-sim with
20 ms of added latency on every request (fault rule `latency`) and S3's per-prefix rate limit on
(3,500 writes / 5,500 reads per second per prefix). All keys share one prefix (`images/`), the
worst case for that limit.

Contestants, each into its own empty destination bucket (created in the product account before
the clock starts, with the bucket-policy statement Cutover's `s3.ensure-bucket` adds, so every
contestant copies as the source account with the same permissions):

  cutover       one `s3.copy-objects` step run by the real cutoverd (`cutoverctl start`), default
                concurrency (64); CPU seconds of the daemon (/proc/PID/stat) and its RSS sampled
                every 50 ms during the copy.
  cli-default   AWS CLI v1 (pip's `awscli`, the one on PATH): `aws s3 sync s3://bulk-source
                s3://DST` with the CLI's default transfer settings (max_concurrent_requests 10);
                CPU seconds of the python process and its children.
  cli-64        the same with `max_concurrent_requests = 64` in a temporary AWS_CONFIG_FILE.
  cli2-default, cli2-64
                the same with AWS CLI v2, when one is installed (Debian's `awscli` package is v2,
                /usr/bin/aws; PyPI has only v1). v2's `--copy-props default` copies tags on
                multipart copies too, so "tags lost" is v1's result, not the AWS CLI's in general.
  boto3-64      boto3 with a 64-thread pool: GetObjectTagging + CopyObject (TaggingDirective
                REPLACE) per object, the shape of a hand-written cross-account copy script.

Timing, the same for every contestant: the wall time of the whole operation as a user sees it —
for the CLI and boto3, their process from start to exit; for Cutover, `cutoverctl start` to the
first `cutoverctl status` that shows the run completed (polled every 0.1 s). Every contestant gets
one warm-up run, not measured, before the measured rounds. Cutover's time inside the daemon (the
step's first attempt started -> succeeded, from the run's journal) is published next to it.

After every run the destination is listed (as the product account, with boto3: never Cutover's own
client) and compared with the source by key and size; tags are compared on a sample covering every
size class. The simulator's request log gives the requests per object, the 503 SlowDown answers and
the busiest second of writes into the destination prefix.

Prints one JSON document on stdout; progress goes to stderr.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORLD = os.path.join(HERE, "fixtures", "bulk-copy-world.json")
RUNBOOK = os.path.join(HERE, "fixtures", "bulk-copy.yaml")
REGION = "ap-northeast-1"
SOURCE = "bulk-source"
LEGACY = "111111111111"
PRODUCT = "222222222222"
LATENCY_MS = 20
CONCURRENCY = 64
WRITE_LIMIT = 3500.0
READ_LIMIT = 5500.0
EXPECTED_TAGS = {"app": "admin-console", "class": "image"}
WRITE_OPERATIONS = {"CopyObject", "UploadPartCopy", "PutObject", "PutObjectTagging", "CreateMultipartUpload",
                    "CompleteMultipartUpload", "UploadPart", "AbortMultipartUpload"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def say(text):
    print(f"bulk_copy: {text}", file=sys.stderr, flush=True)


class BenchFailure(Exception):
    pass


# ---------------------------------------------------------------- the boto3 contestant (a child process)

def boto3_worker(args):
    """Copies every object of --src into --dst with a thread pool; prints a JSON summary."""
    import boto3
    from botocore.config import Config
    from concurrent.futures import ThreadPoolExecutor

    config = Config(s3={"addressing_style": "path"}, max_pool_connections=args.concurrency)
    s3 = boto3.session.Session(region_name=REGION).client("s3", endpoint_url=args.endpoint, config=config)
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=args.src):
        keys.extend(item["Key"] for item in page.get("Contents", []))

    def copy(key):
        tags = s3.get_object_tagging(Bucket=args.src, Key=key)["TagSet"]
        s3.copy_object(
            CopySource={"Bucket": args.src, "Key": key}, Bucket=args.dst, Key=key, MetadataDirective="COPY",
            TaggingDirective="REPLACE", Tagging=urllib.parse.urlencode([(t["Key"], t["Value"]) for t in tags]))

    errors = []
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for key, future in [(key, pool.submit(copy, key)) for key in keys]:
            try:
                future.result()
            except Exception as error:  # counted and reported; the harness checks arrival anyway
                errors.append(f"{key}: {error}")
    print(json.dumps({"objects": len(keys), "errors": len(errors), "sample": errors[:3]}))
    return 1 if errors else 0


# ---------------------------------------------------------------- helpers

def cpu_seconds(pid):
    """utime + stime of a live process (all threads), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class RSSSampler:
    """Samples a process's VmRSS every `interval` seconds on a thread until stopped."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval, self.samples = pid, interval, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        # Wait first: a child just forked still shares (and is charged) the parent's pages until its exec.
        while not self._stop.wait(self.interval):
            value = rss_kib(self.pid)
            if value is not None:
                self.samples.append(value)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_measured(command, env, timeout):
    """Runs a command; returns (exit code, wall seconds, CPU seconds, peak RSS KiB, stdout, stderr).

    The peak RSS is sampled from /proc (VmRSS every 50 ms): the rusage of a forked child counts
    the parent's memory from before the exec, so ru_maxrss would report the harness's size.
    """
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    began = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
    deadline = began + timeout
    with RSSSampler(process.pid) as sampler:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
    wall = time.monotonic() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return (process.returncode, wall, usage.ru_utime + usage.ru_stime, max(sampler.samples, default=0),
            out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def summarize(values):
    return statistics.median(values), [min(values), max(values)]


# ---------------------------------------------------------------- the benchmark

class BulkCopyBench:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(args.bin)
        self.tmp = tempfile.mkdtemp(prefix="cutover-bench-copy-")
        self.processes = []
        self.last_sequence = 0
        self.results = {}  # contestant -> list of run dicts
        self.notes = []
        world = json.load(open(WORLD))
        user = world["accounts"][0]["users"][0]
        self.key = (user["accessKeyId"], user["secretAccessKey"])
        if args.quick:
            world["buckets"][0]["generated"]["count"] = args.objects or 1000
        elif args.objects:
            world["buckets"][0]["generated"]["count"] = args.objects
        if args.small:
            world["buckets"][0]["generated"]["sizes"] = [1024, 4096, 16384, 1024, 4096]
        self.world_path = os.path.join(self.tmp, "world.json")
        json.dump(world, open(self.world_path, "w"))
        self.object_count = world["buckets"][0]["generated"]["count"]
        self.sizes = world["buckets"][0]["generated"]["sizes"]

    # ----- simulator

    def start_simulator(self):
        port_file = os.path.join(self.tmp, "sim.port")
        log = open(os.path.join(self.tmp, "sim.log"), "w")
        began = time.monotonic()
        self.sim = subprocess.Popen([os.path.join(self.bin, "cutover-aws-sim"), "--port-file", port_file, "--region", REGION,
                                     "--seed-file", self.world_path], stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(self.sim)
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.sim.poll() is not None:
                raise BenchFailure(f"cutover-aws-sim exited {self.sim.returncode}: {open(log.name).read()[-2000:]}")
            if time.monotonic() - began > 900:
                raise BenchFailure("cutover-aws-sim did not start within 900 s")
            time.sleep(0.1)
        self.endpoint = f"http://127.0.0.1:{int(open(port_file).read().strip())}"
        say(f"simulator on {self.endpoint}, seeded with {self.object_count} objects in {time.monotonic() - began:.1f} s")
        self.admin("POST", "/_sim/faults", {"service": "*", "operation": "*", "effect": "latency", "milliseconds": LATENCY_MS})
        self.admin("POST", "/_sim/rate-limit", {"enabled": True, "writesPerSecond": WRITE_LIMIT, "readsPerSecond": READ_LIMIT})

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def requests_since(self, sequence, **filters):
        query = urllib.parse.urlencode({"since": sequence, **filters})
        return self.admin("GET", f"/_sim/requests?{query}")["requests"]

    def mark(self):
        """The newest request sequence number: later requests belong to the next measurement."""
        records = self.requests_since(self.last_sequence)
        if records:
            self.last_sequence = max(r["sequence"] for r in records)
        return self.last_sequence

    # ----- boto3 clients for setup and checks (independent of Cutover's client)

    def client(self, account):
        import boto3
        from botocore.config import Config
        session = boto3.session.Session(aws_access_key_id=self.key[0], aws_secret_access_key=self.key[1], region_name=REGION)
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10, "mode": "standard"},
                        max_pool_connections=32)
        if account == "legacy":
            return session.client("s3", endpoint_url=self.endpoint, config=config)
        role = session.client("sts", endpoint_url=self.endpoint).assume_role(
            RoleArn=f"arn:aws:iam::{PRODUCT}:role/CutoverTarget", RoleSessionName="bench-check")["Credentials"]
        return boto3.session.Session(aws_access_key_id=role["AccessKeyId"], aws_secret_access_key=role["SecretAccessKey"],
                                     aws_session_token=role["SessionToken"], region_name=REGION).client(
            "s3", endpoint_url=self.endpoint, config=config)

    @staticmethod
    def listing(s3, bucket):
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                objects[item["Key"]] = item["Size"]
        return objects

    def record_source(self):
        s3 = self.client("legacy")
        self.source = self.listing(s3, SOURCE)
        if len(self.source) != self.object_count:
            raise BenchFailure(f"the source holds {len(self.source)} objects, not {self.object_count}")
        self.total_bytes = sum(self.source.values())
        keys = sorted(self.source)
        # Every size class once (the first 100 keys hold the whole cycle), a spread, and every
        # object the CLI copies by multipart (>= 8 MiB), where tags are most easily lost.
        by_size = {}
        for key in keys[:100]:
            by_size.setdefault(self.source[key], key)
        big = [k for k in keys if self.source[k] >= 8 * 2**20]
        self.tag_sample = sorted(set(by_size.values()) | set(keys[:: max(1, len(keys) // 12)]) | set(big))
        say(f"source {SOURCE}: {len(self.source)} objects, {self.total_bytes / 2**30:.2f} GiB, "
            f"sizes {sorted(Counter(self.source.values()).items())}")

    def prepare_destination(self, name):
        s3 = self.client("product")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        # The statement Cutover's s3.ensure-bucket adds (Sources/Steps/S3/S3CopyGrant.swift).
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": f"CutoverCopyFrom{LEGACY}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{LEGACY}:root"},
            "Action": ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket",
                       "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]}]}
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))

    def check_and_empty(self, name):
        """(every key arrived with its size, tag sets wrong, tag sets checked, detail); then empties the bucket."""
        s3 = self.client("product")
        arrived = self.listing(s3, name)
        missing = [k for k in self.source if k not in arrived]
        wrong = [k for k in self.source if k in arrived and arrived[k] != self.source[k]]
        extra = [k for k in arrived if k not in self.source]
        from concurrent.futures import ThreadPoolExecutor

        def tags_of(key):
            return key, {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=name, Key=key)["TagSet"]}

        with ThreadPoolExecutor(max_workers=16) as pool:
            found = list(pool.map(tags_of, [k for k in self.tag_sample if k in arrived]))
        bad_tags = [f"{key} ({self.source[key]} B): {tags}" for key, tags in found if tags != EXPECTED_TAGS]
        arrived_ok = not (missing or wrong or extra)
        detail = (f"{len(arrived)}/{len(self.source)} objects, {sum(arrived.values())}/{self.total_bytes} bytes, "
                  f"tags right on {len(found) - len(bad_tags)}/{len(found)} checked")
        if not arrived_ok:
            detail += f"; missing {missing[:3]}, wrong size {wrong[:3]}, extra {extra[:3]}"
        if bad_tags:
            detail += f"; tags lost or wrong, e.g. {bad_tags[:2]}"
        keys = list(arrived)
        for start in range(0, len(keys), 1000):
            s3.delete_objects(Bucket=name, Delete={"Objects": [{"Key": k} for k in keys[start:start + 1000]], "Quiet": True})
        return arrived_ok, len(bad_tags), len(found), detail

    # ----- the request log of one run

    def log_of_run(self, since, destination):
        records = self.requests_since(since)
        if records:
            self.last_sequence = max(self.last_sequence, max(r["sequence"] for r in records))
        operations = Counter(r["operation"] for r in records if r.get("service") == "s3")
        throttled = [r for r in records if r["status"] == 503]
        prefix = f"{destination}/images/"
        writes = Counter(r["time"] for r in records
                         if (r.get("resource") or "").startswith(prefix) and r["operation"] in WRITE_OPERATIONS
                         and r["status"] < 300)
        reads = Counter(r["time"] for r in records
                        if (r.get("resource") or "").startswith(f"{SOURCE}/images/") and r["operation"] not in WRITE_OPERATIONS
                        and r["status"] < 300)
        # Whole seconds of the simulated (here: real) clock; the first and last are partial.
        inner_writes = sorted(writes.values())[:-2] if len(writes) > 3 else list(writes.values())
        return {
            "requests": len(records), "operations": dict(operations.most_common()),
            "slowdown": sum(1 for r in throttled if r.get("errorCode") == "SlowDown"), "status503": len(throttled),
            "peakWritesPerSecond": max(writes.values(), default=0), "peakReadsPerSecond": max(reads.values(), default=0),
            "writeSeconds": len(writes), "throttledSeconds": len({r["time"] for r in throttled}),
            "medianWritesPerSecond": statistics.median(inner_writes) if inner_writes else 0,
        }

    # ----- contestants

    def start_daemon(self):
        credentials = os.path.join(self.tmp, "aws-credentials")
        with open(credentials, "w") as f:
            f.write(f"AWS_ACCESS_KEY_ID={self.key[0]}\nAWS_SECRET_ACCESS_KEY={self.key[1]}\n")
        os.chmod(credentials, 0o600)
        self.socket = os.path.join(self.tmp, "cutoverd.sock")
        self.runbooks = os.path.join(self.tmp, "runbooks")
        os.makedirs(self.runbooks, exist_ok=True)
        self.state = os.path.join(self.tmp, "state")
        config = os.path.join(self.tmp, "cutoverd.yaml")
        with open(config, "w") as f:
            f.write(f"""socket:
  path: {self.socket}
  mode: "0600"
  group: null
stateDirectory: {self.state}
runbookDirectories: [{self.runbooks}]
aws:
  credentials: "file:{credentials}"
  endpointURL: {self.endpoint}
logLevel: notice
""")
        self.daemon_log = os.path.join(self.tmp, "cutoverd.log")
        self.daemon = subprocess.Popen([os.path.join(self.bin, "cutoverd"), "--config", config],
                                       stdout=open(self.daemon_log, "w"), stderr=subprocess.STDOUT)
        self.processes.append(self.daemon)
        deadline = time.monotonic() + 60
        while not (os.path.exists(self.socket) and self.ctl("health", check=False).returncode == 0):
            if self.daemon.poll() is not None or time.monotonic() > deadline:
                raise BenchFailure(f"cutoverd did not start: {open(self.daemon_log).read()[-2000:]}")
            time.sleep(0.1)
        time.sleep(1.0)
        self.daemon_idle_rss = rss_kib(self.daemon.pid)
        say(f"cutoverd ready (pid {self.daemon.pid}, idle RSS {self.daemon_idle_rss / 1024:.1f} MiB)")

    def ctl(self, *arguments, check=True, json_out=False):
        command = [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, *arguments]
        if json_out:
            command += ["--output", "json"]
        env = dict(os.environ, NO_COLOR="1", CUTOVER_STATE_DIRECTORY=self.state)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        if check and result.returncode != 0:
            raise BenchFailure(f"`cutoverctl {' '.join(arguments)}` exited {result.returncode}: {result.stdout}{result.stderr}")
        return json.loads(result.stdout) if json_out else result

    def run_cutover(self, destination, concurrency, ceiling=512):
        runbook = os.path.join(self.runbooks, f"{destination}.yaml")
        text = (open(RUNBOOK).read().replace("DESTINATION", destination).replace("MAXCONCURRENCY", str(ceiling))
                .replace("CONCURRENCY", str(concurrency)))
        open(runbook, "w").write(text)
        cpu_before = cpu_seconds(self.daemon.pid)
        with RSSSampler(self.daemon.pid) as sampler:
            began = time.monotonic()
            run_id = self.ctl("start", runbook, "--yes", json_out=True)["run"]["runId"]
            deadline = began + self.args.timeout
            while True:
                run = self.ctl("status", run_id, json_out=True)["run"]
                if run["status"] in ("completed", "rolled-back", "cancelled", "paused"):
                    break
                if time.monotonic() > deadline:
                    raise BenchFailure(f"run {run_id} did not finish within {self.args.timeout} s")
                time.sleep(0.1)
            wall = time.monotonic() - began
        cpu = cpu_seconds(self.daemon.pid) - cpu_before
        if run["status"] != "completed":
            raise BenchFailure(f"run {run_id} ended {run['status']}: {run.get('reason')}\n{self.ctl('status', run_id).stdout}")
        # Start → success from the journal: the first attempt's start to the last attempt's success.
        events = [json.loads(line) for line in self.ctl("events", run_id, "--output", "json").stdout.splitlines() if line.strip()]
        started = [e["time"] for e in events if e["kind"] == "attempt.started"]
        succeeded = [e["time"] for e in events if e["kind"] == "attempt.succeeded"]
        step = None
        if started and succeeded:
            step = parse_time(max(succeeded)) - parse_time(min(started))
        calls = sum(1 for e in events if e["kind"] == "aws.call")
        return {"seconds": wall, "wall": wall, "stepSeconds": step, "cpu": cpu, "rssPeakKiB": max(sampler.samples, default=0),
                "rssMedianKiB": statistics.median(sampler.samples) if sampler.samples else 0, "journaledCalls": calls,
                "runId": run_id}

    def aws_env(self, concurrency):
        config = os.path.join(self.tmp, f"aws-config-{concurrency or 'default'}")
        with open(config, "w") as f:
            f.write(f"[default]\nregion = {REGION}\ns3 =\n    addressing_style = path\n")
            if concurrency:
                f.write(f"    max_concurrent_requests = {concurrency}\n")
        return dict(os.environ, AWS_ACCESS_KEY_ID=self.key[0], AWS_SECRET_ACCESS_KEY=self.key[1], AWS_CONFIG_FILE=config,
                    AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.tmp, "no-credentials"), AWS_DEFAULT_REGION=REGION,
                    AWS_EC2_METADATA_DISABLED="true")

    def run_cli(self, destination, concurrency, aws="aws"):
        command = [aws, "s3", "sync", f"s3://{SOURCE}", f"s3://{destination}", "--endpoint-url", self.endpoint,
                   "--only-show-errors", "--no-progress"]
        code, wall, cpu, rss, out, err = run_measured(command, self.aws_env(concurrency), self.args.timeout)
        if code != 0:
            say(f"aws s3 sync exited {code}: {(out + err)[-1500:]}")
        return {"seconds": wall, "wall": wall, "cpu": cpu, "rssPeakKiB": rss, "exit": code}

    def run_boto3(self, destination, concurrency):
        command = [sys.executable, os.path.abspath(__file__), "--boto3-worker", "--endpoint", self.endpoint, "--src", SOURCE,
                   "--dst", destination, "--concurrency", str(concurrency)]
        env = dict(self.aws_env(None), PYTHONDONTWRITEBYTECODE="1")
        code, wall, cpu, rss, out, err = run_measured(command, env, self.args.timeout)
        if code != 0:
            say(f"boto3 worker exited {code}: {(out + err)[-1500:]}")
        return {"seconds": wall, "wall": wall, "cpu": cpu, "rssPeakKiB": rss, "exit": code}

    def run(self):
        quick = self.args.quick
        self.start_simulator()
        self.record_source()
        self.start_daemon()
        runs = self.args.runs or (1 if quick else 3)
        peer_runs = self.args.peer_runs or (1 if quick else 2)
        # The same warm-up for every contestant: one run, not measured.
        run_fixed = lambda destination, concurrency: self.run_cutover(destination, concurrency, ceiling=concurrency)  # noqa: E731
        contestants = [
            ("cutover", "Cutover (cutoverd, s3.copy-objects, concurrency from 64, adaptive up to 512)", self.run_cutover, runs, 1,
             CONCURRENCY),
            ("cutover-64", "Cutover, concurrency fixed at 64 (equal to the CLI's 64)", run_fixed, peer_runs, 1, CONCURRENCY),
            ("cli-default", "AWS CLI v1 aws s3 sync, default settings (max_concurrent_requests 10)", self.run_cli, 1, 1, None),
            ("cli-64", "AWS CLI v1 aws s3 sync, max_concurrent_requests 64", self.run_cli, peer_runs, 1, CONCURRENCY),
            ("boto3-64", "boto3, 64 threads (GetObjectTagging + CopyObject)", self.run_boto3, peer_runs, 1, CONCURRENCY),
        ]
        v2 = aws_cli_v2()
        if v2:
            run_v2 = lambda destination, concurrency: self.run_cli(destination, concurrency, aws=v2)  # noqa: E731
            contestants[3:3] = [
                ("cli2-default", "AWS CLI v2 aws s3 sync, default settings", run_v2, 1, 1, None),
                ("cli2-64", "AWS CLI v2 aws s3 sync, max_concurrent_requests 64", run_v2, peer_runs, 1, CONCURRENCY),
            ]
        else:
            self.notes.append("AWS CLI v2 is not installed (Debian: apt-get install awscli; PyPI has only v1), so only v1 ran.")
        # Warm-ups first (the daemon's and the simulator's), then the contestants' runs interleaved
        # round by round, so that drift on the shared machine spreads over all of them.
        if self.args.only:
            wanted = set(self.args.only.split(","))
            contestants = [c for c in contestants if c[0] in wanted]
        for name, label, runner, runs_, warmups, concurrency in contestants:
            for index in range(0 if self.args.no_warmup else warmups):
                self.contestant_round(name + "-warmup", label + " (warm-up)", runner, concurrency, index, record=False)
        rounds = max(c[3] for c in contestants)
        for round_ in range(rounds):
            for name, label, runner, runs_, _, concurrency in contestants:
                if round_ < runs_:
                    self.contestant_round(name, label, runner, concurrency, round_)
        if not quick and not self.args.no_probe:
            # How near the per-prefix limit the engine can go: the same step with 4× the requests in flight.
            for index in range(1):
                self.contestant_round("cutover-256", "Cutover, concurrency from 256 up to 512 (limit probe)", self.run_cutover, 256, index)
        return self.report(contestants)

    def contestant_round(self, name, label, runner, concurrency, index, record=True):
        destination = f"bench-{name}-{index}"
        self.prepare_destination(destination)
        since = self.mark()
        sim_cpu = cpu_seconds(self.sim.pid)
        load = os.getloadavg()[0]
        measured = runner(destination, concurrency)
        measured["simCpu"] = cpu_seconds(self.sim.pid) - sim_cpu
        measured["load"] = max(load, os.getloadavg()[0])
        log = self.log_of_run(since, destination)
        arrived_ok, bad_tags, tags_checked, detail = self.check_and_empty(destination)
        measured.update(log)
        measured.update({"complete": arrived_ok, "badTags": bad_tags, "tagsChecked": tags_checked, "detail": detail, "objectsPerSecond": self.object_count / measured["seconds"]})
        say(f"{label}: {measured['objectsPerSecond']:.0f} objects/s, {measured['seconds']:.2f} s, CPU {measured['cpu']:.2f} s, "
            f"peak RSS {measured['rssPeakKiB'] / 1024:.0f} MiB, {log['requests']} requests, {log['slowdown']} SlowDown, "
            f"peak {log['peakWritesPerSecond']} writes/s; {detail}")
        if record:
            self.results.setdefault(name, []).append(measured)

    # ----- the report

    def report(self, contestants):
        rows, ratios, notes = [], [], []
        labels = {c[0]: c[1] for c in contestants}
        labels["cutover-256"] = "Cutover, concurrency from 256 up to 512 (limit probe)"
        medians = {}
        for name, runs in self.results.items():
            rate, rate_spread = summarize([r["objectsPerSecond"] for r in runs])
            cpu, cpu_spread = summarize([r["cpu"] for r in runs])
            medians[name] = (rate, cpu)
            complete = all(r["complete"] for r in runs)
            requests_per_object = statistics.median(r["requests"] for r in runs) / self.object_count
            bad_tags = max(r["badTags"] for r in runs)
            arrival = ("every object arrived (key, size)" if complete
                       else "INCOMPLETE: " + next(r["detail"] for r in runs if not r["complete"]))
            tags = (f"tags right on all {runs[0]['tagsChecked']} checked" if not bad_tags
                    else f"TAGS LOST on {bad_tags} of {runs[0]['tagsChecked']} checked (all objects >= 8 MiB among them): "
                         + next(r["detail"] for r in runs if r["badTags"]).split("; tags lost or wrong, e.g. ")[1][:120])
            note = (f"{len(runs)} run(s); {arrival}; {tags}; "
                    f"{requests_per_object:.2f} S3 requests per object; SlowDown answers {sum(r['slowdown'] for r in runs)}; "
                    f"peak writes into the prefix {max(r['peakWritesPerSecond'] for r in runs)}/s")
            rows.append({"name": f"{labels[name]}: objects/s", "value": round(rate, 1), "unit": "objects/s",
                         "spread": [round(v, 1) for v in rate_spread], "note": note})
            who = "cutoverd" if name.startswith("cutover") else "python process"
            rows.append({"name": f"{labels[name]}: CPU seconds ({who})", "value": round(cpu, 2), "unit": "s",
                         "spread": [round(v, 2) for v in cpu_spread], "note": f"per {self.object_count} objects"})
            rows.append({"name": f"{labels[name]}: CPU per object ({who})", "value": round(1e6 * cpu / self.object_count, 1),
                         "unit": "µs", "spread": [round(1e6 * v / self.object_count, 1) for v in cpu_spread],
                         "note": "CPU seconds of the whole operation (listings, copies, journal, progress) / objects; "
                                 "issue 19's goal for cutoverd: ≤ 100 µs"})
            rows.append({"name": f"{labels[name]}: S3 requests per object", "value": round(requests_per_object, 3),
                         "unit": "requests", "note": "all S3 requests of the run in the simulator's request log / objects: "
                                                     + ", ".join(f"{k} {v}" for k, v in runs[0]["operations"].items())})
            peak_rss = max(r["rssPeakKiB"] for r in runs) / 1024
            rss_note = ("cutoverd's VmRSS sampled every 50 ms during the copy; idle before the first run "
                        f"{self.daemon_idle_rss / 1024:.1f} MiB") if name.startswith("cutover") else "VmRSS of the process, sampled every 50 ms"
            rows.append({"name": f"{labels[name]}: peak RSS", "value": round(peak_rss, 1), "unit": "MiB",
                         "spread": [round(min(r["rssPeakKiB"] for r in runs) / 1024, 1), round(peak_rss, 1)], "note": rss_note})
        if "cutover" in self.results:
            runs = self.results["cutover"]
            peaks = [r["peakWritesPerSecond"] for r in runs]
            median_rate = statistics.median(r["medianWritesPerSecond"] for r in runs)
            rows.append({"name": "Cutover: busiest second of writes into the destination prefix", "value": max(peaks),
                         "unit": "writes/s", "spread": [min(peaks), max(peaks)],
                         "note": f"{100 * max(peaks) / WRITE_LIMIT:.0f}% of the 3,500/s per-prefix limit; median second "
                                 f"{median_rate:.0f}/s; SlowDown answers {sum(r['slowdown'] for r in runs)} "
                                 f"in {sum(r['throttledSeconds'] for r in runs)} distinct seconds"})
            rows.append({"name": "Cutover: 503 SlowDown answers during the copy", "value": sum(r["slowdown"] for r in runs),
                         "unit": "answers", "spread": [min(r["slowdown"] for r in runs), max(r["slowdown"] for r in runs)],
                         "note": "from the simulator's request log (status 503), all measured runs"})
            steps = [r["stepSeconds"] for r in runs if r.get("stepSeconds")]
            if steps:
                rows.append({"name": "Cutover: the copy step inside cutoverd (journal: first attempt -> success)",
                             "value": round(statistics.median(steps), 2), "unit": "s",
                             "spread": [round(min(steps), 2), round(max(steps), 2)],
                             "note": f"against {statistics.median(r['seconds'] for r in runs):.2f} s (median) from "
                                     "`cutoverctl start` to the run seen completed, the time every contestant is "
                                     "compared on"})
            rows.append({"name": "cutoverd RSS during the bulk copy (median of samples)",
                         "value": round(statistics.median(r["rssMedianKiB"] for r in runs) / 1024, 1), "unit": "MiB",
                         "spread": [round(min(r["rssMedianKiB"] for r in runs) / 1024, 1), round(max(r["rssPeakKiB"] for r in runs) / 1024, 1)],
                         "note": "spread = [lowest run median, highest peak]; for the footprint benchmark"})
            ours_rate, ours_cpu = medians["cutover"]
            if "cutover-64" in medians and "cli-64" in medians:
                ratios.append({"name": "Cutover at fixed concurrency 64 objects/s ÷ AWS CLI v1 with 64 concurrent (equal concurrency)",
                               "value": round(medians["cutover-64"][0] / medians["cli-64"][0], 2)})
            for name in ("cli-default", "cli-64", "cli2-default", "cli2-64", "boto3-64", "cutover-256"):
                if name in medians:
                    rate, cpu = medians[name]
                    ratios.append({"name": f"Cutover objects/s ÷ {labels[name]}", "value": round(ours_rate / rate, 2)})
                    if name != "cutover-256":
                        ratios.append({"name": f"{labels[name]} CPU s ÷ Cutover CPU s", "value": round(cpu / ours_cpu, 2) if ours_cpu else None})
            if "cutover-256" in self.results:
                probe = self.results["cutover-256"][0]
                notes.append(f"Limit probe (concurrency 256, 1 run): {probe['objectsPerSecond']:.0f} objects/s, busiest second "
                             f"{probe['peakWritesPerSecond']} writes/s ({100 * probe['peakWritesPerSecond'] / WRITE_LIMIT:.0f}% of 3,500), "
                             f"{probe['slowdown']} SlowDown answers in {probe['throttledSeconds']} distinct seconds, "
                             f"{'every object arrived' if probe['complete'] else 'INCOMPLETE'}, {probe['badTags']} tag sets wrong.")
            for name, runs in self.results.items():
                ops = runs[0]["operations"]
                notes.append(f"S3 requests of one {labels[name]} run: " + ", ".join(f"{k} {v}" for k, v in ops.items())
                             + f"; simulator CPU {statistics.median(r['simCpu'] for r in runs):.1f} s over "
                             f"{statistics.median(r['seconds'] for r in runs):.1f} s (median)")
            loads = [r["load"] for runs in self.results.values() for r in runs]
            notes.append(f"Machine: {os.cpu_count()} CPUs shared with other work; 1-minute load average during the runs "
                         f"{min(loads):.1f}-{max(loads):.1f}.")
        notes[:0] = [
            f"{self.object_count} objects, {self.total_bytes / 2**30:.2f} GiB, one prefix (images/); "
            + ("sizes 1, 4 and 16 KiB (--small); " if self.args.small else "sizes cycle over 100 entries: "
               "25% 1 KiB, 20% 4 KiB, 20% 16 KiB, 15% 64 KiB, 12% 256 KiB, 5% 1 MiB, 2% 4 MiB, 1% 8 MiB; ")
            + "2 tags per object.",
            f"cutover-aws-sim with {LATENCY_MS} ms added to every request (fault rule latency) and the per-prefix rate limit on "
            f"({WRITE_LIMIT:.0f} writes / {READ_LIMIT:.0f} reads per second).",
            "Every contestant copies as the source account (Cutover: role CutoverSource; CLI and boto3: the legacy user) into "
            "a fresh empty bucket of the product account, created before the clock starts with the bucket-policy grant Cutover "
            "itself adds; the copy is server-side (CopyObject; the CLI uses multipart UploadPartCopy for objects >= 8 MiB).",
            "Time, the same way for every contestant: wall time of the whole operation as a user sees it. Cutover: "
            "`cutoverctl start` to the first `cutoverctl status` showing the run completed (polled every 0.1 s; includes "
            "planning, AssumeRole, both listings and journaling every CopyObject); CLI and boto3: process start -> exit "
            "(includes python start-up, ~0.3-0.5 s). Cutover's step time inside the daemon (journal) is its own row. "
            "CPU: cutoverd's utime+stime delta; CLI/boto3: the child's rusage.",
            f"Repetitions: every contestant 1 warm-up (not measured), then Cutover {len(self.results.get('cutover', []))} "
            f"measured; AWS CLI default 1 (the slowest); CLI 64 and boto3 {len(self.results.get('cli-64', []))} each; runs "
            "interleaved round by round. Medians with [min, max].",
            "AWS CLI v1 (pip `awscli`, on PATH): " + subprocess.run(["aws", "--version"], capture_output=True, text=True).stdout.strip()
            + "; its defaults: max_concurrent_requests 10, multipart_threshold 8 MiB; v1 does not copy tags on multipart "
            "copies (objects >= 8 MiB)."
            + (f" AWS CLI v2 ({aws_cli_v2()}): " + subprocess.run([aws_cli_v2(), "--version"], capture_output=True,
                                                                   text=True).stdout.strip() if aws_cli_v2() else
               " AWS CLI v2: not installed here (not on PyPI; Debian's awscli package is v2)."),
        ]
        return {"benchmark": "bulk-s3-copy", "rows": rows, "ratios": ratios, "notes": notes + self.notes}

    def cleanup(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.args.keep:
            say(f"kept {self.tmp}")
        else:
            import shutil
            shutil.rmtree(self.tmp, ignore_errors=True)


def aws_cli_v2():
    """The path of an AWS CLI v2 if one is installed (Debian's awscli is v2 at /usr/bin/aws; pip's
    awscli, usually first on PATH, is v1), else None."""
    for path in ("/usr/bin/aws", "/usr/local/bin/aws"):
        if os.access(path, os.X_OK):
            version = subprocess.run([path, "--version"], capture_output=True, text=True)
            if (version.stdout + version.stderr).startswith("aws-cli/2."):
                return path
    return None


def parse_time(text):
    from datetime import datetime
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build-bench", "release"),
                        help="folder with cutoverd, cutoverctl and cutover-aws-sim (default .build-bench/release)")
    parser.add_argument("--quick", action="store_true", help="1,000 objects, one run each, no probe: for trying it")
    parser.add_argument("--objects", type=int, help="number of objects (default 10,000; 1,000 with --quick)")
    parser.add_argument("--runs", type=int, help="measured Cutover runs (default 3, quick 1)")
    parser.add_argument("--peer-runs", type=int, help="measured runs of CLI 64 and boto3 (default 2, quick 1)")
    parser.add_argument("--no-probe", action="store_true", help="skip the concurrency-256 limit probe")
    parser.add_argument("--no-warmup", action="store_true", help="no warm-up runs (the 100,000-object pass)")
    parser.add_argument("--small", action="store_true",
                        help="objects of 1, 4 and 16 KiB only (the simulator holds every byte: 100,000 objects of the "
                             "standard mix would be 25 GiB)")
    parser.add_argument("--only", help="comma-separated contestants to run (cutover,cli-default,cli-64,boto3-64,...)")
    parser.add_argument("--timeout", type=float, default=600, help="real seconds one copy may take")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, state)")
    parser.add_argument("--boto3-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--dst", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.boto3_worker:
        return boto3_worker(args)
    bench = BulkCopyBench(args)
    try:
        print(json.dumps(bench.run(), indent=2))
        return 0
    except Exception as failure:
        say(f"FAILED: {type(failure).__name__}: {failure}")
        log = getattr(bench, "daemon_log", None)
        if log and os.path.exists(log):
            say("last lines of cutoverd's log:\n" + "".join(open(log).readlines()[-30:]))
        return 1
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
