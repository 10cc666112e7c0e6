#!/usr/bin/env python3
"""Listing and delta pass at scale (issue 19): a 1,000,000-object bucket against a copy of it.

cutover-aws-sim is seeded with two buckets holding the same 1,000,000 objects (100 bytes each,
spread over 1,000 prefixes `keys/000/` … `keys/999/`): `bulk-source` in the legacy account and
`scale-copy` in the product account, the copy written after the source (so it is not older).
20 ms are added to every request (fault rule `latency`), as in bulk_copy.py.

Contestants, each over the same two buckets, nothing to copy:

  cutover      one `s3.copy-objects` step run by the real cutoverd (`cutoverctl start` → the run
               seen completed): both buckets listed prefix by prefix in parallel (16 at a time),
               the delta computed from the two listings, no request per object.
  cli-sync     AWS CLI v1 `aws s3 sync s3://bulk-source s3://scale-copy` (it lists both buckets
               and compares size and LastModified; copies nothing here). Skipped with --no-peer.

Figures: wall time, CPU seconds of the process, the S3 requests of the run from the simulator's
request log (none of them may be a copy). Prints one JSON document on stdout; progress on stderr.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bulk_copy  # noqa: E402  (the simulator, daemon and measuring helpers)
from bulk_copy import BulkCopyBench, say  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(bulk_copy.ROOT, ".build-bench", "release"))
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--prefixes", type=int, default=1_000)
    parser.add_argument("--no-peer", action="store_true", help="skip aws s3 sync")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    bench_args = argparse.Namespace(
        bin=args.bin, quick=False, objects=None, runs=1, peer_runs=1, no_probe=True, timeout=args.timeout, keep=args.keep,
        no_warmup=True, small=False, only=None)
    bench = BulkCopyBench(bench_args)
    world = json.load(open(bulk_copy.WORLD))
    generated = {"count": args.objects, "prefix": "keys/", "prefixes": args.prefixes, "sizes": [100]}
    world["buckets"] = [
        {"name": bulk_copy.SOURCE, "account": bulk_copy.LEGACY, "region": bulk_copy.REGION, "generated": generated},
        {"name": "scale-copy", "account": bulk_copy.PRODUCT, "region": bulk_copy.REGION, "generated": generated,
         # The grant Cutover's s3.ensure-bucket adds, so that `aws s3 sync` (as the legacy user) may list the copy too.
         "policy": json.dumps({"Version": "2012-10-17", "Statement": [{
             "Sid": f"CutoverCopyFrom{bulk_copy.LEGACY}", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{bulk_copy.LEGACY}:root"},
             "Action": ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket"],
             "Resource": ["arn:aws:s3:::scale-copy", "arn:aws:s3:::scale-copy/*"]}]})},
    ]
    json.dump(world, open(bench.world_path, "w"))
    bench.object_count = args.objects
    rows, notes = [], []
    try:
        began = time.monotonic()
        bench.start_simulator()
        notes.append(f"seeding {2 * args.objects} objects into the simulator took {time.monotonic() - began:.0f} s (not measured)")
        bench.start_daemon()
        since = bench.mark()
        say(f"cutover: delta pass over {args.objects} objects")
        measured = bench.run_cutover("scale-copy", bulk_copy.CONCURRENCY)
        log = bench.log_of_run(since, "scale-copy")
        copies = sum(v for k, v in log["operations"].items() if k in ("CopyObject", "UploadPartCopy", "HeadObject"))
        say(f"cutover: {measured['seconds']:.1f} s, step {measured['stepSeconds'] or 0:.1f} s, CPU {measured['cpu']:.1f} s, "
            f"{log['requests']} requests ({log['operations']})")
        if copies:
            raise bulk_copy.BenchFailure(f"the delta pass sent {copies} object requests: {log['operations']}")
        rows += [
            {"name": f"Listing + delta pass, {args.objects:,} objects × 2 buckets: Cutover (cutoverd, s3.copy-objects)",
             "value": round(measured["seconds"], 1), "unit": "s",
             "note": f"cutoverctl start → run completed; the step itself {measured['stepSeconds'] or 0:.1f} s (journal); "
                     f"{log['requests']} S3 requests ({', '.join(f'{k} {v}' for k, v in log['operations'].items())}), "
                     f"none per object; {args.prefixes} prefixes listed 16 at a time"},
            {"name": "Listing + delta pass: cutoverd CPU", "value": round(measured["cpu"], 1), "unit": "s",
             "note": f"{1e6 * measured['cpu'] / args.objects:.1f} µs per source object (both listings decoded, delta computed)"},
            {"name": "Listing + delta pass: cutoverd peak RSS", "value": round(measured["rssPeakKiB"] / 1024, 1), "unit": "MiB",
             "note": "VmRSS sampled every 50 ms: both listings held in memory"},
        ]
        ratios = []
        if not args.no_peer:
            since = bench.mark()
            say("aws s3 sync: the same delta pass")
            peer = bench.run_cli("scale-copy", None)
            log = bench.log_of_run(since, "scale-copy")
            rows.append({"name": "Listing + delta pass: AWS CLI v1 aws s3 sync (default settings)", "value": round(peer["seconds"], 1),
                         "unit": "s", "note": f"exit {peer['exit']}; CPU {peer['cpu']:.1f} s; {log['requests']} S3 requests "
                                              f"({', '.join(f'{k} {v}' for k, v in log['operations'].items())})"})
            if peer["exit"] == 0:
                ratios.append({"name": "aws s3 sync time ÷ Cutover time (1M-object delta pass)",
                               "value": round(peer["seconds"] / measured["seconds"], 2)})
            else:
                notes.append(f"aws s3 sync failed (exit {peer['exit']}): no ratio")
        notes.append(f"cutover-aws-sim with {bulk_copy.LATENCY_MS} ms added to every request; both buckets hold the same "
                     f"{args.objects:,} objects of 100 bytes under {args.prefixes} prefixes; nothing to copy.")
        print(json.dumps({"benchmark": "copy-scale", "rows": rows, "ratios": ratios, "notes": notes}, indent=2))
        return 0
    except Exception as failure:
        say(f"FAILED: {type(failure).__name__}: {failure}")
        return 1
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
