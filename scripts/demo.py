#!/usr/bin/env python3
"""The admin-console cutover demo (scripts/demo runs it after building).

Real processes over real sockets: cutover-aws-sim (the AWS stand-in) seeded from
Runbooks/demo/admin-console-world.json, a moto server holding the switch-over services (ELBv2,
ECS, Route 53, Secrets Manager, CloudWatch; scripts/switchover_world.py) that the simulator
forwards to after checking signatures, a local health URL, cutoverd with a temporary state
directory, and cutoverctl for everything an operator does. The runbook is the whole cutover:
maintenance page, the two moves, the secret, the ECS redeploy, the DNS switch, the health check. Simulated time runs --scale times faster in both the simulator
and the daemon, from the real now (rounded down to the minute): the maintenance window is given to
the run as its parameters windowStart/windowEnd, opening ten simulated minutes after the read-only
rehearsal discovery (so a slow machine's start-up and discovery do not eat the window), so
nothing depends on the date and the one-hour forced wait for the bucket name takes a minute.

Identity: the run is started by whoever runs the demo; the approvals come from a separate demo
user, `cutover-demo` in group `cutover-approvers`, through `cutoverctl approve` (the daemon learns
who it is from SO_PEERCRED). That needs root to create the user; without root the demo approves
as yourself with a copy of the runbook that allows the initiator to approve, and says so.

Independent checks at the end use boto3 against the simulator, not cutover's own code: every
object of the legacy bucket is in the product account's bucket (key, size, ETag and tags of every
object; the SHA-256 of a sample of bodies, downloaded before and after, since ETags come from the
simulator itself), the staging bucket and the legacy bucket are gone, the database is available in
the product account under the product key; boto3 against moto: the maintenance rule is gone, the
secret's current version holds the new database host, the ECS service runs the new task
definition, the DNS record aliases the product load balancer, the health URL answers; and the
simulator's request log shows each
irreversible call (DeleteBucket per bucket, DeleteObjects per batch) performed once and never
sent again after its success, whatever the answer.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "campaigns"))
# The campaigns' request-log check, demo user and groups, and scaled clock: one implementation.
from harness import APPROVER as DEMO_USER, APPROVERS, Clock, Identities, irreversible_calls, iso, write_daemon_config  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from switchover_world import SwitchoverWorld  # noqa: E402
WORLD = os.path.join(ROOT, "Runbooks", "demo", "admin-console-world.json")
RUNBOOK = os.path.join(ROOT, "Runbooks", "admin-console-cutover.yaml")
REGION = "ap-northeast-1"
# Simulated time starts at the real now (rounded down to the minute). The window is set after the
# read-only rehearsal discovery and opens ten simulated minutes later: the preflight, the start and
# the pre-copy (window: any) happen about then, and the window's four hours are left for the
# cutover itself however slow the machine was before (the +400 d pass under libfaketime once spent
# over an hour of simulated time in start-up and discovery, when the window opened half an hour
# after start-up).
WINDOW_LEAD = timedelta(minutes=10)
BODY_SAMPLE = 50

TERMINAL = {"completed", "rolled-back", "cancelled"}


class DemoFailure(Exception):
    pass


def say(text):
    print(f"demo: {text}", flush=True)


class Demo:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin
        self.tmp = tempfile.mkdtemp(prefix="cutover-demo-")
        os.chmod(self.tmp, 0o755)  # the demo approver must reach the socket
        self.processes = []
        self.identities = None
        self.switchover = None
        self.is_root = os.geteuid() == 0
        self.runbook = RUNBOOK
        self.started = time.monotonic()
        self.clock = Clock(scale=args.scale, lead=WINDOW_LEAD)
        self.anchor = self.clock.anchor
        self.origin = iso(self.clock.origin)
        self.window = self.clock.window()

    # ---------- processes ----------

    def ctl(self, *arguments, as_demo_user=False, check=True, json_out=False):
        command = [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, *arguments]
        if json_out:
            command += ["--output", "json"]
        if as_demo_user and self.is_root:
            command = ["setpriv", f"--reuid={DEMO_USER}", f"--regid={DEMO_USER}", "--init-groups", "--", *command]
        env = dict(os.environ, NO_COLOR="1", CUTOVER_STATE_DIRECTORY=self.state)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        if check and result.returncode != 0:
            raise DemoFailure(f"`cutoverctl {' '.join(arguments)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
        if json_out and result.returncode == 0:
            return json.loads(result.stdout)
        return result

    def start_simulator(self):
        port_file = os.path.join(self.tmp, "sim.port")
        log = open(os.path.join(self.tmp, "sim.log"), "w")
        command = [os.path.join(self.bin, "cutover-aws-sim"), "--port-file", port_file, "--region", REGION,
                   "--seed-file", WORLD, "--time-scale", str(self.args.scale), "--time-origin", self.origin,
                   "--time-anchor", f"{self.anchor:.6f}", "--name-hold", "3600", "--forward", self.switchover.endpoint]
        self.processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 60
        while not os.path.exists(port_file):
            if self.processes[-1].poll() is not None:
                raise DemoFailure(f"cutover-aws-sim exited {self.processes[-1].returncode}:\n{open(log.name).read()}")
            if time.monotonic() > deadline:
                raise DemoFailure("cutover-aws-sim did not start within 60 s")
            time.sleep(0.05)
        self.port = int(open(port_file).read().strip())
        self.endpoint = f"http://127.0.0.1:{self.port}"
        say(f"simulator on {self.endpoint}, seeded from {os.path.relpath(WORLD, ROOT)}, time ×{self.args.scale}; "
            f"ELBv2, ECS, Route 53, Secrets Manager, SSM and CloudWatch forwarded to moto")

    def start_switchover_world(self):
        self.switchover = SwitchoverWorld(self.tmp)
        self.switchover.seed()
        say(self.switchover.describe())

    def write_config(self):
        self.socket = os.path.join(self.tmp, "cutoverd.sock")
        self.state = os.path.join(self.tmp, "state")
        self.config = os.path.join(self.tmp, "cutoverd.yaml")
        self.legacy_key = write_daemon_config(
            self.config, world=WORLD, tmp=self.tmp, socket=self.socket, state=self.state,
            group=APPROVERS if self.is_root else None, endpoint=self.endpoint, clock=self.clock.config(),
            writer="scripts/demo.py")

    def start_daemon(self):
        self.daemon_log = os.path.join(self.tmp, "cutoverd.log")
        log = open(self.daemon_log, "w")
        self.processes.append(subprocess.Popen([os.path.join(self.bin, "cutoverd"), "--config", self.config],
                                               stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 30
        while True:
            if self.processes[-1].poll() is not None:
                raise DemoFailure(f"cutoverd exited {self.processes[-1].returncode}:\n{open(self.daemon_log).read()}")
            if os.path.exists(self.socket) and self.ctl("health", check=False).returncode == 0:
                break
            if time.monotonic() > deadline:
                raise DemoFailure(f"cutoverd did not answer within 30 s:\n{open(self.daemon_log).read()}")
            time.sleep(0.1)
        say(f"cutoverd ready on {self.socket} (state in {self.state})")

    # ---------- identities ----------

    def ensure_identities(self):
        if not self.is_root:
            patched = os.path.join(self.tmp, "admin-console-cutover.yaml")
            text = open(RUNBOOK).read().replace("allowInitiator: false", "allowInitiator: true")
            open(patched, "w").write(text)
            self.runbook = patched
            say("not root: cannot create the demo approver, so approving as yourself with a copy of the runbook "
                "that allows the initiator to approve (the real runbook does not)")
            return
        self.identities = Identities()
        say(f"run started by {pwd.getpwuid(os.geteuid()).pw_name}; approvals by {DEMO_USER} (group {APPROVERS})")

    # ---------- AWS checks (boto3: independent of cutover's own client) ----------

    def boto(self, service, account):
        import boto3
        from botocore.config import Config
        session = boto3.session.Session(aws_access_key_id=self.legacy_key[0], aws_secret_access_key=self.legacy_key[1],
                                        region_name=REGION)
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})
        if account == "legacy":
            return session.client(service, endpoint_url=self.endpoint, config=config)
        sts = session.client("sts", endpoint_url=self.endpoint)
        # Twelve simulated hours: at 60x that is 12 real minutes, so the checks of 3,000 objects
        # on a loaded machine cannot outlive the session (one simulated hour is one real minute).
        role = sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/CutoverTarget", RoleSessionName="demo-check",
                               DurationSeconds=43200)["Credentials"]
        return boto3.session.Session(aws_access_key_id=role["AccessKeyId"], aws_secret_access_key=role["SecretAccessKey"],
                                     aws_session_token=role["SessionToken"], region_name=REGION).client(
            service, endpoint_url=self.endpoint, config=config)

    def parallel(self, function, keys):
        """{key: function(key)} over a small thread pool (boto3 clients are thread-safe)."""
        with ThreadPoolExecutor(8) as pool:
            return dict(zip(keys, pool.map(function, keys)))

    @staticmethod
    def listing(s3, bucket):
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                objects[item["Key"]] = (item["Size"], item["ETag"])
        return objects

    def record_source(self):
        s3 = self.boto("s3", "legacy")
        self.source_objects = self.listing(s3, "admin-images")
        keys = sorted(self.source_objects)
        self.source_tags = self.parallel(lambda k: tags_of(s3, k), keys)
        self.source_hashes = self.parallel(lambda k: body_hash(s3, k), keys[:: max(1, len(keys) // BODY_SAMPLE)])
        self.log_since = self.last_request()
        total = sum(size for size, _ in self.source_objects.values())
        say(f"legacy bucket admin-images: {len(self.source_objects)} objects, {total / 1048576:.1f} MiB; tags of every "
            f"object and SHA-256 of {len(self.source_hashes)} sampled bodies recorded")

    def rehearsal_discovery(self, parameters):
        """`cutoverctl rehearse --discover-only`: read-only discovery of what the runbook touches,
        through the runbook's roles, as an operator would run it the day before; the simulator's
        request log must show only reads, and the twin world must hold the bucket's shape, not
        its data."""
        since = self.last_request()
        world = os.path.join(self.tmp, "twin-world.json")
        env = dict(os.environ, NO_COLOR="1", AWS_ACCESS_KEY_ID=self.legacy_key[0], AWS_SECRET_ACCESS_KEY=self.legacy_key[1],
                   AWS_ENDPOINT_URL=self.endpoint, AWS_REGION=REGION, AWS_CONFIG_FILE=os.path.join(self.tmp, "no-aws-config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.tmp, "no-aws-credentials"))
        env.pop("AWS_SESSION_TOKEN", None)
        env.pop("AWS_PROFILE", None)
        result = subprocess.run([os.path.join(self.bin, "cutoverctl"), "rehearse", self.runbook, *parameters, "--discover-only",
                                 "--world-out", world], capture_output=True, text=True, env=env, timeout=300)
        if result.returncode != 0:
            raise DemoFailure(f"`cutoverctl rehearse --discover-only` exited {result.returncode}:\n{result.stdout}{result.stderr}")
        made = [r for r in self.sim_admin("/_sim/requests")["requests"] if r["sequence"] > since]
        reads = ("Get", "Head", "List", "Describe")
        writes = sorted({r["operation"] for r in made if not r["operation"].startswith(reads) and r["operation"] != "AssumeRole"})
        if writes:
            raise DemoFailure(f"rehearsal discovery made calls that are not reads: {writes}")
        twin = json.load(open(world))
        bucket = next(b for b in twin["buckets"] if b["name"] == "admin-images")
        count = sum(group["count"] for group in bucket["groups"])
        if count != len(self.source_objects) or "objects" in bucket:
            raise DemoFailure(f"the twin of admin-images has {count} generated objects, not {len(self.source_objects)}")
        say(f"cutoverctl rehearse --discover-only: {len(made)} requests, all reads; twin world written "
            f"({count} generated objects in {len(bucket['groups'])} prefixes, no object data)")
        print("\n".join("    " + line for line in result.stdout.splitlines()[:12]))

    def sim_admin(self, path):
        with urllib.request.urlopen(self.endpoint + path, timeout=60) as answer:
            return json.load(answer)

    def last_request(self):
        requests = self.sim_admin("/_sim/requests")["requests"]
        return requests[-1]["sequence"] if requests else 0

    def check_arrival(self):
        # Before the checks below add their own: what the daemon sent to S3 for the run.
        log = [r for r in self.sim_admin("/_sim/requests")["requests"] if r["sequence"] > self.run_since and r.get("service") == "s3"]
        by_operation = {}
        for record in log:
            by_operation[record["operation"]] = by_operation.get(record["operation"], 0) + 1
        say(f"S3 requests of the run, preflight and rehearsal apart (simulator's request log): {len(log)} for {len(self.source_objects)} objects, "
            f"{len(log) / max(1, len(self.source_objects)):.2f} per object: "
            + ", ".join(f"{op} {n}" for op, n in sorted(by_operation.items(), key=lambda item: -item[1])))
        s3 = self.boto("s3", "product")
        arrived = self.listing(s3, "admin-images")
        missing = sorted(set(self.source_objects) - set(arrived))
        different = sorted(k for k in self.source_objects if k in arrived and arrived[k] != self.source_objects[k])
        if missing or different or len(arrived) != len(self.source_objects):
            raise DemoFailure(f"objects did not arrive intact: {len(missing)} missing (e.g. {missing[:3]}), "
                              f"{len(different)} differ (e.g. {different[:3]}), {len(arrived)} in product vs {len(self.source_objects)}")
        tags = self.parallel(lambda k: tags_of(s3, k), sorted(self.source_tags))
        differ = [k for k in tags if tags[k] != self.source_tags[k]]
        if differ:
            raise DemoFailure(f"tags of {len(differ)} objects differ, e.g. {differ[0]}: {tags[differ[0]]} vs "
                              f"{self.source_tags[differ[0]]}")
        hashes = self.parallel(lambda k: body_hash(s3, k), sorted(self.source_hashes))
        differ = [k for k in hashes if hashes[k] != self.source_hashes[k]]
        if differ:
            raise DemoFailure(f"bodies of {len(differ)} of {len(hashes)} sampled objects differ (SHA-256), e.g. {differ[0]}")
        listed = s3.list_buckets()
        owner = listed.get("Owner", {})
        buckets = [b["Name"] for b in listed["Buckets"]]
        if "admin-images" not in buckets:
            raise DemoFailure(f"admin-images is not among the product account's buckets: {buckets}")
        if "admin-images-staging" in buckets:
            raise DemoFailure("the staging bucket admin-images-staging is still there")
        legacy_buckets = [b["Name"] for b in self.boto("s3", "legacy").list_buckets()["Buckets"]]
        if "admin-images" in legacy_buckets:
            raise DemoFailure("admin-images is still in the legacy account")
        say(f"product bucket admin-images: all {len(arrived)} objects arrived (key, size, ETag and tags of every object; "
            f"{len(hashes)} sampled bodies downloaded, SHA-256 equal to the source's), owner {owner.get('ID', '?')[:12]}…; "
            f"staging removed; the legacy bucket is gone")
        problems = []
        counts = irreversible_calls(self.sim_admin("/_sim/requests")["requests"], self.log_since, len(self.source_objects),
                                    problems)
        if problems:
            raise DemoFailure("irreversible calls (simulator's request log): " + "; ".join(problems))
        say("irreversible calls in the simulator's request log, every request whatever its answer: "
            + ", ".join(f"{name} {c['sent']} sent/{c['performed']} performed" for name, c in counts.items() if c["sent"])
            + "; none sent again after its success")
        rds = self.boto("rds", "product")
        instances = rds.describe_db_instances(DBInstanceIdentifier="admin-db")["DBInstances"]
        db = instances[0]
        if db["DBInstanceStatus"] != "available" or not db.get("StorageEncrypted"):
            raise DemoFailure(f"admin-db in product is {db['DBInstanceStatus']}, encrypted={db.get('StorageEncrypted')}")
        kms = self.boto("kms", "product")
        product_key = kms.describe_key(KeyId="alias/admin-db")["KeyMetadata"]["Arn"]
        if db.get("KmsKeyId") != product_key:
            raise DemoFailure(f"admin-db in product is encrypted with {db.get('KmsKeyId')}, not the product key {product_key}")
        say(f"product database admin-db: available at {db.get('Endpoint', {}).get('Address', '?')}, encrypted with {product_key}")
        self.check_switchover(db.get("Endpoint", {}).get("Address"))

    def check_maintenance_page(self, run):
        """Once, while the moves run: boto3 sees the page the run put up on the legacy listener."""
        if getattr(self, "page_seen", False):
            return
        status = {step["id"]: step["status"] for step in run["steps"]}
        if status.get("maintenance-on") != "succeeded" or status.get("maintenance-off") == "succeeded":
            return
        rules = self.switchover.maintenance_rules()
        if len(rules) != 1:
            raise DemoFailure(f"maintenance-on succeeded, but the legacy listener has {len(rules)} fixed-response rules (boto3)")
        action = next(a for a in rules[0]["Actions"] if a["Type"] == "fixed-response")["FixedResponseConfig"]
        self.page_seen = True
        say(f"maintenance page up on legacy-admin-alb (boto3 against moto): rule priority {rules[0]['Priority']}, "
            f"answers {action['StatusCode']} {action.get('ContentType')}")

    def check_switchover(self, db_endpoint):
        """The switch-over's end state, read from moto with boto3, and the health URL answering."""
        problems, facts = self.switchover.check_switched(db_endpoint)
        with urllib.request.urlopen(self.switchover.health.url, timeout=10) as answer:
            if answer.status != 200:
                problems.append(f"the health URL answered {answer.status}")
            else:
                facts.append(f"health URL answers {answer.status}")
        if problems:
            raise DemoFailure("switch-over end state (boto3 against moto): " + "; ".join(problems))
        say("switch-over end state (boto3 against moto): " + "; ".join(facts))

    # ---------- the run ----------

    def run(self):
        self.ensure_identities()
        self.start_switchover_world()
        self.start_simulator()
        self.write_config()
        self.start_daemon()
        self.record_source()

        say("cutoverctl validate")
        print(self.ctl("validate", self.runbook).stdout, end="")

        def runbook_parameters():
            given = dict(self.window, **self.switchover.parameters())
            return [a for name, value in given.items() for a in ("--param", f"{name}={value}")]

        # The discovery only reads, whatever the window, so the window is set after it (WINDOW_LEAD);
        # the preflight and the start use that window.
        self.rehearsal_discovery(runbook_parameters())
        self.window = self.clock.window(start=self.clock.now().replace(second=0, microsecond=0) + WINDOW_LEAD)
        parameters = runbook_parameters()
        say(f"maintenance window (runbook parameters): {self.window['windowStart']} … {self.window['windowEnd']}")
        say("cutoverctl plan --preflight (read-only checks through the daemon)")
        plan = self.ctl("plan", self.runbook, *parameters, "--preflight")
        print("\n".join("    " + line for line in plan.stdout.splitlines()[-12:]))
        # The run's own requests start here: preflight and rehearsal discovery read S3 too (a sample of
        # HeadObject and GetObjectTagging), and are not part of the move's requests per object.
        self.run_since = self.last_request()
        started = self.ctl("start", self.runbook, *parameters, "--yes", json_out=True)
        run_id = started["run"]["runId"]
        say(f"started run {run_id}")

        approved = set()
        last_line = ""
        deadline = time.monotonic() + self.args.timeout
        while True:
            view = self.ctl("status", run_id, json_out=True)
            run = view["run"]
            line = self.progress_line(view)
            if line != last_line:
                say(line)
                last_line = line
            if run["status"] in TERMINAL:
                break
            self.check_maintenance_page(run)
            if run["status"] == "paused":
                raise DemoFailure(f"the run paused: {run['reason']}\n{self.ctl('status', run_id).stdout}")
            for pending in view["pendingApprovals"]:
                if pending["step"] in approved:
                    continue
                say(f"approving {pending['step']} as {DEMO_USER if self.is_root else 'yourself'}"
                    + (f" — {pending['message']}" if pending.get("message") else ""))
                self.ctl("approve", run_id, pending["step"], "--comment", "demo approval", as_demo_user=True)
                approved.add(pending["step"])
            for decision in view["pendingDecisions"]:
                raise DemoFailure(f"the run asks for a decision on {decision['step']}: {decision['reason']}")
            if time.monotonic() > deadline:
                raise DemoFailure(f"the run did not finish within {self.args.timeout} s:\n{self.ctl('status', run_id).stdout}")
            time.sleep(0.25)

        print(self.ctl("status", run_id).stdout)
        if run["status"] != "completed":
            raise DemoFailure(f"the run ended {run['status']}: {run['reason']}")
        if not getattr(self, "page_seen", False):
            raise DemoFailure("the demo never saw the maintenance page up while the run was in maintenance")
        self.check_arrival()
        self.run_id = run_id
        self.capture_api_answers(run_id)
        self.stop_daemon()
        say("cutoverctl audit verify (offline, from the state directory)")
        verify = self.ctl("audit", "verify", run_id, "--state-dir", self.state)
        print("    " + verify.stdout.strip().replace("\n", "\n    "))
        # What an auditor who was not there gets: a bundle, checked against the pinned public key.
        key = os.path.join(self.tmp, "audit-key.pub")
        with open(key, "w") as f:
            f.write(self.ctl("audit", "key", "--state-dir", self.state).stdout)
        bundle = os.path.join(self.tmp, f"{run_id}.bundle")
        self.ctl("audit", "export", run_id, "-o", bundle, "--state-dir", self.state)
        offline = self.ctl("audit", "verify", bundle, "--key", key)
        summary = next((line for line in offline.stdout.splitlines() if "records valid" in line), offline.stdout.strip())
        say(f"cutoverctl audit export, then verify of the bundle against the pinned key: {summary}")
        show = self.ctl("audit", "show", run_id, "--state-dir", self.state)
        lines = show.stdout.splitlines()
        say(f"cutoverctl audit show {run_id} ({len(lines)} lines; first 25):")
        print("\n".join("    " + line for line in lines[:25]))
        self.check_terraform_imports(run_id)
        self.check_html_report(run_id)
        self.scan_for_secrets()
        say(f"cutover completed in {time.monotonic() - self.started:.1f} s real time; every object and the database arrived, "
            f"the service is switched over; audit log verified")

    def check_terraform_imports(self, run_id):
        """`audit show --terraform`: import blocks for what the run left in product — the restored
        instance and the re-created bucket — and nothing it removed (the staging bucket)."""
        text = self.ctl("audit", "show", run_id, "--state-dir", self.state, "--terraform").stdout
        blocks = re.findall(r'import \{\n  provider = aws\.(\S+)\n  to       = (\S+)\n  id       = "([^"]+)"\n\}', text)
        wanted = {("product", "aws_db_instance", "admin-db"), ("product", "aws_s3_bucket", "admin-images")}
        found = {(provider, to.split(".")[0], ident) for provider, to, ident in blocks}
        if not wanted <= found or any("staging" in ident for _, _, ident in blocks):
            raise DemoFailure(f"audit show --terraform does not import exactly what the run left in product:\n{text}")
        say(f"cutoverctl audit show --terraform: {len(blocks)} import blocks, e.g.")
        print("\n".join("    " + line for line in [l for l in text.splitlines() if l and not l.startswith("#")][:10]))

    def check_html_report(self, run_id):
        """The auditor's HTML report, opened in a real headless browser (Debian's chromium): the
        rendered page must show the run, the approver and an AWS request ID; a screenshot is kept."""
        html = os.path.join(self.tmp, "audit-report.html")
        self.ctl("audit", "show", run_id, "--state-dir", self.state, "--html", html)
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            raise DemoFailure("chromium is not installed (scripts/bootstrap installs it); cannot check the HTML report")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
        env = real_clock_env()
        dom = subprocess.run([browser, *flags, "--dump-dom", f"file://{html}"], capture_output=True, text=True, timeout=120,
                             env=env)
        rendered = dom.stdout
        request_id = self.some_request_id(run_id)
        for expected in (run_id, DEMO_USER if self.is_root else "approved", "move-images.delete-source", request_id):
            if expected and expected not in rendered:
                raise DemoFailure(f"the HTML report rendered by chromium does not show {expected!r}")
        shot = os.path.join(self.tmp, "audit-report.png")
        subprocess.run([browser, *flags, "--window-size=1280,2400", f"--screenshot={shot}", f"file://{html}"],
                       capture_output=True, text=True, timeout=120, env=env)
        if not os.path.exists(shot) or os.path.getsize(shot) < 10_000:
            raise DemoFailure("chromium did not produce a screenshot of the HTML report")
        say(f"HTML report rendered in headless chromium: shows the run, the approver and request {request_id}; "
            f"screenshot {os.path.relpath(shot, self.tmp)} ({os.path.getsize(shot) // 1024} KiB)")

    def some_request_id(self, run_id):
        timeline = self.ctl("audit", "show", run_id, "--state-dir", self.state, json_out=True)
        text = json.dumps(timeline)
        marker = '"requestId": "'
        at = text.find(marker)
        return text[at + len(marker):text.index('"', at + len(marker))] if at >= 0 else None

    def capture_api_answers(self, run_id):
        """Every read the control API offers about the run, and the metrics, saved under
        api-answers/ so the secret scan covers what the daemon tells its clients too."""
        folder = os.path.join(self.tmp, "api-answers")
        os.makedirs(folder, exist_ok=True)
        paths = ["/v1/health", "/v1/runs", f"/v1/runs/{run_id}", f"/v1/runs/{run_id}/plan",
                 f"/v1/runs/{run_id}/approvals", f"/v1/runs/{run_id}/events?after=0", "/v1/runbooks", "/metrics"]
        for path in paths:
            answer = subprocess.run(["curl", "-sS", "--max-time", "30", "--unix-socket", self.socket, "http://cutoverd" + path],
                                    capture_output=True, timeout=60)
            if answer.returncode != 0 or not answer.stdout:
                raise DemoFailure(f"GET {path} over the control socket failed: {answer.stderr.decode(errors='replace')}")
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "_")
            with open(os.path.join(folder, name), "wb") as f:
                f.write(answer.stdout)

    def secrets(self):
        """Every secret of the run: the daemon's base secret key, each temporary credential the
        simulator issued to it (secret key and session token, from its admin API), and the audit
        signing key in its raw, hex and base64 forms."""
        found = {"the base AWS secret key": [self.legacy_key[1].encode()]}
        with urllib.request.urlopen(self.endpoint + "/_sim/sessions", timeout=30) as answer:
            sessions = json.load(answer)["sessions"]
        if not sessions:
            raise DemoFailure("the simulator issued no session: the secret scan would miss the assumed roles")
        found["an assumed-role secret key"] = [x["secretAccessKey"].encode() for x in sessions]
        found["an assumed-role session token"] = [x["sessionToken"].encode() for x in sessions]
        with open(os.path.join(self.state, "audit.key"), "rb") as f:
            stored = f.read().strip()
        # PKCS#8 PEM (an Ed25519 private key's DER ends with its 32-byte seed), or the raw seed.
        if stored.startswith(b"-----BEGIN"):
            body = b"".join(line for line in stored.splitlines() if not line.startswith(b"-----"))
            seed = base64.b64decode(body)[-32:]
            forms = [body, seed, seed.hex().encode(), base64.b64encode(seed)]
        else:
            forms = [stored, stored.hex().encode(), base64.b64encode(stored)]
        found["the audit signing key"] = forms
        # A secret the run handled without ever needing to see: the merge reads it only in memory.
        found["the database password in the secret admin-console/db"] = [self.switchover.password.encode()]
        return found, len(sessions)

    def scan_for_secrets(self):
        """No secret anywhere the run left a trace: journal, checkpoints, logs, exported bundle and
        report, every API answer and the metrics. Only the two files that hold secrets on
        purpose (the daemon's credentials file and the audit key) are skipped."""
        secrets, sessions = self.secrets()
        hits = []
        scanned = 0
        for folder, _, files in os.walk(self.tmp):
            for name in files:
                path = os.path.join(folder, name)
                if name in ("aws-credentials", "audit.key") or name.endswith(".sock") or name == "sim.port":
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                scanned += 1
                for what, values in secrets.items():
                    if any(value and value in data for value in values):
                        hits.append(f"{what} in {os.path.relpath(path, self.tmp)}")
        if hits:
            raise DemoFailure("secrets leaked: " + "; ".join(hits))
        say(f"secret scan: none of the base key, the {sessions} assumed-role sessions' secrets and tokens, the audit "
            f"key or the database password in the secret appears in any of {scanned} files (journal, checkpoints, logs, bundle, report, API answers, metrics)")

    def progress_line(self, view):
        run = view["run"]
        current = [f"{s['id']} {s['status']}" + (f" ({s['progress']})" if s.get("progress") else "")
                   for s in run["steps"] if s["status"] in ("running", "waiting", "awaiting-approval", "awaiting-decision", "undoing")]
        now = datetime.fromisoformat(view["now"].replace("Z", "+00:00"))
        return f"[{now.astimezone(timezone.utc):%H:%M} sim] {run['status']} {sum(1 for s in run['steps'] if s['status'] == 'succeeded')}/{len(run['steps'])}: " + ("; ".join(current) or "–")

    def stop_daemon(self):
        daemon = self.processes[-1]
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
        if code != 0:
            raise DemoFailure(f"cutoverd exited {code} on SIGTERM:\n{open(self.daemon_log).read()[-3000:]}")

    def cleanup(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.identities:
            self.identities.cleanup()
        if self.switchover:
            self.switchover.stop()
        if self.args.keep:
            say(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def real_clock_env():
    """The environment without libfaketime (scripts/test's pass a year ahead), for chromium: it
    hangs under libfaketime, and rendering a finished HTML file does not depend on the date."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    preload = " ".join(x for x in env.pop("LD_PRELOAD", "").split() if "faketime" not in x)
    if preload:
        env["LD_PRELOAD"] = preload
    return env


def tags_of(s3, key):
    return sorted((t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket="admin-images", Key=key)["TagSet"])


def body_hash(s3, key):
    return hashlib.sha256(s3.get_object(Bucket="admin-images", Key=key)["Body"].read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="folder with cutoverd, cutoverctl and cutover-aws-sim")
    parser.add_argument("--scale", type=float, default=60,
                        help="simulated seconds per real second (default 60: the hour's forced wait takes a minute, "
                             "and a machine three times slower still finishes inside the window)")
    parser.add_argument("--timeout", type=float, default=900, help="real seconds before the demo gives up")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, state)")
    args = parser.parse_args()
    demo = Demo(args)
    try:
        demo.run()
        return 0
    except Exception as failure:  # any failure, ours or boto3's, ends the demo red with the daemon's log
        print(f"demo: FAILED: {type(failure).__name__ if not isinstance(failure, DemoFailure) else ''} {failure}".replace(":  ", ": "), file=sys.stderr)
        log = getattr(demo, "daemon_log", None)
        if log and os.path.exists(log):
            print("demo: the last lines of cutoverd's log:", file=sys.stderr)
            print("".join(open(log).readlines()[-40:]), file=sys.stderr)
        return 1
    finally:
        demo.cleanup()


if __name__ == "__main__":
    sys.exit(main())
