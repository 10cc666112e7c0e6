"""Fault matrix: each row is one full admin-console cutover through real processes with one kind
of fault injected by the simulator (POST /_sim/faults) or by the machine (a full disk). A row
passes when the run ends as designed (completed, or paused-as-designed and then completed after
the operator's action), every object and the database arrived (EndState, independent of
cutover's code), the irreversible calls were issued exactly once (the simulator's request log),
no journaled record was lost and `cutoverctl audit verify` passes.
"""
import os
import subprocess
import time
import traceback

from harness import (CampaignFailure, Clock, Cutover, Daemon, EndState, Simulator, Workspace, audit_verify, prefix_loss,
                     say, write_result)

NAME = "faults"
RUN_TIMEOUT = 240


def rows(seed):
    """(name, what is injected, options). Options: rules (added right after the start), scale,
    session_duration, mid_run (a callable given the row context once the run is past its first
    steps), expect ("completed" or "paused-then-completed")."""
    return [
        ("500s", "10 % of every request answered 500 InternalError (all services)",
         {"rules": [{"effect": "internalError", "probability": 0.1, "seed": seed}]}),
        ("slowdown", "sustained SlowDown: every S3 request answered 503 SlowDown for 10 simulated minutes (2 s real) "
                     "from the start of the cutover proper, and 5 % of S3 requests for the rest of the run",
         {"rules": [{"service": "s3", "effect": "throttling", "probability": 0.05, "seed": seed + 1}],
          "mid_run": slowdown_burst}),
        ("resets", "connection reset mid-body: 5 % of answers cut after 16 body bytes (all services)",
         {"rules": [{"effect": "resetAfter", "bodyBytes": 16, "probability": 0.05, "seed": seed + 2}]}),
        ("latency", "latency spikes past the client's 60 s timeout: two concurrent CopyObject answers 61 s late "
                    "(clock ×30 so the minute fits the window)",
         {"scale": 30, "rules": [{"service": "s3", "operation": "CopyObject", "effect": "latency",
                                  "milliseconds": 61000, "from": 3, "through": 4}]}),
        ("credential-expiry", "AssumeRole sessions of 30 simulated minutes (simulator --session-duration 1800): "
                              "they expire, and are refreshed, more than once within the run",
         {"session_duration": 1800, "expect_assume_roles": 2}),
        ("assumerole-denied", "sts AssumeRole answered 403 AccessDenied from mid-run on (sessions of 15 minutes, so a "
                              "refresh falls in it); removed, then the operator retries/resumes",
         {"session_duration": 900, "mid_run": deny_assume_role, "expect": "paused-then-completed"}),
        ("disk-full", "the state directory (a tmpfs) filled up mid-run; then space freed and `cutoverctl resume` (a restart only if that fails)",
         {"mid_run": fill_disk, "tmpfs": True, "expect": "halted-then-completed"}),
    ]


# ---------------------------------------------------------------- mid-run actions


def operator(row, view):
    """A run that paused after its retries ran out under the faults: what an operator does —
    `cutoverctl retry` (a fresh budget), then `resume` if still paused. Recorded with the reason."""
    actions = row["record"].setdefault("operator_actions", [])
    if len(actions) > 20:
        raise CampaignFailure("more than 20 operator actions; giving up")
    actions.append(f"paused: {(view['run'].get('reason') or '')[:300]}")
    for action in ("retry", "resume"):
        result = row["daemon"].ctl(action, row["cutover"].run_id, "--comment", "campaign operator", check=False)
        actions.append(f"{action} → exit {result.returncode}")


def decide_retry(row, decision):
    """A step with `onFailure: decide` asks; the operator answers `retry`."""
    actions = row["record"].setdefault("operator_actions", [])
    if len(actions) > 20:
        raise CampaignFailure("more than 20 operator actions; giving up")
    result = row["daemon"].ctl("decide", row["cutover"].run_id, decision["step"], "retry", "--comment", "campaign operator",
                               check=False)
    actions.append(f"decision on {decision['step']} ({(decision.get('reason') or '')[:200]}) → retry, exit {result.returncode}")


def past_first_steps(view):
    """The cutover proper has begun: the maintenance approval is given and a move step started."""
    return any(s["id"].startswith(("move-db.", "move-images.")) and s["status"] != "pending" for s in view["run"]["steps"])


def slowdown_burst(row):
    row["sim"].add_fault({"id": "slowdown-burst", "service": "s3", "effect": "throttling"})
    time.sleep(2.0)  # 10 simulated minutes at ×300
    row["sim"].remove_fault("slowdown-burst")
    row["record"]["burst"] = "every S3 request throttled for 2.0 s real (10 simulated minutes)"


def deny_assume_role(row):
    rule = row["sim"].add_fault({"id": "deny-assume-role", "service": "sts", "operation": "AssumeRole", "effect": "error",
                                 "code": "AccessDenied", "status": 403,
                                 "message": "User is not authorized to perform: sts:AssumeRole (campaign fault)"})
    row["record"]["rule"] = rule
    cutover, daemon = row["cutover"], row["daemon"]
    deadline = time.monotonic() + 120
    paused = None
    while time.monotonic() < deadline:
        view = cutover.status()
        status = view["run"]["status"]
        if status == "paused" or view.get("pendingDecisions"):
            paused = view
            break
        if status in ("completed", "rolled-back", "cancelled"):
            break
        cutover.step(on_pause=lambda v: None, on_decision=lambda v, d: None)
        time.sleep(0.2)
    if paused is None:
        row["record"]["problems"].append("the run did not pause while AssumeRole was denied")
        row["sim"].remove_fault("deny-assume-role")
        return
    run = paused["run"]
    row["record"]["paused_reason"] = run.get("reason")
    row["record"]["pending_decisions"] = paused.get("pendingDecisions")
    row["record"]["failed_steps"] = {s["id"]: (s.get("lastError") or s.get("error") or s.get("detail"))
                                     for s in run["steps"] if s["status"] == "failed"}
    row["record"]["status_text"] = daemon.ctl("status", cutover.run_id, check=False).stdout[-3000:]
    row["record"]["source_at_pause"] = source_state(row)
    row["sim"].remove_fault("deny-assume-role")
    answers = []
    for decision in paused.get("pendingDecisions", []):
        result = daemon.ctl("decide", cutover.run_id, decision["step"], "retry", "--comment", "AssumeRole allowed again",
                            check=False)
        answers.append(f"decide {decision['step']} retry → {result.returncode} {result.stdout.strip()} {result.stderr.strip()}")
    if run["status"] == "paused":
        for action in (["retry", cutover.run_id], ["resume", cutover.run_id]):
            result = daemon.ctl(*action, "--comment", "AssumeRole allowed again", check=False)
            answers.append(f"{action[0]} → {result.returncode} {(result.stdout + result.stderr).strip()[:300]}")
    row["record"]["operator_actions"] = answers


def source_state(row):
    """What the legacy account holds at the pause (nothing half-done: the bucket either has every
    object or is gone with them all in staging)."""
    try:
        s3 = row["check"].boto("s3", "legacy")
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        if "admin-images" not in names:
            return "source bucket deleted"
        return f"source bucket holds {len(EndState.listing(s3, 'admin-images'))} of {len(row['check'].source)} objects"
    except Exception as error:  # noqa: BLE001
        return f"could not look: {error}"


def halt_of(view):
    """The journal-write halt of a run, from `GET /v1/runs/{id}` (RunView.halt)."""
    return view.get("halt") or view["run"].get("halt")


def fill_disk(row):
    """Fill the tmpfs under the state directory, watch what cutoverd does and says, free it,
    restart the daemon if it needs it, and let the run go on. The fault counts as injected only
    if it took effect: the disk was full and the daemon reported the run halted. A daemon that
    died while the disk was full is recorded (it must keep serving, docs/DAEMON.md)."""
    daemon, cutover, record = row["daemon"], row["cutover"], row["record"]
    log_before = len(daemon.all_logs())
    before = cutover.event_count()
    filler = os.path.join(row["mount"], "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    record["filled_at_events"] = before
    df = subprocess.run(["df", "-k", "--output=avail", row["mount"]], capture_output=True, text=True).stdout.split()
    record["disk_available_kib_after_fill"] = int(df[-1]) if df and df[-1].isdigit() else None
    time.sleep(8)  # let the run try to journal into the full disk (≈40 simulated minutes)
    record["daemon_alive_while_full"] = daemon.alive()
    if not record["daemon_alive_while_full"]:
        record["problems"].append(f"cutoverd died while the disk was full (exit {daemon.process.returncode}); "
                                  f"it must keep serving and halt the run")
        try:
            daemon.check_alive("status while the disk was full")  # recorded as an unexpected death
        except CampaignFailure:
            pass
    answers = {}
    halted = None
    if daemon.alive():
        for name, arguments in (("status", ["status", cutover.run_id]), ("health", ["health"])):
            result = daemon.ctl(*arguments, check=False, timeout=30)
            answers[name] = f"exit {result.returncode}\n{result.stdout}{result.stderr}"[-2500:]
        halted = halt_of(cutover.status())
    record["cutoverctl_while_full"] = answers
    record["halt_while_full"] = halted
    record["daemon_log_while_full"] = daemon.all_logs()[log_before:][-4000:]
    record["fault_took_effect"] = record["disk_available_kib_after_fill"] == 0 and bool(halted)
    if not record["fault_took_effect"]:
        record["problems"].append(f"the full disk did not take effect as designed: {record['disk_available_kib_after_fill']} KiB "
                                  f"left, run halt {halted!r}")
    journal = daemon.journal_prefix() if daemon.alive() else None
    os.unlink(filler)
    # What the daemon does once there is room again, on its own, for a few seconds.
    time.sleep(3)
    view = cutover.status() if daemon.alive() else None
    record["status_after_freeing"] = view["run"]["status"] if view else "daemon gone"
    # The operator's way on without a restart: `cutoverctl resume` once there is space again.
    if daemon.alive():
        result = daemon.ctl("resume", cutover.run_id, "--comment", "disk space freed", check=False)
        record["resume_after_freeing"] = f"exit {result.returncode}: " + (result.stdout + result.stderr).strip()[:500]
        time.sleep(2)
        view = cutover.status()
    if daemon.alive() and view and not halt_of(view):
        record["continued_by"] = "cutoverctl resume (no restart)"
    else:
        if daemon.alive():
            record["sigterm_exit_after_freeing"] = daemon.stop()
        daemon.start()
        record["continued_by"] = "restart"
    after = cutover.event_count()
    record["events_before_fill"], record["events_after_freeing"] = before, after
    if journal is not None:
        loss = prefix_loss(journal, daemon.journal_prefix())
        record["journal_records_while_full"] = len(journal)
        if loss:
            record["problems"].append(f"journal lost or changed records after the full disk: {loss}")
            record["records_lost"] = loss["missing"] + loss["changed"]
    view = cutover.status()
    if view["run"]["status"] == "paused":
        result = daemon.ctl("resume", cutover.run_id, "--comment", "disk space freed", check=False)
        record["resume"] = (result.stdout + result.stderr).strip()[:500]


# ---------------------------------------------------------------- one row


def one_row(bin_dir, seed, name, injected, options, keep):
    record = {"row": name, "injected": injected, "expected": options.get("expect", "completed"), "problems": []}
    workspace = Workspace(f"campaign-fault-{name}-", keep=keep)
    clock = Clock(scale=options.get("scale", 300))
    mount = None
    sim = Simulator(bin_dir, workspace.path, clock, seed=seed, session_duration=options.get("session_duration"))
    daemon = None
    started = time.monotonic()
    try:
        state = None
        if options.get("tmpfs"):
            mount = os.path.join(workspace.path, "statefs")
            os.makedirs(mount)
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", mount],
                                     capture_output=True, text=True)
            if mounted.returncode != 0:
                record["outcome"] = "NOT RUN"
                record["problems"].append(f"mount -t tmpfs refused: {mounted.stderr.strip()}")
                mount = None
                return record
            state = os.path.join(mount, "state")
        sim.start()
        daemon = Daemon(bin_dir, workspace.path, clock, sim.endpoint, state=state)
        daemon.start()
        check = EndState(sim, daemon.base_key)
        check.record_source(seed)
        since = sim.requests()[-1]["sequence"] if sim.requests() else 0
        cutover = Cutover(daemon, clock.window())
        cutover.start()
        record["run_id"] = cutover.run_id
        for rule in options.get("rules", []):
            sim.add_fault(rule)
        row = {"sim": sim, "daemon": daemon, "cutover": cutover, "record": record, "check": check, "mount": mount}
        final = None
        if options.get("mid_run"):
            final = cutover.drive(RUN_TIMEOUT, should_stop=past_first_steps)
            if final is None:
                options["mid_run"](row)
        if final is None:
            final = cutover.drive(RUN_TIMEOUT, on_pause=lambda v: operator(row, v),
                                  on_decision=lambda v, d: decide_retry(row, d))
        state_counters = sim.faults()
        record["fault_counters"] = state_counters.get("counters", {})
        record["rules"] = [{"id": r.get("rule", {}).get("id"), "matched": r.get("matched"), "injected": r.get("injected")}
                           for r in state_counters.get("rules", [])]
        record["faults_injected"] = sim.injected_total() + (1 if record.get("fault_took_effect") else 0)
        sim.clear_faults()
        assumes = [r for r in sim.requests(operation="AssumeRole") if r["sequence"] > since]
        record["assume_role_calls"] = {role: sum(1 for r in assumes if (r.get("resource") or "").endswith(role) and r["status"] == 200)
                                       for role in ("CutoverSource", "CutoverTarget")}
        record["assume_role_denied"] = sum(1 for r in assumes if r["status"] == 403)
        if options.get("expect_assume_roles"):
            for role, count in record["assume_role_calls"].items():
                if count < options["expect_assume_roles"]:
                    record["problems"].append(f"AssumeRole {role} succeeded {count} times; the sessions did not expire "
                                              f"and refresh as the row intends")
        run = final["run"]
        record["status"] = run["status"]
        if run["status"] != "completed":
            record["problems"].append(f"the run ended {run['status']}: {run.get('reason')}")
        problems, figures = check.check(since)
        record["problems"] += problems
        record["objects_lost"] = figures["missing"] + figures["different"]
        record["irreversible"] = figures["irreversible"]
        record["checked"] = {k: figures[k] for k in ("objects", "tags_checked", "bodies_hashed")}
        record["events"] = cutover.event_count()
        code = daemon.stop()
        if code not in (0, None):
            record["problems"].append(f"cutoverd exited {code} on SIGTERM")
        ok, text = audit_verify(daemon, cutover.run_id)
        record["audit_verify"] = text.splitlines()[-1] if text else ""
        if not ok:
            record["problems"].append(f"audit verify failed: {text[-400:]}")
    except Exception as error:  # noqa: BLE001 — a row that breaks is a failed row, recorded
        record["problems"].append(f"{type(error).__name__}: {error}"[:2000])
        if "faults_injected" not in record:
            try:
                record["faults_injected"] = sim.injected_total()
            except Exception:  # noqa: BLE001 — the simulator may be the thing that broke
                pass
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
        if mount:
            subprocess.run(["umount", "-l", mount], check=False)
        record["seconds"] = round(time.monotonic() - started, 1)
        if record["problems"] and record.get("outcome") != "NOT RUN":
            workspace.keep = True
            record["workspace"] = workspace.path
        workspace.cleanup()
    if record.get("outcome") != "NOT RUN":
        record["outcome"] = "ok" if not record["problems"] else "failed"
    return record


def run(bin_dir, seed, command, keep=False):
    started = time.monotonic()
    records = []
    for name, injected, options in rows(seed):
        record = one_row(bin_dir, seed, name, injected, options, keep)
        records.append(record)
        say(NAME, f"{name}: {record.get('status', '?')}, {record.get('faults_injected', 0)} faults injected, "
                  f"{record['seconds']} s → {record['outcome']}"
            + (f": {record['problems'][0][:400]}" if record["problems"] else ""))
    injected = sum(r.get("faults_injected", 0) for r in records)
    crashes = sum(r.get("unexpected_crashes", 0) for r in records)
    lost = sum(r.get("objects_lost", 0) + r.get("records_lost", 0) for r in records)
    outcome = "ok" if all(r["outcome"] == "ok" for r in records) else "failed"
    path = write_result(NAME, command, len(records), injected, crashes, lost, outcome, {"rows": records, "seed": seed},
                        started)
    say(NAME, f"{len(records)} rows, {injected} faults injected, {crashes} unexpected crashes, {lost} lost → {path}")
    return outcome == "ok"
