"""Crash campaign: kill -9 of the real cutoverd at seeded random points in runs of the
admin-console runbook, restart it with the same config and state directory, let the run go on
(approving as needed) and check the end state each time.

Per run i: a generator seeded with (seed, i) draws how many kills (1: 70 %, 2: 20 %, 3: 10 %) and
when, each uniformly within the run's expected span (KILL_SPAN real seconds after the start, the
span of a clean run on this machine). Right before each kill the journal's (sequence, hash) pairs
are read from its SQLite file; after the restart the journal must begin with exactly those pairs
(a restart appends records, so comparing counts would hide a loss). The daemon's liveness and exit
status are checked before every control call: any exit the campaign did not cause is counted as an
unexpected crash (the daemon is restarted and the run goes on, so the rest is still checked).
"""
import random
import time
import traceback

from harness import (Clock, Cutover, DaemonDied, Daemon, EndState, Simulator, Workspace, audit_verify, prefix_loss,
                     say, write_result)

NAME = "crash"
# A run takes 6–10 s real at the default scale (median 6.9 s over 200 runs with kills); kill points fall
# anywhere in its first 7 s, so most runs are killed at least once.
KILL_SPAN = 7.0
RUN_TIMEOUT = 150


def one_run(bin_dir, seed, index, keep):
    rng = random.Random(seed * 1_000_003 + index)
    kills = 1 if rng.random() < 0.7 else (2 if rng.random() < 2 / 3 else 3)
    points = sorted(round(rng.uniform(0.0, KILL_SPAN), 2) for _ in range(kills))
    record = {"run": index, "seed": seed, "kill_points_s": points, "kills": 0, "events_before_kill": [],
              "events_after_restart": [], "journal_records_before_kill": [], "outcome": "?", "problems": []}
    workspace = Workspace(f"campaign-crash-{index}-", keep=keep)
    clock = Clock()
    sim = Simulator(bin_dir, workspace.path, clock, seed=seed + index)
    daemon = None
    try:
        sim.start()
        daemon = Daemon(bin_dir, workspace.path, clock, sim.endpoint)
        daemon.start()
        check = EndState(sim, daemon.base_key)
        check.record_source(seed + index)
        cutover = Cutover(daemon, clock.window())
        started = time.monotonic()
        cutover.start()
        record["run_id"] = cutover.run_id

        def drive(**options):
            """Drive the run; a daemon that died on its own is recorded (Daemon.unexpected_deaths),
            restarted, and the run driven on."""
            while True:
                try:
                    return cutover.drive(RUN_TIMEOUT, **options)
                except DaemonDied:
                    if len(daemon.unexpected_deaths) > 3:
                        raise
                    daemon.start()

        finished = None
        for point in points:
            finished = drive(should_stop=lambda _v, p=point: time.monotonic() - started >= p, interval=0.05)
            if finished is not None:
                break  # the run ended before this kill point: the remaining kills are not made
            record["events_before_kill"].append(cutover.event_count())
            before = daemon.journal_prefix()
            daemon.kill9()
            record["kills"] += 1
            record["journal_records_before_kill"].append(len(before))
            daemon.start()
            after = daemon.journal_prefix()
            record["events_after_restart"].append(cutover.event_count())
            loss = prefix_loss(before, after)
            if loss:
                record["problems"].append(f"journal lost or changed records across the restart: {loss}")
                record["records_lost"] = record.get("records_lost", 0) + loss["missing"] + loss["changed"]
        if finished is None:
            finished = drive(interval=0.1)
        run = finished["run"]
        record["status"] = run["status"]
        record["seconds"] = round(time.monotonic() - started, 1)
        if run["status"] != "completed":
            record["problems"].append(f"the run ended {run['status']}: {run.get('reason')}")
        problems, figures = check.check()
        record["problems"] += problems
        record["objects_lost"] = figures["missing"] + figures["different"]
        record["irreversible"] = figures["irreversible"]
        record["checked"] = {k: figures[k] for k in ("objects", "tags_checked", "bodies_hashed")}
        record["events"] = cutover.event_count()
        code = daemon.stop()
        if code not in (0, None):
            record["problems"].append(f"cutoverd exited {code} on SIGTERM")
        ok, text = audit_verify(daemon, cutover.run_id)
        if not ok:
            record["problems"].append(f"audit verify failed: {text[-400:]}")
    except Exception as error:  # noqa: BLE001 — a campaign run that breaks is a failed run, recorded
        record["problems"].append(f"{type(error).__name__}: {error}"[:2000])
        record["traceback"] = traceback.format_exc()[-2000:]
        if daemon is not None:
            record["daemon_log_tail"] = daemon.log_tail(30)[-3000:]
    finally:
        if daemon is not None:
            daemon.stop()
            if daemon.unexpected_deaths:
                record["unexpected_crashes"] = len(daemon.unexpected_deaths)
                record["deaths"] = daemon.unexpected_deaths
                record["problems"].append(f"cutoverd died on its own {len(daemon.unexpected_deaths)} time(s): "
                                          + "; ".join(f"exit {d['exit']} before {d['while']}" for d in daemon.unexpected_deaths))
        sim.stop()
        if record["problems"]:
            workspace.keep = True
            record["workspace"] = workspace.path
        workspace.cleanup()
    record["outcome"] = "ok" if not record["problems"] else "failed"
    return record


def run(bin_dir, runs, seed, command, keep=False, budget_minutes=None):
    started = time.monotonic()
    records = []
    for index in range(runs):
        if budget_minutes and time.monotonic() - started > budget_minutes * 60:
            say(NAME, f"time budget of {budget_minutes} min spent after {index} of {runs} runs; stopping here")
            break
        record = one_run(bin_dir, seed, index, keep)
        records.append(record)
        say(NAME, f"run {index + 1}/{runs} seed {seed}: kills at {record['kill_points_s']} s "
                  f"({record['kills']} made) → {record.get('status', '?')} {record['outcome']}"
            + (f": {record['problems'][0][:300]}" if record["problems"] else ""))
    kills = sum(r["kills"] for r in records)
    crashes = sum(r.get("unexpected_crashes", 0) for r in records)
    lost = sum(r.get("objects_lost", 0) + r.get("records_lost", 0) for r in records)
    failed = [r["run"] for r in records if r["outcome"] != "ok"]
    details = {"planned_runs": runs, "runs_done": len(records), "seed": seed, "kill_span_s": KILL_SPAN,
               "runs_killed": sum(1 for r in records if r["kills"]), "kills": kills,
               "failed_runs": failed, "runs": records}
    outcome = "ok" if not failed and len(records) == runs else "failed"
    if len(records) < runs and not failed:
        outcome = "partial"
    path = write_result(NAME, command, len(records), kills, crashes, lost, outcome, details, started)
    say(NAME, f"{len(records)} runs, {kills} kills, {crashes} unexpected crashes, {lost} lost, "
              f"{len(failed)} failed → {path}")
    return outcome == "ok" or outcome == "partial" and not failed
