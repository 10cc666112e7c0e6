#!/usr/bin/env python3
"""Critical path of the admin-console cutover (issue 8, item 3): time in the window against the AWS
waits nobody can avoid.

The admin-console cutover (Runbooks/examples/admin-console-moves.yaml) runs end to end on cutover-aws-sim
seeded with the admin-console world (Runbooks/demo/admin-console-world.json: MySQL `admin-db`,
bucket `admin-images` of 3,000 tagged objects), driven by the real cutoverd and cutoverctl as in
scripts/demo.py, with simulated time running --scale times faster in both (same origin and anchor)
from the real now rounded down to the minute; the window (the runbook's windowStart/windowEnd
parameters) opens two simulated minutes later, so nothing depends on the date. Every approval is given the moment it is requested, by the
user who started the run (the runbook variants in Benchmarks/fixtures allow the initiator), so
people add no time.

Variants: `parallel` (critical-path-parallel.yaml: the runbook as written, database and bucket
moved in a `parallel` group) and `serial` (critical-path-serial.yaml: the same steps one after
another, database first).

Measured from the run's audit timeline (`cutoverctl audit show RUN --output json`, times on the
daemon's simulated clock): window time = first in-window primitive started -> last in-window primitive
done. Unavoidable = the longest chain, through the plan's dependencies, of the waits AWS imposes
as the simulator models them (Sources/AWSSimulator/RDS/RDSTimings.swift defaults: snapshot
creating 300 s, snapshot copying 600 s, restored instance creating 600 s + backing-up 120 s; the
bucket name held 3,600 s after DeleteBucket, which the runbook's forced wait of 1 h covers).
Overhead ratio = window time / unavoidable.

Real-time work (S3 copies, deletes, verification; each request and journal write) is stretched by
the scale on the simulated clock, so the script also reports the window "at 1x": the wait
primitives' simulated durations on the critical chain plus everything else on it at its real
duration (simulated / scale).

Prints one JSON document on stdout; progress goes to stderr.
"""
import argparse
import json
import os
import pwd
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORLD = os.path.join(ROOT, "Runbooks", "demo", "admin-console-world.json")
RUNBOOKS = {"parallel": os.path.join(HERE, "fixtures", "critical-path-parallel.yaml"),
            "serial": os.path.join(HERE, "fixtures", "critical-path-serial.yaml")}
REGION = "ap-northeast-1"
# The window opens two simulated minutes after the clock's origin (the pre-copy runs first) and
# lasts four hours; both are given to the run as parameters.
WINDOW_LEAD = timedelta(minutes=2)
WINDOW_LENGTH = timedelta(hours=4)


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
NAME_HOLD = 3600
# The simulator's RDS model (RDSTimings defaults) and the runbook's forced wait, in simulated seconds.
AWS_WAITS = {
    "rds.wait-snapshot": 300,            # snapshotCreating
    "rds.wait-snapshot-copy": 600,       # snapshotCopying
    "rds.wait-instance": 600 + 120,      # instanceCreating + instanceBackingUp, until `available`
    "wait": 3600,                        # the forced wait = S3's name hold (--name-hold 3600)
}
TERMINAL = {"completed", "rolled-back", "cancelled"}


def say(text):
    print(f"critical_path: {text}", file=sys.stderr, flush=True)


class BenchFailure(Exception):
    pass


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class CutoverRun:
    """One run of one variant: fresh simulator and daemon on a fresh scaled clock."""

    def __init__(self, args, variant, index):
        self.args, self.variant, self.index = args, variant, index
        self.bin = os.path.abspath(args.bin)
        self.tmp = tempfile.mkdtemp(prefix=f"cutover-bench-cp-{variant}-")
        self.processes = []
        self.approvals = []  # (step, requested sim time, real seconds to approve)

    def ctl(self, *arguments, check=True, json_out=False):
        command = [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, *arguments]
        if json_out:
            command += ["--output", "json"]
        env = dict(os.environ, NO_COLOR="1", CUTOVER_STATE_DIRECTORY=self.state)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        if check and result.returncode != 0:
            raise BenchFailure(f"`cutoverctl {' '.join(arguments)}` exited {result.returncode}: {result.stdout}{result.stderr}")
        return json.loads(result.stdout) if json_out else result

    def start(self):
        self.anchor = time.time()
        origin = datetime.fromtimestamp(self.anchor // 60 * 60, timezone.utc)
        self.origin = iso(origin)
        self.window = [f"windowStart={iso(origin + WINDOW_LEAD)}", f"windowEnd={iso(origin + WINDOW_LEAD + WINDOW_LENGTH)}"]
        port_file = os.path.join(self.tmp, "sim.port")
        sim_log = open(os.path.join(self.tmp, "sim.log"), "w")
        self.processes.append(subprocess.Popen(
            [os.path.join(self.bin, "cutover-aws-sim"), "--port-file", port_file, "--region", REGION, "--seed-file", WORLD,
             "--time-scale", str(self.args.scale), "--time-origin", self.origin, "--time-anchor", f"{self.anchor:.6f}",
             "--name-hold", str(NAME_HOLD)], stdout=sim_log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.processes[-1].poll() is not None or time.monotonic() > deadline:
                raise BenchFailure(f"cutover-aws-sim did not start: {open(sim_log.name).read()[-2000:]}")
            time.sleep(0.05)
        self.endpoint = f"http://127.0.0.1:{int(open(port_file).read().strip())}"
        world = json.load(open(WORLD))
        user = world["accounts"][0]["users"][0]
        self.key = (user["accessKeyId"], user["secretAccessKey"])
        credentials = os.path.join(self.tmp, "aws-credentials")
        with open(credentials, "w") as f:
            f.write(f"AWS_ACCESS_KEY_ID={self.key[0]}\nAWS_SECRET_ACCESS_KEY={self.key[1]}\n")
        os.chmod(credentials, 0o600)
        self.socket = os.path.join(self.tmp, "cutoverd.sock")
        self.state = os.path.join(self.tmp, "state")
        runbooks = os.path.join(self.tmp, "runbooks")
        os.makedirs(runbooks)
        config = os.path.join(self.tmp, "cutoverd.yaml")
        with open(config, "w") as f:
            f.write(f"""socket:
  path: {self.socket}
  mode: "0600"
  group: null
stateDirectory: {self.state}
runbookDirectories: [{runbooks}]
aws:
  credentials: "file:{credentials}"
  endpointURL: {self.endpoint}
clock:
  scale: {self.args.scale}
  origin: "{self.origin}"
  anchor: {self.anchor:.6f}
logLevel: notice
""")
        self.daemon_log = os.path.join(self.tmp, "cutoverd.log")
        self.processes.append(subprocess.Popen([os.path.join(self.bin, "cutoverd"), "--config", config],
                                               stdout=open(self.daemon_log, "w"), stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 30
        while not (os.path.exists(self.socket) and self.ctl("health", check=False).returncode == 0):
            if self.processes[-1].poll() is not None or time.monotonic() > deadline:
                raise BenchFailure(f"cutoverd did not start: {open(self.daemon_log).read()[-2000:]}")
            time.sleep(0.05)
        me = pwd.getpwuid(os.geteuid()).pw_name
        self.runbook = os.path.join(runbooks, os.path.basename(RUNBOOKS[self.variant]))
        open(self.runbook, "w").write(open(RUNBOOKS[self.variant]).read().replace("BENCH_APPROVER", me))

    def drive(self):
        """Starts the run and approves every gate as soon as it opens; returns the run's events."""
        began = time.monotonic()
        window = [a for p in self.window for a in ("--param", p)]
        self.run_id = self.ctl("start", self.runbook, *window, "--yes", json_out=True)["run"]["runId"]
        say(f"{self.variant} #{self.index + 1}: run {self.run_id} started")
        lines = queue.Queue()
        follower = subprocess.Popen(
            [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, "events", self.run_id, "--follow", "--output", "json"],
            stdout=subprocess.PIPE, text=True, env=dict(os.environ, NO_COLOR="1"))
        self.processes.append(follower)
        reader = threading.Thread(target=lambda: [lines.put(line) for line in follower.stdout] + [lines.put(None)], daemon=True)
        reader.start()
        deadline = began + self.args.timeout
        status = None
        while True:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                line = ""
            if line is None:
                break
            if line.strip():
                event = json.loads(line)
                if event["kind"] == "approval.requested":
                    asked = time.monotonic()
                    self.ctl("approve", self.run_id, event["step"], "--comment", "benchmark: approved at once")
                    self.approvals.append((event["step"], time.monotonic() - asked))
                elif event["kind"] == "decision.requested":
                    raise BenchFailure(f"the run asks for a decision on {event['step']}: {event['summary']}")
                elif event["kind"] == "end":
                    break
                elif event["kind"] == "run.status":
                    status = json.loads(event.get("payload") or "{}").get("status")
                    if status == "paused":
                        raise BenchFailure(f"the run paused: {event['summary']}\n{self.ctl('status', self.run_id).stdout}")
            if time.monotonic() > deadline:
                raise BenchFailure(f"the run did not finish within {self.args.timeout} s:\n{self.ctl('status', self.run_id).stdout}")
        self.real_seconds = time.monotonic() - began
        view = self.ctl("status", self.run_id, json_out=True)["run"]
        if view["status"] != "completed":
            raise BenchFailure(f"the run ended {view['status']}: {view.get('reason')}")
        # Step times on the daemon's (simulated) clock, from the audit timeline; dependencies from the plan.
        self.audit = self.ctl("audit", "show", self.run_id, "--state-dir", self.state, json_out=True)
        self.plan = self.ctl("plan", self.runbook, *window, json_out=True)
        self.check_result()

    def check_result(self):
        """Independently (boto3), that the cutover happened: objects in product, database available."""
        import boto3
        from botocore.config import Config
        session = boto3.session.Session(aws_access_key_id=self.key[0], aws_secret_access_key=self.key[1], region_name=REGION)
        role = session.client("sts", endpoint_url=self.endpoint).assume_role(
            RoleArn="arn:aws:iam::222222222222:role/CutoverTarget", RoleSessionName="bench-check")["Credentials"]
        product = boto3.session.Session(aws_access_key_id=role["AccessKeyId"], aws_secret_access_key=role["SecretAccessKey"],
                                        aws_session_token=role["SessionToken"], region_name=REGION)
        s3 = product.client("s3", endpoint_url=self.endpoint, config=Config(s3={"addressing_style": "path"}))
        count = sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(Bucket="admin-images"))
        db = product.client("rds", endpoint_url=self.endpoint).describe_db_instances(DBInstanceIdentifier="admin-db")["DBInstances"][0]
        if count != 3000 or db["DBInstanceStatus"] != "available":
            raise BenchFailure(f"the cutover did not land: {count} objects in product admin-images, admin-db {db['DBInstanceStatus']}")

    def analyse(self):
        """Window time, unavoidable waits and the critical chain, in simulated seconds."""
        steps = {s["id"]: s for s in self.plan["steps"]}
        started = {s["id"]: parse_time(s["startedAt"]) for s in self.audit["steps"] if s.get("startedAt")}
        done = {s["id"]: parse_time(s["endedAt"]) for s in self.audit["steps"] if s.get("endedAt") and s["outcome"] == "succeeded"}
        requested, decided = {}, {}
        for entry in self.audit["entries"]:
            if entry["kind"] == "approval.requested":
                requested[entry["step"]] = parse_time(entry["at"])
            elif entry["kind"] == "approval.decided":
                decided[entry["step"]] = parse_time(entry["at"])
        inside = [s for s in steps if steps[s]["window"] == "inside"]
        missing = [s for s in inside if s not in done]
        if missing:
            raise BenchFailure(f"no completion recorded for {missing}")
        enter = min(started[s] for s in inside)
        leave = max(done[s] for s in inside)

        # The unavoidable AWS waits: the longest chain of modelled waits through the dependencies.
        memo = {}

        def longest(step):
            if step not in memo:
                own = AWS_WAITS.get(steps[step]["type"], 0) if steps[step]["window"] == "inside" else 0
                memo[step] = own + max((longest(d) for d in steps[step]["dependsOn"] or []), default=0)
            return memo[step]

        unavoidable = max(longest(s) for s in inside)

        # The critical chain as it happened: from the last step back through the dependency that finished last.
        chain = []
        step = max(inside, key=lambda s: done[s])
        while step is not None and steps[step]["window"] == "inside":
            chain.append(step)
            deps = [d for d in steps[step]["dependsOn"] or [] if d in done]
            step = max(deps, key=lambda d: done[d]) if deps else None
        chain.reverse()
        waits_on_chain = sum(done[s] - started[s] for s in chain if steps[s]["type"] in AWS_WAITS)
        window = leave - enter
        at_1x = waits_on_chain + (window - waits_on_chain) / self.args.scale
        approval_sim = sum(decided[s] - requested[s] for s in chain if s in requested and s in decided)
        by_step = {s: round(done[s] - started[s], 1) for s in chain}
        return {"window": window, "unavoidable": unavoidable, "ratio": window / unavoidable, "overhead": window - unavoidable,
                "waitsOnChain": waits_on_chain, "at1x": at_1x, "ratio1x": at_1x / unavoidable, "chain": by_step,
                "approvalSim": approval_sim, "realSeconds": self.real_seconds,
                "approveRealSeconds": [round(s, 3) for _, s in self.approvals]}

    def stop(self):
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


def report(args, results):
    rows, ratios = [], []
    medians = {}
    for variant in ("parallel", "serial"):
        runs = results.get(variant, [])
        if not runs:
            continue
        label = {"parallel": "as written (database and bucket in parallel)",
                 "serial": "serial variant (same steps one after another)"}[variant]

        def stat(key):
            values = [r[key] for r in runs]
            return statistics.median(values), [min(values), max(values)]

        window, window_spread = stat("window")
        ratio, ratio_spread = stat("ratio")
        at_1x, at_1x_spread = stat("at1x")
        ratio_1x, ratio_1x_spread = stat("ratio1x")
        real, real_spread = stat("realSeconds")
        unavoidable = runs[0]["unavoidable"]
        medians[variant] = (window, at_1x)
        chain = sorted(runs, key=lambda r: r["window"])[len(runs) // 2]["chain"]
        rows += [
            {"name": f"window time, {label}", "value": round(window, 1), "unit": "simulated s", "spread": [round(v, 1) for v in window_spread],
             "note": f"first in-window step started -> last in-window step done, on the daemon's clock at {args.scale:g}x; "
                     f"{len(runs)} run(s), {real:.1f} s real each (median)"},
            {"name": f"unavoidable AWS waits on the critical path, {label}", "value": unavoidable, "unit": "simulated s",
             "spread": [unavoidable, unavoidable],
             "note": "longest chain through the plan of the modelled waits: snapshot 300 + copy 600 + restore 720 (RDS), "
                     "forced wait / name hold 3600 (S3)"},
            {"name": f"overhead ratio (window / unavoidable), {label}", "value": round(ratio, 3), "unit": "x",
             "spread": [round(v, 3) for v in ratio_spread],
             "note": f"{window - unavoidable:.0f} simulated s over the waits (median), of which approvals on the critical chain "
                     f"{statistics.median(r['approvalSim'] for r in runs):.0f} s; the rest is S3 work, RDS poll granularity "
                     f"and the engine, with real work stretched {args.scale:g}x"},
            {"name": f"window at 1x (estimate), {label}", "value": round(at_1x, 1), "unit": "s", "spread": [round(v, 1) for v in at_1x_spread],
             "note": f"waits on the critical chain at their simulated length + the rest at the speed it ran here (local simulator, "
                     f"no added latency: {statistics.median(r['at1x'] - r['waitsOnChain'] for r in runs):.1f} s); ratio "
                     f"{ratio_1x:.3f} [{ratio_1x_spread[0]:.3f}, {ratio_1x_spread[1]:.3f}]; chain (simulated s per step): "
                     + ", ".join(f"{k} {v:g}" for k, v in chain.items())},
        ]
        ratios.append({"name": f"window / unavoidable waits, {label}", "value": round(ratio, 3)})
        ratios.append({"name": f"window at 1x / unavoidable waits, {label}", "value": round(ratio_1x, 3)})
    if "parallel" in medians and "serial" in medians:
        ratios.append({"name": "serial window / parallel window (simulated)", "value": round(medians["serial"][0] / medians["parallel"][0], 3)})
        ratios.append({"name": "serial window / parallel window (at 1x)", "value": round(medians["serial"][1] / medians["parallel"][1], 3)})
    approvals = [s for runs in results.values() for r in runs for s in r["approveRealSeconds"]]
    notes = [
        f"cutover-aws-sim and cutoverd on one scaled clock: {args.scale:g} simulated seconds per real second, from the real now "
        "rounded down to the minute (2 simulated minutes before the window, given as the runbook's parameters); no added latency or faults; bucket name hold 3600 s; the admin-console world "
        "(3,000 objects, 1 MySQL instance).",
        "Approvals given by the benchmark the moment `approval.requested` appears on `cutoverctl events --follow` (the runbook "
        f"variants allow the initiator); each took {statistics.median(approvals) if approvals else 0:.3f} s real (median) = "
        f"{(statistics.median(approvals) if approvals else 0) * args.scale:.1f} simulated s, counted as overhead.",
        "RDS waits look again at most every 30 simulated seconds (the step's default, botocore's waiter interval) and sooner as "
        "the resource nears completion (RDSPollSchedule: from PercentProgress, or the expected duration where RDS gives none; "
        "never closer than 5 s), so each wait ends within about 5 s of AWS being done: part of the overhead, at 1x as well.",
        f"Repetitions: {len(results.get('parallel', []))} run(s) per variant (each ~1 minute real; the whole Benchmarks/run must "
        "stay within 15 minutes); the simulated-time figures are deterministic up to poll phase and real work; no warm-up "
        "(every run starts a fresh simulator and daemon, as a real cutover starts cold).",
    ]
    return {"benchmark": "critical-path", "rows": rows, "ratios": ratios, "notes": notes}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build-bench", "release"),
                        help="folder with cutoverd, cutoverctl and cutover-aws-sim (default .build-bench/release)")
    parser.add_argument("--quick", action="store_true", help="time 300x faster (a run in ~15 s): for trying it")
    parser.add_argument("--scale", type=float, help="simulated seconds per real second (default 100; 300 with --quick)")
    parser.add_argument("--runs", type=int, default=1, help="runs per variant (default 1)")
    parser.add_argument("--variants", default="parallel,serial", help="which variants (default parallel,serial)")
    parser.add_argument("--timeout", type=float, default=400, help="real seconds one run may take")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories (logs, state)")
    args = parser.parse_args()
    args.scale = args.scale or (300.0 if args.quick else 100.0)
    results = {}
    try:
        for index in range(args.runs):
            for variant in args.variants.split(","):
                run = CutoverRun(args, variant, index)
                try:
                    run.start()
                    run.drive()
                    figures = run.analyse()
                except Exception:
                    log = getattr(run, "daemon_log", None)
                    if log and os.path.exists(log):
                        say("last lines of cutoverd's log:\n" + "".join(open(log).readlines()[-30:]))
                    raise
                finally:
                    run.stop()
                say(f"{variant} #{index + 1}: window {figures['window']:.0f} simulated s vs {figures['unavoidable']} s of "
                    f"unavoidable waits (x{figures['ratio']:.3f}); at 1x {figures['at1x']:.0f} s (x{figures['ratio1x']:.3f}); "
                    f"{figures['realSeconds']:.1f} s real")
                results.setdefault(variant, []).append(figures)
        print(json.dumps(report(args, results), indent=2))
        return 0
    except Exception as failure:
        say(f"FAILED: {type(failure).__name__}: {failure}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
