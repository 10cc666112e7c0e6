"""The installed AWS CLI (`aws s3api`, `aws s3`) against the simulator: create-bucket, cp (single
and multipart), ls, sync between two buckets (CopyObject and UploadPartCopy), head-object, and a
CLI error. The CLI signs at real time, so these run before the tests that move the clock."""
import json
import os
import shutil
import subprocess
import time

import pytest


MIB = 1024 * 1024


@pytest.fixture(scope="module")
def aws(sim, tmp_path_factory):
    exe = shutil.which("aws")
    if not exe:
        pytest.fail("the AWS CLI (`aws`) is not on PATH; run scripts/bootstrap (pip package awscli)", pytrace=False)
    sim.refresh_clock()
    skew = abs(sim.now() - time.time())
    assert skew < 600, f"the simulator's clock is {skew:.0f} s off real time; the CLI's requests would be refused as skewed"
    home = tmp_path_factory.mktemp("aws-cli")
    config = home / "config"
    config.write_text("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
    (home / "credentials").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=sim.key_id, AWS_SECRET_ACCESS_KEY=sim.secret, AWS_ENDPOINT_URL=sim.endpoint,
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
               AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="1", AWS_PAGER="", HOME=str(home))

    def run(*args, ok=True):
        done = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=120)
        if ok:
            assert done.returncode == 0, f"aws {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done
    return run


def test_cli_create_cp_ls_sync(sim, aws, name, tmp_path):
    source, target = name("cli-src"), name("cli-dst")
    created = json.loads(aws("s3api", "create-bucket", "--bucket", source).stdout)
    assert created["Location"] == f"/{source}"
    aws("s3api", "create-bucket", "--bucket", target)

    small = tmp_path / "small.txt"
    small.write_bytes(b"small object\n")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(9 * MIB))  # above the CLI's 8 MiB multipart threshold
    aws("s3", "cp", str(small), f"s3://{source}/docs/small.txt")
    aws("s3", "cp", str(big), f"s3://{source}/data/big.bin")
    assert sim.requests(operation="CompleteMultipartUpload", status=200), "aws s3 cp of 9 MiB should upload in parts"

    listing = aws("s3", "ls", f"s3://{source}/", "--recursive").stdout.splitlines()
    assert sorted((line.split()[3], int(line.split()[2])) for line in listing) == [
        ("data/big.bin", 9 * MIB), ("docs/small.txt", 13)]
    top = aws("s3", "ls", f"s3://{source}/").stdout
    assert "PRE data/" in top and "PRE docs/" in top
    buckets = aws("s3", "ls").stdout
    assert source in buckets and target in buckets

    aws("s3", "sync", f"s3://{source}", f"s3://{target}")
    s3 = sim.client("s3")
    assert s3.get_object(Bucket=target, Key="docs/small.txt")["Body"].read() == small.read_bytes()
    assert s3.get_object(Bucket=target, Key="data/big.bin")["Body"].read() == big.read_bytes()
    assert sim.requests(operation="UploadPartCopy", status=200), "aws s3 sync of 9 MiB should copy in parts"
    # A second sync finds nothing to do.
    assert aws("s3", "sync", f"s3://{source}", f"s3://{target}").stdout.strip() == ""

    head = json.loads(aws("s3api", "head-object", "--bucket", target, "--key", "docs/small.txt").stdout)
    assert head["ContentLength"] == 13
    missing = aws("s3api", "head-bucket", "--bucket", name("cli-missing"), ok=False)
    assert missing.returncode != 0 and "404" in missing.stderr
    taken = aws("s3api", "create-bucket", "--bucket", source, ok=False)  # our own, us-east-1: 200 again
    assert taken.returncode == 0
    aws("s3", "rm", f"s3://{target}", "--recursive")
    aws("s3api", "delete-bucket", "--bucket", target)
    held = aws("s3api", "create-bucket", "--bucket", target, ok=False)
    assert held.returncode != 0 and "OperationAborted" in held.stderr
