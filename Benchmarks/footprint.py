#!/usr/bin/env python3
"""The daemon's footprint: start-up, idle memory and CPU, control round trips, journal appends.

Usage: Benchmarks/footprint.py --bin .build-bench/release [--starts 10] [--idle 60] [--calls 50] [--steps 300]

Runs the release `cutoverd` as systemd would (a temporary config and state directory, and a
NOTIFY_SOCKET datagram listener standing in for systemd, as Tests/ProcessTests/DaemonHarness
does) and measures:

  * exec → READY=1: from just before the exec to the READY=1 datagram. The first start on an
    empty state directory (creates the journal and the audit key) is reported on its own; the
    median is over --starts restarts on that state directory (journal verified each time).
  * idle: resident memory (VmRSS from /proc) a few seconds after READY=1, and the CPU time
    (utime+stime from /proc/PID/stat) and context switches (all threads) over --idle seconds
    with no run and no client: a daemon that sleeps rather than polls uses ~0 s and wakes rarely.
  * control round trips: `cutoverctl runs` and `cutoverctl status RUN` as a person types them
    (process start included), and the same `GET /v1/runs/{id}` over the unix socket from this
    script (the daemon's own share), median over --calls each.
  * journal appends with fsync, through the daemon (there is no stand-alone journal benchmark):
    runs of --steps zero-length `wait` steps, one after another and all in one parallel group,
    need no AWS; every record the engine journals for them is its own SQLite transaction with
    synchronous=FULL in WAL mode, so an fsync each. Records per second over the run (first to last record, by the journal's own
    monotonic clock). For scale: the same disk's ceiling for one-row fsynced SQLite commits from
    Python's sqlite3 with the journal's pragmas.

Prints one JSON document on stdout in the Benchmarks/run format.
"""

import argparse
import datetime
import http.client
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def resident_by_mapping(pid):
    """Resident KiB (and anonymous KiB) per mapped file, largest first, from /proc/PID/smaps:
    where the idle RSS lives (the daemon's own code, each library, the heap, thread stacks)."""
    totals = {}
    name = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and not fields[0].endswith(":"):
                name = fields[5] if len(fields) > 5 else "[anonymous]"
                totals.setdefault(name, [0, 0])
            elif fields[0] == "Rss:":
                totals[name][0] += int(fields[1])
            elif fields[0] == "Anonymous:":
                totals[name][1] += int(fields[1])
    return sorted(((n, tuple(v)) for n, v in totals.items()), key=lambda item: -item[1][0])


def log(text):
    print(f"footprint: {text}", file=sys.stderr, flush=True)


class NotifyListener:
    """systemd's side of sd_notify: records each datagram with its arrival time."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            now = time.perf_counter()
            with self.cond:
                for line in data.decode(errors="replace").splitlines():
                    self.messages.append((now, line))
                self.cond.notify_all()

    def wait_for(self, text, after_index, timeout, process):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for when, line in self.messages[after_index:]:
                    if line == text:
                        return when
                if process.poll() is not None:
                    raise RuntimeError(f"cutoverd exited {process.returncode} before {text}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no {text} within {timeout} s")
                self.cond.wait(0.05)

    def close(self):
        self.sock.close()


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


def proc_stat_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def context_switches(pid):
    """Voluntary + involuntary context switches of each thread, by thread id."""
    counts = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                counts[task] = sum(int(line.split()[1]) for line in f
                                   if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
        except FileNotFoundError:
            pass
    return counts


def switches_between(before, after):
    """Switches from `before` to `after`; a thread that ended in between is not counted."""
    return sum(count - before.get(task, 0) for task, count in after.items())


def thread_count(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def row(name, values, unit, note="", digits=2):
    value = statistics.median(values) if isinstance(values, list) else values
    out = {"name": name, "value": round(value, digits), "unit": unit, "note": note}
    if isinstance(values, list) and len(values) > 1:
        out["spread"] = [round(min(values), digits), round(max(values), digits)]
    return out


class Daemon:
    def __init__(self, bin_dir, tmp):
        self.bin = bin_dir
        self.tmp = tmp
        self.socket = os.path.join(tmp, "cutoverd.sock")
        self.state = os.path.join(tmp, "state")
        self.config = os.path.join(tmp, "cutoverd.yaml")
        self.notify = NotifyListener(os.path.join(tmp, "notify.sock"))
        self.process = None
        self.log_path = os.path.join(tmp, "cutoverd.log")
        with open(self.config, "w") as f:
            f.write(f"""# written by Benchmarks/footprint.py
socket:
  path: {self.socket}
  mode: "0660"
  group: null
stateDirectory: {self.state}
runbookDirectories: [{tmp}]
access:
  operatorGroups: [cutover-operators]
  approverGroups: [cutover-approvers]
aws:
  credentials: environment
  endpointURL: http://127.0.0.1:9
logLevel: info
""")

    def start(self):
        env = dict(os.environ, NOTIFY_SOCKET=self.notify.path, AWS_ACCESS_KEY_ID="AKIDFOOTPRINT",
                   AWS_SECRET_ACCESS_KEY="footprint-secret-not-used")
        for name in ("WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID"):
            env.pop(name, None)
        before = len(self.notify.messages)
        log_file = open(self.log_path, "a")
        began = time.perf_counter()
        self.process = subprocess.Popen([os.path.join(self.bin, "cutoverd"), "--config", self.config],
                                        stdout=log_file, stderr=subprocess.STDOUT, env=env)
        log_file.close()
        ready = self.notify.wait_for("READY=1", before, 60, self.process)
        return ready - began

    def stop(self):
        began = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        if code != 0:
            raise RuntimeError(f"cutoverd exited {code} on SIGTERM; log: {self.log_tail()}")
        return time.perf_counter() - began

    def log_tail(self):
        try:
            return "".join(open(self.log_path).readlines()[-20:])
        except OSError:
            return ""

    def ctl(self, *arguments, json_out=False):
        command = [os.path.join(self.bin, "cutoverctl"), "--socket", self.socket, *arguments]
        if json_out:
            command += ["--output", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, NO_COLOR="1", CUTOVER_STATE_DIRECTORY=self.state))
        if result.returncode != 0:
            raise RuntimeError(f"cutoverctl {' '.join(arguments)} exited {result.returncode}: {result.stderr}")
        return json.loads(result.stdout) if json_out else result.stdout

    def get(self, path):
        connection = UnixHTTPConnection(self.socket)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
            return body
        finally:
            connection.close()


def write_runbook(path, name, steps, parallel):
    """Zero-length waits, one after another or all in one parallel group: no AWS, only the engine
    and the journal."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    lines = [
        "# written by Benchmarks/footprint.py",
        "apiVersion: cutover/v1",
        f"name: {name}",
        "description: Zero-length waits, to count journal appends per second.",
        "region: us-east-1",
        "window:",
        f'  start: "{(now - datetime.timedelta(hours=1)).isoformat()}"',
        f'  end: "{(now + datetime.timedelta(hours=3)).isoformat()}"',
        "  onOverrun: pause",
        "steps:",
    ]
    indent = "  "
    if parallel:
        lines.append("  - parallel:")
        indent = "      "
    for index in range(steps):
        lines += [f"{indent}- id: wait-{index:04d}", f"{indent}  uses: wait", f"{indent}  with: {{ for: 0s }}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def journal_run(daemon, tmp, steps, parallel):
    """Runs the zero-wait runbook to completion; returns (run id, records, records in all streams, seconds)."""
    name = "journal-appends-parallel" if parallel else "journal-appends-sequential"
    runbook = os.path.join(tmp, f"{name}.yaml")
    write_runbook(runbook, name, steps, parallel)
    run_id = daemon.ctl("start", runbook, "--yes", json_out=True)["run"]["runId"]
    began = time.monotonic()
    while True:
        view = daemon.ctl("status", run_id, json_out=True)
        status = view["run"]["status"]
        if status in ("completed", "rolled-back", "cancelled", "paused"):
            break
        if time.monotonic() - began > 300:
            raise RuntimeError(f"the journal run did not finish in 300 s: {status}")
        time.sleep(0.25)
    if status != "completed":
        raise RuntimeError(f"the journal run ended {status}: {view['run'].get('reason')}")
    db = sqlite3.connect(f"file:{os.path.join(daemon.state, 'journal.db')}?mode=ro", uri=True)
    try:
        stream, count, first_ns, last_ns = db.execute(
            "SELECT stream, count(*), min(monotonic_ns), max(monotonic_ns) FROM events WHERE stream LIKE ? "
            "GROUP BY stream", (f"%{run_id}%",)).fetchone()
        in_span = db.execute("SELECT count(*) FROM events WHERE monotonic_ns BETWEEN ? AND ?",
                             (first_ns, last_ns)).fetchone()[0]
    finally:
        db.close()
    span = (last_ns - first_ns) / 1e9
    log(f"journal run ({'parallel' if parallel else 'sequential'}): {count} records in stream {stream} "
        f"({in_span} in all streams) over {span:.2f} s")
    return run_id, count, in_span, span


def sqlite_fsync_ceiling(directory, commits):
    """One-row fsynced commits/s on this disk, with the journal's pragmas (WAL, synchronous=FULL)."""
    path = os.path.join(directory, "ceiling.db")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE events (sequence INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)")
    payload = "x" * 400
    began = time.perf_counter()
    for _ in range(commits):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO events (payload) VALUES (?)", (payload,))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - began
    connection.close()
    return commits / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder with the release cutoverd and cutoverctl")
    parser.add_argument("--starts", type=int, default=10, help="restarts timed to READY=1 (default 10)")
    parser.add_argument("--idle", type=float, default=60, help="idle seconds measured (default 60)")
    parser.add_argument("--calls", type=int, default=50, help="round trips per kind (default 50)")
    parser.add_argument("--steps", type=int, default=300, help="zero-length wait steps in the journal run (default 300)")
    args = parser.parse_args()

    rows, ratios, notes = [], [], []
    tmp = tempfile.mkdtemp(prefix="cutover-footprint-")
    os.chmod(tmp, 0o755)
    daemon = Daemon(args.bin, tmp)
    try:
        # ---- start-up ----
        log("first start on an empty state directory")
        first = daemon.start()
        daemon.stop()
        ready = []
        stops = []
        for index in range(args.starts):
            ready.append(daemon.start())
            if index < args.starts - 1:
                stops.append(daemon.stop())
        log(f"exec → READY=1: first {first * 1000:.1f} ms, restarts median {statistics.median(ready) * 1000:.1f} ms")
        rows.append(row("cutoverd: exec → READY=1 (restart)", [r * 1000 for r in ready], "ms",
                        f"median of {args.starts} restarts on an existing journal"))
        rows.append(row("cutoverd: exec → READY=1 (first start)", first * 1000, "ms",
                        "empty state directory: creates the journal and the audit key"))

        # ---- idle ----
        pid = daemon.process.pid
        time.sleep(5)
        rss_idle = proc_status(pid, "VmRSS") / 1024
        rss_anon, rss_file = proc_status(pid, "RssAnon") / 1024, proc_status(pid, "RssFile") / 1024
        cpu0, switches0, t0 = proc_stat_cpu(pid), context_switches(pid), time.monotonic()
        log(f"idle for {args.idle:.0f} s (pid {pid}, {thread_count(pid)} threads, RSS {rss_idle:.1f} MiB)")
        for name, (rss_kib, anon_kib) in resident_by_mapping(pid)[:12]:
            log(f"  resident {rss_kib / 1024:6.2f} MiB ({anon_kib / 1024:5.2f} anonymous)  {name}")
        time.sleep(args.idle)
        cpu1, switches1, t1 = proc_stat_cpu(pid), context_switches(pid), time.monotonic()
        idle_cpu = cpu1 - cpu0
        wakeups = switches_between(switches0, switches1) / (t1 - t0)
        threads_ended = len(set(switches0) - set(switches1))
        rows.append(row("cutoverd: resident memory, idle", rss_idle, "MiB", "VmRSS 5 s after READY=1, no run"))
        # The split tells code from data: file-backed pages are the binary's and libraries' code
        # touched so far (they grow with code size), anonymous pages are heap and stacks.
        rows.append(row("cutoverd: resident memory, idle, anonymous", rss_anon, "MiB", "RssAnon: heap, stacks"))
        rows.append(row("cutoverd: resident memory, idle, file-backed", rss_file, "MiB", "RssFile: code and read-only data mapped from files"))
        rows.append(row(f"cutoverd: CPU while idle for {args.idle:.0f} s", idle_cpu, "s",
                        f"utime+stime; {idle_cpu / (t1 - t0) * 100:.3f}% of one core; clock tick {1000 / TICKS:.0f} ms", 3))
        rows.append(row("cutoverd: context switches while idle", wakeups, "per s",
                        f"all {thread_count(pid)} threads, voluntary + involuntary"
                        + (f" ({threads_ended} threads that ended meanwhile not counted)" if threads_ended else ""), 2))

        # ---- journal appends through runs ----
        for parallel in (False, True):
            run_id, count, in_span, span = journal_run(daemon, tmp, args.steps, parallel)
            appends = in_span / span
            shape = f"one parallel group of {args.steps}" if parallel else f"{args.steps} in sequence"
            rows.append(row(f"cutoverd: journal appends with fsync, {'parallel' if parallel else 'sequential'} run",
                            appends, "records/s",
                            f"zero-length waits, {shape}: {in_span} records, each its own fsynced commit, in {span:.2f} s", 0))
            if parallel:
                best = appends
        rss_after = proc_status(pid, "VmRSS") / 1024
        hwm = proc_status(pid, "VmHWM") / 1024
        rows.append(row("cutoverd: resident memory after those runs", rss_after, "MiB", f"peak (VmHWM) {hwm:.1f} MiB"))
        ceiling = sqlite_fsync_ceiling(tmp, 500)
        rows.append(row("SQLite fsynced one-row commits (disk ceiling)", ceiling, "commits/s",
                        "Python sqlite3, WAL + synchronous=FULL, same directory", 0))
        ratios.append({"name": "journal appends (parallel run) / SQLite fsync ceiling", "value": round(best / ceiling, 2)})

        # ---- control round trips ----
        def time_calls(call):
            call()  # warm-up
            out = []
            for _ in range(args.calls):
                began = time.perf_counter()
                call()
                out.append((time.perf_counter() - began) * 1000)
            return out

        runs_ms = time_calls(lambda: daemon.ctl("runs"))
        status_ms = time_calls(lambda: daemon.ctl("status", run_id))
        api_ms = time_calls(lambda: daemon.get(f"/v1/runs/{run_id}"))
        log(f"round trips: runs {statistics.median(runs_ms):.1f} ms, status {statistics.median(status_ms):.1f} ms, "
            f"GET {statistics.median(api_ms):.2f} ms")
        rows.append(row("cutoverctl runs: round trip", runs_ms, "ms", f"median of {args.calls}, process start included"))
        rows.append(row("cutoverctl status RUN: round trip", status_ms, "ms",
                        f"median of {args.calls}, process start included; run of {args.steps} steps"))
        rows.append(row("GET /v1/runs/{id} over the socket", api_ms, "ms",
                        f"median of {args.calls}, from Python: the daemon's share of the round trip", 3))

        stop_time = daemon.stop()
        stops.append(stop_time)
        rows.append(row("cutoverd: SIGTERM → exit", [s * 1000 for s in stops], "ms",
                        "final signed checkpoint written; median over the restarts"))
        notes.append("RSS during the bulk copy is in the bulk-copy benchmark")
        notes.append(f"cutoverd from {os.path.realpath(args.bin)}; state directory on "
                     f"{subprocess.run(['df', '--output=fstype', tmp], capture_output=True, text=True).stdout.split()[-1]}")
    except Exception as failure:
        print(f"footprint: FAILED: {failure}\n{daemon.log_tail()}", file=sys.stderr)
        if daemon.process and daemon.process.poll() is None:
            daemon.process.kill()
        raise
    finally:
        daemon.notify.close()
        subprocess.run(["rm", "-rf", tmp], check=False)

    json.dump({"benchmark": "footprint", "rows": rows, "ratios": ratios, "notes": notes},
              sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
