#!/usr/bin/env python3
"""botocore against the simulator's S3 Batch Operations (issue 19 item 3).

An independent client for the simulator's S3 Control wire: boto3 serialises CreateJob,
UpdateJobStatus and ListJobs and parses every answer with botocore's own rest-xml parser and
s3control model, so a shape the simulator gets wrong fails here. Also prints the batch path's
figure against the job rate from the real process (virtual clock moved by POST /_sim/clock).

botocore prefixes the account to the host even with a custom endpoint (AWS-NOTES-2 BO-1,
MOTO-NOTES s3control); a before-sign hook puts the request back on 127.0.0.1, as for moto.

Usage: scripts/s3control-boto3-check.py [path/to/cutover-aws-sim]   (exit 0 = every check passed)
"""
import json, os, subprocess, sys, tempfile, time, urllib.request

import boto3
from botocore.config import Config

SIM = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/cutover-aws-sim"
PRODUCT, LEGACY = "222222222222", "111111111111"
KEY, SECRET = "AKIAPRODUCTBATCH0001", "productbatchsecret0000000000000000000000"
ROLE = f"arn:aws:iam::{PRODUCT}:role/BatchCopy"
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(what)


def admin(port, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"{}")


def start_sim(*extra):
    port_file = tempfile.mktemp()
    sim = subprocess.Popen([SIM, "--virtual-clock", "--port", "0", "--port-file", port_file, *extra],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.05)
    return sim, int(open(port_file).read().strip())


def figure(rate, objects=1000):
    """Simulated and real time of one job of `objects` copies at `rate` tasks/s, polled every simulated second."""
    sim, port = start_sim("--batch-job-rate", str(rate))
    try:
        admin(port, "POST", "/_sim/seed", {
            "accounts": [{"id": PRODUCT, "name": "product", "users": [{"name": "bob", "accessKeyId": KEY, "secretAccessKey": SECRET}],
                          "roles": [{"name": "BatchCopy", "trustedPrincipals": ["batchoperations.s3.amazonaws.com"]}]}],
            "buckets": [{"name": "src", "account": PRODUCT, "generated": {"count": objects, "prefix": "data/", "size": 64}},
                        {"name": "dst", "account": PRODUCT}, {"name": "staging", "account": PRODUCT}]})
        s3, control = clients(port)
        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="src") for o in page.get("Contents", [])]
        etag = s3.put_object(Bucket="staging", Key="m.csv", Body="".join(f"src,{k}\n" for k in keys).encode())["ETag"]
        started = time.monotonic()
        job_id = control.create_job(AccountId=PRODUCT, ConfirmationRequired=False, Priority=10, RoleArn=ROLE, ClientRequestToken="fig",
                                    Operation={"S3PutObjectCopy": {"TargetResource": "arn:aws:s3:::dst"}},
                                    Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                                              "Location": {"ObjectArn": "arn:aws:s3:::staging/m.csv", "ETag": etag}},
                                    Report={"Bucket": "arn:aws:s3:::staging", "Format": "Report_CSV_20180820", "Enabled": True,
                                            "ReportScope": "AllTasks"})["JobId"]
        simulated = 0
        while control.describe_job(AccountId=PRODUCT, JobId=job_id)["Job"]["Status"] != "Complete" and simulated < 100000:
            admin(port, "POST", "/_sim/clock", {"advanceSeconds": 1})
            simulated += 1
        print(f"figure: {objects} objects at {rate} tasks/s: Complete after {simulated} simulated s "
              f"(tasks alone {objects / rate:.1f} s), {time.monotonic() - started:.2f} s real through boto3")
    finally:
        sim.terminate()
        sim.wait()


def clients(port):
    session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1")
    endpoint = f"http://127.0.0.1:{port}"
    s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
    control = session.client("s3control", endpoint_url=endpoint)
    control.meta.events.register("before-sign.s3-control.*", lambda request, **_: setattr(
        request, "url", request.url.replace(f"{PRODUCT}.127.0.0.1", "127.0.0.1")))
    return s3, control


def main():
    sim, port = start_sim()
    try:
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["s3:GetObject", "s3:GetObjectTagging"], "Resource": "arn:aws:s3:::src/*"},
            {"Effect": "Allow", "Principal": {"AWS": PRODUCT}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::src"}]})
        admin(port, "POST", "/_sim/seed", {
            "accounts": [{"id": LEGACY, "name": "legacy"},
                         {"id": PRODUCT, "name": "product", "users": [{"name": "bob", "accessKeyId": KEY, "secretAccessKey": SECRET}],
                          "roles": [{"name": "BatchCopy", "trustedPrincipals": ["batchoperations.s3.amazonaws.com"]}]}],
            "buckets": [{"name": "src", "account": LEGACY, "policy": policy, "generated": {"count": 1000, "prefix": "data/", "size": 64}},
                        {"name": "dst", "account": PRODUCT}, {"name": "staging", "account": PRODUCT}]})
        session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1")
        endpoint = f"http://127.0.0.1:{port}"
        s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
        control = session.client("s3control", endpoint_url=endpoint)
        hosts = []

        def back_to_loopback(request, **_):
            hosts.append(request.url.split("/")[2])
            request.url = request.url.replace(f"{PRODUCT}.127.0.0.1", "127.0.0.1")
        control.meta.events.register("before-sign.s3-control.*", back_to_loopback)

        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="src") for o in page.get("Contents", [])]
        manifest = "".join(f"src,{k}\n" for k in keys) + "src,data/missing\n"
        etag = s3.put_object(Bucket="staging", Key="m.csv", Body=manifest.encode())["ETag"]
        job_args = dict(AccountId=PRODUCT, ConfirmationRequired=True, Priority=10, RoleArn=ROLE, ClientRequestToken="boto3-1",
                        Description="boto3 check",
                        Operation={"S3PutObjectCopy": {"TargetResource": "arn:aws:s3:::dst", "MetadataDirective": "COPY"}},
                        Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                                  "Location": {"ObjectArn": "arn:aws:s3:::staging/m.csv", "ETag": etag}},
                        Report={"Bucket": "arn:aws:s3:::staging", "Format": "Report_CSV_20180820", "Enabled": True,
                                "Prefix": "reports", "ReportScope": "AllTasks"})
        job_id = control.create_job(**job_args)["JobId"]
        check("CreateJob returns a JobId", len(job_id) >= 5)
        check("botocore put the account in the host", hosts and hosts[-1].startswith(PRODUCT + "."), str(hosts))
        check("the same token returns the same job", control.create_job(**job_args)["JobId"] == job_id)
        try:
            control.create_job(**dict(job_args, Priority=99))
            check("the same token with another request is refused", False)
        except control.exceptions.IdempotencyException:
            check("the same token with another request is refused (IdempotencyException)", True)

        job = control.describe_job(AccountId=PRODUCT, JobId=job_id)["Job"]
        check("DescribeJob parses: New", job["Status"] == "New", job["Status"])
        check("DescribeJob echoes the manifest", job["Manifest"]["Spec"]["Fields"] == ["Bucket", "Key"], str(job["Manifest"]))
        check("CreationTime is a timestamp", hasattr(job["CreationTime"], "year"))
        admin(port, "POST", "/_sim/clock", {"advanceSeconds": 4})
        job = control.describe_job(AccountId=PRODUCT, JobId=job_id)["Job"]
        check("Suspended awaiting confirmation", job["Status"] == "Suspended" and job["SuspendedCause"] == "AwaitingConfirmation", str(job))
        check("TotalNumberOfTasks once prepared", job["ProgressSummary"]["TotalNumberOfTasks"] == 1001, str(job["ProgressSummary"]))
        try:
            control.update_job_status(AccountId=PRODUCT, JobId="nosuchjob0", RequestedJobStatus="Ready")
            check("an unknown job is refused", False)
        except control.exceptions.NotFoundException:
            check("an unknown job is NotFoundException", True)
        answer = control.update_job_status(AccountId=PRODUCT, JobId=job_id, RequestedJobStatus="Ready", StatusUpdateReason="go")
        check("UpdateJobStatus Ready", answer["Status"] == "Ready", str(answer))
        try:
            control.update_job_status(AccountId=PRODUCT, JobId=job_id, RequestedJobStatus="Ready")
            check("Ready twice is refused", False)
        except control.exceptions.JobStatusException:
            check("Ready on a Ready job is JobStatusException", True)
        admin(port, "POST", "/_sim/clock", {"advanceSeconds": 6})  # Ready 1 s, then 5 s Active at 100 tasks/s
        job = control.describe_job(AccountId=PRODUCT, JobId=job_id)["Job"]
        progress = job["ProgressSummary"]
        check("Active with progress", job["Status"] == "Active" and progress["NumberOfTasksSucceeded"] == 500
              and progress["Timers"]["ElapsedTimeInActiveSeconds"] == 5, str(job))
        listed = control.list_jobs(AccountId=PRODUCT, JobStatuses=["Active"])["Jobs"]
        check("ListJobs filters by status", [j["JobId"] for j in listed] == [job_id], str(listed))
        check("ListJobs with another status is empty", control.list_jobs(AccountId=PRODUCT, JobStatuses=["Complete"]).get("Jobs", []) == [])
        admin(port, "POST", "/_sim/clock", {"advanceSeconds": 10})
        job = control.describe_job(AccountId=PRODUCT, JobId=job_id)["Job"]
        check("Complete", job["Status"] == "Complete" and "TerminationDate" in job, str(job))
        check("1000 succeeded, 1 failed", job["ProgressSummary"]["NumberOfTasksSucceeded"] == 1000
              and job["ProgressSummary"]["NumberOfTasksFailed"] == 1, str(job["ProgressSummary"]))
        report = json.loads(s3.get_object(Bucket="staging", Key=f"reports/job-{job_id}/manifest.json")["Body"].read())
        check("report manifest lists both result files",
              sorted(r["TaskExecutionStatus"] for r in report["Results"]) == ["failed", "succeeded"], str(report))
        failed = next(r for r in report["Results"] if r["TaskExecutionStatus"] == "failed")
        rows = s3.get_object(Bucket=failed["Bucket"], Key=failed["Key"])["Body"].read().decode().splitlines()
        check("the failed task is the missing key, 404 NoSuchKey", rows == ["src,data/missing,,failed,404,NoSuchKey,The specified key does not exist."], str(rows))
        check("copies are in dst", s3.head_object(Bucket="dst", Key=keys[0])["ContentLength"] == 64)
    finally:
        sim.terminate()
        sim.wait()
    for rate in (100, 1000):
        figure(rate)
    print(f"{len(failures)} failed" if failures else "every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
