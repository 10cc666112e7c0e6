"""The campaigns' shared harness: real cutover-aws-sim, cutoverd and cutoverctl processes over real
sockets, as scripts/demo.py drives them, made repeatable and fast.

- `Clock`: one scaled clock (origin, anchor, scale) given to both the simulator and the daemon, so
  they agree on simulated time exactly (docs/DAEMON.md, "Demo clock").
- `Simulator`: start/stop (optionally on a fixed port, so it can be restarted under a running
  daemon), fault rules, the request log, fault counters.
- `Daemon`: a config file and state directory, start, SIGTERM, kill -9, resident memory and fds.
- `Cutover`: drive one run of Runbooks/examples/admin-console-moves.yaml — start it as the invoking user,
  approve as the second OS user `cutover-demo` (the runbook forbids the initiator), wait for a
  terminal state with a timeout — and `EndState`: the independent checks (boto3 and the
  simulator's request log, never cutover's own code).

The world is scripts/campaigns/campaign-world.json: the demo world with 200 objects instead of
3,000. The runbook is the real one, unedited; its parameters carry what a campaign changes: the
maintenance window (`windowStart`/`windowEnd`, computed from the clock, which starts at the real
now, so nothing depends on the date) and a shortened `forcedWait` (with the simulator's name hold
to match).

Independence of the checks: the irreversible calls are counted in the simulator's request log,
every request whatever its answer, and a run fails on any request to an irreversible operation
after its first success; the daemon's liveness and exit status are checked before every control
call, and every death the harness did not cause is recorded (`Daemon.unexpected_deaths`); journal
loss is judged on the (sequence, hash) prefix of the SQLite journal (`journal_prefix`).

Test-only: CUTOVER_CAMPAIGN_INJECT=resend-delete-bucket makes the check itself send one more
DeleteBucket of the source bucket (boto3, after the run): a stand-in for a build that resends an
irreversible call, to show the check fails the run. Never set in CI.
"""
import grp
import hashlib
import json
import os
import pwd
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(HERE, "campaign-world.json")
RUNBOOK = os.path.join(ROOT, "Runbooks", "examples", "admin-console-moves.yaml")
# Where a run's whole result goes (not committed): campaign-results/full or campaign-results/reduced
# (CI's reduced runs never overwrite the full ones). A full run also writes its summary, with the
# commit and seed, to docs/reliability-data/ (PUBLISHED, committed): docs/RELIABILITY.md is rendered
# from that alone.
RESULTS_ROOT = os.environ.get("CAMPAIGN_RESULTS") or os.path.join(ROOT, "campaign-results")
RESULTS = os.path.join(RESULTS_ROOT, "full")
PUBLISHED = os.path.join(ROOT, "docs", "reliability-data")
PUBLISH = True


def reduced_results():
    """Switch this process to the reduced (CI) form: results apart, nothing published."""
    global RESULTS, PUBLISH
    RESULTS, PUBLISH = os.path.join(RESULTS_ROOT, "reduced"), False
REGION = "ap-northeast-1"
LEGACY, PRODUCT = "111111111111", "222222222222"
BUCKET, STAGING, DB = "admin-images", "admin-images-staging", "admin-db"
# The runbook's window is a parameter: WINDOW_HOURS long, opening `lead` after the clock's origin.
WINDOW_HOURS = 4
APPROVER = "cutover-demo"
APPROVERS = "cutover-approvers"
OPERATORS = "cutover-operators"
TERMINAL = {"completed", "rolled-back", "cancelled"}
# Simulated seconds per real second. A clean run spans ~35 simulated minutes (the RDS snapshot,
# copy and restore) = ~7 real seconds; the 4-hour window is 48 real seconds, so a run slowed
# several times by CPU contention or a restart still ends well inside it.
DEFAULT_SCALE = 300
# forcedWait and the simulator's bucket-name hold, shortened together (the runbook's default is 1 h).
FORCED_WAIT = "5m"
NAME_HOLD = 300


class CampaignFailure(Exception):
    pass


class DaemonDied(CampaignFailure):
    """cutoverd exited without the harness killing or stopping it."""


def journal_prefix(path):
    """[(sequence, hash)] of a journal file, opened read-only (WAL readers do not block the daemon)."""
    if not os.path.exists(path):
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return [tuple(row) for row in connection.execute("SELECT sequence, hash FROM events ORDER BY sequence")]
    finally:
        connection.close()


def prefix_loss(before, after):
    """None when `after` starts with `before`; otherwise what was lost or changed."""
    if after[:len(before)] == before:
        return None
    kept = {seq: h for seq, h in after}
    missing = [seq for seq, _ in before if seq not in kept]
    changed = [seq for seq, h in before if seq in kept and kept[seq] != h]
    return {"records_before": len(before), "records_after": len(after), "missing": len(missing),
            "changed": len(changed), "first": (missing + changed)[:5]}


def say(campaign, text):
    print(f"{campaign}: {text}", flush=True)


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- identities


class Identities:
    """The approver `cutover-demo` in `cutover-approvers` (created if missing, as demo.py does).
    Needs root: the daemon tells people apart by SO_PEERCRED, and the runbook forbids the
    initiator to approve."""

    def __init__(self):
        if os.geteuid() != 0:
            raise CampaignFailure("the campaigns need root: the approvals come from a second OS user (setpriv)")
        self.created_user = False
        self.created_groups = []
        for name in (APPROVERS, OPERATORS):
            try:
                grp.getgrnam(name)
            except KeyError:
                subprocess.run(["groupadd", "--system", name], check=True)
                self.created_groups.append(name)
        try:
            pwd.getpwnam(APPROVER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                            "--groups", APPROVERS, APPROVER], check=True)
            self.created_user = True

    def cleanup(self):
        if self.created_user:
            subprocess.run(["userdel", APPROVER], check=False)
        for name in self.created_groups:
            subprocess.run(["groupdel", name], check=False)


# ---------------------------------------------------------------- clock


class Clock:
    """Simulated now = origin + (real now − anchor) × scale, in both processes. The origin is the
    real now, rounded down to the minute, so every date follows the machine's calendar; the
    maintenance window opens `lead` later (`window()`)."""

    def __init__(self, scale=DEFAULT_SCALE, lead=timedelta(minutes=3)):
        self.scale = scale
        self.anchor = time.time()
        self.origin = datetime.fromtimestamp(self.anchor // 60 * 60, timezone.utc)
        self.lead = lead

    def now(self):
        return self.origin + timedelta(seconds=(time.time() - self.anchor) * self.scale)

    def window(self, start=None):
        """The runbook parameters of a WINDOW_HOURS window from `start` (default: origin + lead)."""
        start = start or self.origin + self.lead
        return {"windowStart": iso(start), "windowEnd": iso(start + timedelta(hours=WINDOW_HOURS))}

    def sim_args(self):
        return ["--time-scale", str(self.scale), "--time-origin", iso(self.origin), "--time-anchor", f"{self.anchor:.6f}"]

    def config(self):
        return f'clock:\n  scale: {self.scale}\n  origin: "{iso(self.origin)}"\n  anchor: {self.anchor:.6f}\n'


# ---------------------------------------------------------------- simulator


class Simulator:
    def __init__(self, bin_dir, tmp, clock, port=None, seed=1, session_duration=None, name_hold=NAME_HOLD):
        self.bin, self.tmp, self.clock = bin_dir, tmp, clock
        self.port = port or free_port()
        self.seed, self.session_duration, self.name_hold = seed, session_duration, name_hold
        self.process = None
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.starts = 0

    def start(self):
        port_file = os.path.join(self.tmp, "sim.port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.starts += 1
        log = open(os.path.join(self.tmp, f"sim-{self.starts}.log"), "w")
        command = [os.path.join(self.bin, "cutover-aws-sim"), "--port", str(self.port), "--port-file", port_file,
                   "--region", REGION, "--seed-file", WORLD, "--seed", str(self.seed),
                   "--name-hold", str(self.name_hold), *self.clock.sim_args()]
        if self.session_duration:
            command += ["--session-duration", str(self.session_duration)]
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not os.path.exists(port_file):
            if self.process.poll() is not None:
                raise CampaignFailure(f"cutover-aws-sim exited {self.process.returncode}:\n{open(log.name).read()}")
            if time.monotonic() > deadline:
                raise CampaignFailure("cutover-aws-sim did not start within 60 s")
            time.sleep(0.02)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def add_fault(self, rule):
        return self.admin("POST", "/_sim/faults", rule)

    def remove_fault(self, rule_id):
        return self.admin("DELETE", f"/_sim/faults/{rule_id}")

    def clear_faults(self):
        return self.admin("DELETE", "/_sim/faults")

    def faults(self):
        return self.admin("GET", "/_sim/faults")

    def requests(self, **filters):
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        return self.admin("GET", "/_sim/requests" + (f"?{query}" if query else ""))["requests"]

    def injected_total(self):
        """Faults the simulator injected (its own counters; latency counted as `delayed`)."""
        counters = self.faults().get("counters", {})
        return sum(v for k, v in counters.items() if isinstance(v, int))


# ---------------------------------------------------------------- daemon


def write_daemon_config(path, *, world, tmp, socket, state, group, endpoint, clock, writer):
    """A cutoverd.yaml for a local run against the simulator (the demo's and the campaigns'):
    the world's legacy user as the base credentials (a 0600 file beside it), the socket in
    `group` (None: no group, as a non-root demo runs), every runbook in Runbooks/. Returns the
    base key (access key id, secret)."""
    user = next(a for a in json.load(open(world))["accounts"] if a["name"] == "legacy")["users"][0]
    credentials = os.path.join(tmp, "aws-credentials")
    with open(credentials, "w") as f:
        f.write(f"AWS_ACCESS_KEY_ID={user['accessKeyId']}\nAWS_SECRET_ACCESS_KEY={user['secretAccessKey']}\n")
    os.chmod(credentials, 0o600)
    with open(path, "w") as f:
        f.write(f"""# written by {writer}
socket:
  path: {socket}
  mode: "0660"
  group: {f'"{group}"' if group else "null"}
stateDirectory: {state}
runbookDirectories: [{os.path.join(ROOT, "Runbooks")}]
access:
  operatorGroups: [{OPERATORS}]
  approverGroups: [{APPROVERS}]
aws:
  credentials: "file:{credentials}"
  endpointURL: {endpoint}
{clock}logLevel: info
""")
    return (user["accessKeyId"], user["secretAccessKey"])


class Daemon:
    def __init__(self, bin_dir, tmp, clock, endpoint, state=None):
        self.bin, self.tmp, self.clock, self.endpoint = bin_dir, tmp, clock, endpoint
        self.socket = os.path.join(tmp, "cutoverd.sock")
        self.state = state or os.path.join(tmp, "state")
        self.config = os.path.join(tmp, "cutoverd.yaml")
        self.process = None
        self.starts = 0
        self.log_path = None
        # Every exit of cutoverd that the harness did not cause (kill -9, SIGTERM): exit status,
        # which start it was, what the harness was about to do, the log's tail.
        self.unexpected_deaths = []
        self._checked = None  # the process whose death is already recorded
        self.base_key = write_daemon_config(
            self.config, world=WORLD, tmp=tmp, socket=self.socket, state=self.state, group=APPROVERS,
            endpoint=endpoint, clock=clock.config(), writer="scripts/campaigns/harness.py")

    def start(self, timeout=30):
        self.starts += 1
        self.log_path = os.path.join(self.tmp, f"cutoverd-{self.starts}.log")
        log = open(self.log_path, "w")
        self.process = subprocess.Popen([os.path.join(self.bin, "cutoverd"), "--config", self.config],
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                self.check_alive("starting")
            if os.path.exists(self.socket) and self.ctl("health", check=False).returncode == 0:
                return
            if time.monotonic() > deadline:
                raise CampaignFailure(f"cutoverd did not answer within {timeout} s:\n{self.log_tail()}")
            time.sleep(0.05)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def check_alive(self, doing):
        """Before every control call: a daemon that exited without the harness killing or
        stopping it is recorded in `unexpected_deaths` (once) and raises DaemonDied."""
        if self.process is None or self.process.poll() is None:
            return
        if self._checked is not self.process:
            self._checked = self.process
            code = self.process.returncode
            self.unexpected_deaths.append({
                "start": self.starts, "exit": code,
                "signal": signal.Signals(-code).name if code < 0 and -code in signal.valid_signals() else None,
                "while": doing, "log_tail": self.log_tail(15)[-1500:]})
        raise DaemonDied(f"cutoverd (start {self.starts}) exited {self.process.returncode} on its own; "
                         f"noticed before `{doing}`:\n{self.log_tail(15)}")

    def kill9(self):
        self.check_alive("kill -9")
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._checked = self.process  # our doing

    def stop(self, timeout=30):
        """SIGTERM and its exit status. A daemon already gone is recorded as an unexpected death
        (unless the harness ended it) and its exit status returned."""
        if self.process is None:
            return None
        if not self.alive():
            try:
                self.check_alive("SIGTERM")
            except DaemonDied:
                pass
            return self.process.returncode
        self._checked = self.process
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return "hung"

    def log_tail(self, lines=40):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        return "".join(open(self.log_path, errors="replace").readlines()[-lines:])

    def all_logs(self):
        text = ""
        for n in range(1, self.starts + 1):
            path = os.path.join(self.tmp, f"cutoverd-{n}.log")
            if os.path.exists(path):
                text += open(path, errors="replace").read()
        return text

    def ctl(self, *arguments, as_approver=False, check=True, json_out=False, timeout=60):
        offline = "--state-dir" in arguments  # audit commands read the state directory, no daemon
        if not offline:
            self.check_alive(f"cutoverctl {' '.join(arguments[:2])}")
        command = [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, *arguments]
        if json_out:
            command += ["--output", "json"]
        if as_approver:
            command = ["setpriv", f"--reuid={APPROVER}", f"--regid={APPROVER}", "--init-groups", "--", *command]
        env = dict(os.environ, NO_COLOR="1", CUTOVER_STATE_DIRECTORY=self.state)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
        if check and result.returncode != 0:
            raise CampaignFailure(f"`cutoverctl {' '.join(arguments)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
        if json_out and result.returncode == 0:
            return json.loads(result.stdout)
        return result

    def journal_prefix(self):
        """The journal's (sequence, hash) pairs in order, read-only from its SQLite file
        (Sources/Journal/JournalSchema.swift: table `events`). A restart may append records but
        must keep every pair read before a kill exactly."""
        return journal_prefix(os.path.join(self.state, "journal.db"))

    def sample(self):
        """(VmRSS in KiB, open file descriptors) of the running daemon, from /proc."""
        rss, fds, _ = self.sample_with_sockets()
        return rss, fds

    def sample_with_sockets(self):
        """(VmRSS in KiB, open file descriptors, how many of them are sockets) of the daemon."""
        pid = self.process.pid
        rss = 0
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        sockets = 0
        names = os.listdir(f"/proc/{pid}/fd")
        for name in names:
            try:
                sockets += os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:")
            except OSError:
                pass  # closed between the listing and the readlink
        return rss, len(names), sockets


# ---------------------------------------------------------------- one cutover


class Cutover:
    """One run of the admin-console runbook through a daemon."""

    def __init__(self, daemon, window, runbook=RUNBOOK, forced_wait=FORCED_WAIT):
        """`window`: the runbook's window parameters (`Clock.window()`)."""
        self.daemon, self.runbook, self.forced_wait = daemon, runbook, forced_wait
        self.parameters = {**window, "forcedWait": forced_wait}
        self.run_id = None
        self.approved = set()
        self.actions = []

    def start(self):
        arguments = [f"{name}={value}" for name, value in self.parameters.items()]
        started = self.daemon.ctl("start", self.runbook, *[a for p in arguments for a in ("--param", p)], "--yes",
                                  json_out=True)
        self.run_id = started["run"]["runId"]
        return self.run_id

    def status(self):
        return self.daemon.ctl("status", self.run_id, json_out=True, timeout=30)

    def event_count(self):
        result = self.daemon.ctl("events", self.run_id, "--output", "json", check=False, timeout=60)
        if result.returncode != 0:
            raise CampaignFailure(f"cutoverctl events failed: {result.stderr}")
        return sum(1 for line in result.stdout.splitlines() if line.strip())

    def step(self, on_pause=None, on_decision=None):
        """One look at the run: approves what waits for approval; returns the view."""
        view = self.status()
        run = view["run"]
        if run["status"] in TERMINAL:
            return view
        if run["status"] == "paused":
            if on_pause is None:
                raise CampaignFailure(f"the run paused: {run.get('reason')}")
            on_pause(view)
            return view
        for pending in view.get("pendingApprovals", []):
            if pending["step"] in self.approved:
                continue
            result = self.daemon.ctl("approve", self.run_id, pending["step"], "--comment", "campaign approval",
                                     as_approver=True, check=False)
            if result.returncode == 0 or "already-approved" in result.stdout + result.stderr:
                self.approved.add(pending["step"])
            else:
                raise CampaignFailure(f"approve {pending['step']} failed: {result.stdout}{result.stderr}")
        for decision in view.get("pendingDecisions", []):
            if on_decision is None:
                raise CampaignFailure(f"the run asks for a decision on {decision['step']}: {decision.get('reason')}")
            on_decision(view, decision)
        return view

    def operator_retry(self, view):
        """What an operator does with a run that paused after its retries ran out: `cutoverctl
        retry` (a fresh budget), then `resume` if still paused. Recorded in `self.actions`."""
        if len(self.actions) >= 20:
            raise CampaignFailure(f"more than 20 operator actions; giving up: {self.actions[-1]}")
        self.actions.append(f"paused: {(view['run'].get('reason') or '')[:300]}")
        for action in ("retry", "resume"):
            result = self.daemon.ctl(action, self.run_id, "--comment", "campaign operator", check=False)
            self.actions.append(f"{action} → exit {result.returncode}")

    def operator_decide_retry(self, _view, decision):
        """A step with `onFailure: decide` asks; the operator answers `retry`."""
        if len(self.actions) >= 20:
            raise CampaignFailure(f"more than 20 operator actions; giving up: {self.actions[-1]}")
        result = self.daemon.ctl("decide", self.run_id, decision["step"], "retry", "--comment", "campaign operator",
                                 check=False)
        self.actions.append(f"decision on {decision['step']} ({(decision.get('reason') or '')[:200]}) → retry, "
                            f"exit {result.returncode}")

    def drive(self, timeout, on_pause=None, on_decision=None, interval=0.2, should_stop=None):
        """Until terminal (returns the final view), or `should_stop()` says so (returns None)."""
        deadline = time.monotonic() + timeout
        while True:
            view = self.step(on_pause, on_decision)
            if view["run"]["status"] in TERMINAL:
                return view
            if should_stop and should_stop(view):
                return None
            if time.monotonic() > deadline:
                raise CampaignFailure(f"the run did not finish within {timeout} s: {view['run']['status']} "
                                      f"{view['run'].get('reason')}\n{self.daemon.ctl('status', self.run_id, check=False).stdout}")
            time.sleep(interval)


# ---------------------------------------------------------------- end state (independent)


class EndState:
    """What must hold after a completed cutover, checked with boto3 against the simulator and
    with the simulator's request log — not with cutover's code."""

    def __init__(self, sim, base_key):
        self.sim, self.base_key = sim, base_key

    def boto(self, service, account):
        import boto3
        from botocore.config import Config
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}, connect_timeout=10, read_timeout=30)
        session = boto3.session.Session(aws_access_key_id=self.base_key[0], aws_secret_access_key=self.base_key[1],
                                        region_name=REGION)
        if account == "legacy":
            return session.client(service, endpoint_url=self.sim.endpoint, config=config)
        sts = session.client("sts", endpoint_url=self.sim.endpoint, config=config)
        role = sts.assume_role(RoleArn=f"arn:aws:iam::{PRODUCT}:role/CutoverTarget", RoleSessionName="campaign-check",
                               DurationSeconds=3600)["Credentials"]
        return boto3.session.Session(aws_access_key_id=role["AccessKeyId"], aws_secret_access_key=role["SecretAccessKey"],
                                     aws_session_token=role["SessionToken"], region_name=REGION).client(
            service, endpoint_url=self.sim.endpoint, config=config)

    @staticmethod
    def listing(s3, bucket):
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                objects[item["Key"]] = (item["Size"], item["ETag"])
        return objects

    def record_source(self, seed=0, bodies=10):
        """Before the run (no faults on yet): every source object's size and ETag and tags, and the
        SHA-256 of `bodies` sampled object bodies (the ETags come from the simulator itself)."""
        s3 = self.boto("s3", "legacy")
        self.source = self.listing(s3, BUCKET)
        keys = sorted(self.source)
        self.tags = {k: tag_set(s3, BUCKET, k) for k in keys}
        self.hashes = {k: body_hash(s3, BUCKET, k) for k in random.Random(seed).sample(keys, min(bodies, len(keys)))}
        return len(self.source)

    def check(self, since=0):
        """Problems (strings) and figures. `since`: the request-log sequence the cutover began
        after (the soak restarts the simulator, so it is 0 there too)."""
        problems, figures = [], {}
        if os.environ.get("CUTOVER_CAMPAIGN_INJECT") == "resend-delete-bucket":
            inject_resent_delete_bucket(self.boto("s3", "legacy"))
        s3 = self.boto("s3", "product")
        arrived = self.listing(s3, BUCKET)
        missing = sorted(set(self.source) - set(arrived))
        different = sorted(k for k in self.source if k in arrived and arrived[k] != self.source[k])
        extra = sorted(set(arrived) - set(self.source))
        figures["objects"] = len(self.source)
        figures["missing"], figures["different"] = len(missing), len(different)
        if missing or different or extra:
            problems.append(f"objects: {len(missing)} missing (e.g. {missing[:3]}), {len(different)} differ "
                            f"(e.g. {different[:3]}), {len(extra)} unexpected")
        tags_differ = [k for k, tags in self.tags.items() if k in arrived and tag_set(s3, BUCKET, k) != tags]
        if tags_differ:
            problems.append(f"tags of {len(tags_differ)} objects differ (e.g. {tags_differ[:3]})")
            figures["different"] += len(tags_differ)
        bodies_differ = [k for k, h in self.hashes.items() if k in arrived and body_hash(s3, BUCKET, k) != h]
        if bodies_differ:
            problems.append(f"bodies of {len(bodies_differ)} of {len(self.hashes)} sampled objects differ "
                            f"(SHA-256; e.g. {bodies_differ[:3]})")
            figures["different"] += len(bodies_differ)
        figures["tags_checked"], figures["bodies_hashed"] = len(self.tags), len(self.hashes)
        buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        if BUCKET not in buckets:
            problems.append(f"{BUCKET} is not among the product account's buckets: {buckets}")
        if STAGING in buckets:
            problems.append(f"the staging bucket {STAGING} is still there")
        legacy_buckets = [b["Name"] for b in self.boto("s3", "legacy").list_buckets()["Buckets"]]
        if BUCKET in legacy_buckets:
            problems.append(f"{BUCKET} is still in the legacy account")
        rds = self.boto("rds", "product")
        try:
            db = rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]
            product_key = self.boto("kms", "product").describe_key(KeyId="alias/admin-db")["KeyMetadata"]["Arn"]
            if db["DBInstanceStatus"] != "available":
                problems.append(f"{DB} in product is {db['DBInstanceStatus']}")
            if db.get("KmsKeyId") != product_key or not db.get("StorageEncrypted"):
                problems.append(f"{DB} in product is encrypted with {db.get('KmsKeyId')}, not {product_key}")
        except Exception as error:  # noqa: BLE001 — any answer but the instance is a failed check
            problems.append(f"{DB} in product: {error}")
        figures["irreversible"] = irreversible_calls(self.sim.requests(), since, len(self.source), problems)
        return problems, figures


def tag_set(s3, bucket, key):
    return sorted((t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"])


def body_hash(s3, bucket, key):
    return hashlib.sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest()


def inject_resent_delete_bucket(s3):
    """Test-only (CUTOVER_CAMPAIGN_INJECT=resend-delete-bucket): what a build that resends the
    source's DeleteBucket would do. Whatever the answer (404 NoSuchBucket), the check must fail."""
    try:
        s3.delete_bucket(Bucket=BUCKET)
    except Exception:  # noqa: BLE001 — the answer does not matter; the request is in the log
        pass


def irreversible_calls(log, since, objects, problems, legacy=LEGACY, product=PRODUCT, bucket=BUCKET, staging=STAGING,
                       batch=1000):
    """Every request to an irreversible operation, from the simulator's request log, whatever its
    status. An operation is performed when its status is 2xx (an injected reset or dropped
    connection performs the call and then breaks the answer; an injected error does not perform
    it). Each resource allows its number of performed calls (DeleteBucket: 1; DeleteObjects on the
    source: one per batch of 1,000 keys; DeleteDBInstance: 1) and NO request at all after the
    last of them: a resend, even one answered 404 NoSuchBucket, fails the run. The log does not
    carry DeleteObjects' key sets, so a batch is judged by count and order, not by its keys.
    Appends to `problems`; returns {name: {"sent", "performed"}}."""
    log = sorted((r for r in log if r["sequence"] > since), key=lambda r: r["sequence"])
    batches = max(1, (objects + batch - 1) // batch)
    checks = [
        ("DeleteBucket source", "DeleteBucket", legacy, bucket, 1, True),
        ("DeleteBucket staging", "DeleteBucket", product, staging, 1, True),
        ("DeleteObjects source", "DeleteObjects", legacy, bucket, batches, False),
        ("DeleteDBInstance", "DeleteDBInstance", None, None, 1, False),
    ]
    counts = {}
    for name, operation, account, resource, allowed, exactly in checks:
        calls = [r for r in log if r["operation"] == operation and (account is None or r.get("account") == account)
                 and (resource is None or (r.get("resource") or "").strip("/").split("/")[0] == resource)]
        performed = [r for r in calls if 200 <= r["status"] < 300]
        counts[name] = {"sent": len(calls), "performed": len(performed)}
        if exactly and len(performed) != allowed:
            problems.append(f"{name}: performed {len(performed)} times, not {allowed}")
        if len(performed) >= allowed and allowed:
            last = performed[allowed - 1]["sequence"]
            after = [r for r in calls if r["sequence"] > last]
            if after:
                problems.append(f"{name}: {len(after)} request(s) after its {'last allowed' if allowed > 1 else 'first'} "
                                f"success (#{last}): " + ", ".join(f"#{r['sequence']} {r['status']} {r.get('errorCode') or ''}".strip()
                                                                   for r in after[:5]))
        elif len(performed) > allowed:
            problems.append(f"{name}: performed {len(performed)} times, at most {allowed} allowed")
    # Single-object deletes on the source, if any: once per key.
    singles = [r for r in log if r["operation"] == "DeleteObject" and r.get("account") == legacy
               and (r.get("resource") or "").strip("/").split("/")[0] == bucket]
    counts["DeleteObject source"] = {"sent": len(singles), "performed": sum(1 for r in singles if 200 <= r["status"] < 300)}
    done = set()
    for r in singles:
        key = (r.get("resource") or "").strip("/")
        if key in done:
            problems.append(f"DeleteObject {key}: request #{r['sequence']} ({r['status']}) after its first success")
        elif 200 <= r["status"] < 300:
            done.add(key)
    if counts["DeleteObjects source"]["performed"] + len(done) < 1 and not any(p.startswith("DeleteBucket source") for p in problems):
        problems.append("no DeleteObjects on the source bucket was performed, yet it is gone")
    return counts


def audit_verify(daemon, run_id):
    """`cutoverctl audit verify RUN --state-dir` (offline): (ok, its output)."""
    result = daemon.ctl("audit", "verify", run_id, "--state-dir", daemon.state, check=False, timeout=120)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


# ---------------------------------------------------------------- results


def write_result(name, command, inputs, faults_injected, crashes, data_lost, outcome, details, started, seed=None):
    os.makedirs(RESULTS, exist_ok=True)
    document = {
        "campaign": name, "command": command, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit(), "binaries": BINARIES, "seed": seed if seed is not None else details.get("seed"),
        "inputs": inputs, "faults_injected": faults_injected, "crashes": crashes, "data_lost": data_lost,
        "outcome": outcome, "wall_seconds": round(time.monotonic() - started, 1),
        "machine": machine(), "details": details,
    }
    path = os.path.join(RESULTS, f"{name}.json")
    with open(path, "w") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    if PUBLISH:
        publish(document)
    return path


# Bulky or machine-local fields left out of the committed summary (the whole result keeps them).
UNPUBLISHED = {"traceback", "daemon_log_tail", "status_text", "workspace", "log_tail", "df_after_fill"}


def summarize(value):
    if isinstance(value, dict):
        return {k: summarize(v) for k, v in value.items() if k not in UNPUBLISHED}
    if isinstance(value, list):
        return [summarize(v) for v in value]
    if isinstance(value, str) and len(value) > 1200:
        return value[:1200] + "…"
    return value


def publish(document):
    """The committed summary of a full run: docs/reliability-data/<campaign>.json."""
    os.makedirs(PUBLISHED, exist_ok=True)
    path = os.path.join(PUBLISHED, f"{document['campaign']}.json")
    with open(path, "w") as f:
        json.dump(summarize(document), f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"published {os.path.relpath(path, ROOT)} (commit it with the code it measured)", flush=True)


# The programs measured (`scripts/campaigns/run` fills it in): folder and each binary's mtime.
BINARIES = None
_COMMIT = None


def commit():
    """The checkout's commit when this process first asked (the start of the campaigns), `+dirty`
    when the tree had uncommitted changes. The binaries measured are named apart (BINARIES): with
    --bin they may come from another build."""
    global _COMMIT
    if _COMMIT is None:
        _COMMIT = _head()
    return _COMMIT


def _head():
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "kernel": os.uname().release,
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


class Workspace:
    """A temporary directory the approver can reach (for the socket), removed unless kept."""

    def __init__(self, prefix, keep=False):
        self.path = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.path, 0o755)
        self.keep = keep

    def cleanup(self):
        if not self.keep:
            shutil.rmtree(self.path, ignore_errors=True)
