#!/usr/bin/env python3
"""Start and stop the moto server the conformance tests run against.

`start` launches `moto_server` on 127.0.0.1 and a free port with signature checking ON: moto
serves INITIAL_NO_AUTH_ACTION_COUNT requests without auth, which this script spends on seeding,
and verifies every signature after that. It seeds two accounts:

  A 123456789012  an IAM user with full access and an access key (the tests' own identity)
  B 222222222222  a role `CutoverTarget` that A may assume, with full access (reached by AssumeRole)

and writes the fixture JSON (endpoint, accounts, keys, role ARN, pid) that Tests/TestSupport's
`MotoFixture` reads via $CUTOVER_MOTO_FIXTURE. `stop` ends the server.
"""
import argparse, json, os, signal, socket, subprocess, sys, time, urllib.request

ACCOUNT_A, ACCOUNT_B = "123456789012", "222222222222"
SEED_ACTIONS = 5  # create_user, put_user_policy, create_access_key, create_role, put_role_policy
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(state_dir):
    import boto3
    from botocore.config import Config

    os.makedirs(state_dir, exist_ok=True)
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(SEED_ACTIONS))
    log = open(os.path.join(state_dir, "moto.log"), "w")
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                sys.exit(f"moto_server did not start on {endpoint}; see {state_dir}/moto.log")
            time.sleep(0.2)

    cfg = Config(retries={"total_max_attempts": 1})
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="seed",
                       aws_secret_access_key="seed", config=cfg)
    iam.create_user(UserName="cutover-conformance")
    iam.put_user_policy(UserName="cutover-conformance", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="cutover-conformance")["AccessKey"]

    iam_b = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="seed",
                         aws_secret_access_key="seed", config=cfg)
    iam_b.meta.events.register("before-sign.iam.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", ACCOUNT_B))
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_A}:root"}, "Action": "sts:AssumeRole"}]})
    role = iam_b.create_role(RoleName="CutoverTarget", AssumeRolePolicyDocument=trust)["Role"]
    iam_b.put_role_policy(RoleName="CutoverTarget", PolicyName="all", PolicyDocument=ALLOW_ALL)
    if ACCOUNT_B not in role["Arn"]:
        sys.exit(f"seeding put the role in the wrong account: {role['Arn']}")

    fixture = {
        "endpoint": endpoint, "pid": proc.pid, "region": "us-east-1",
        "accountA": ACCOUNT_A, "accountB": ACCOUNT_B,
        "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"],
        "roleArnB": role["Arn"],
    }
    path = os.path.join(state_dir, "moto-fixture.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=2)
    print(path)


def stop(state_dir):
    path = os.path.join(state_dir, "moto-fixture.json")
    try:
        with open(path) as f:
            pid = json.load(f)["pid"]
    except (OSError, ValueError, KeyError):
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.remove(path)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["start", "stop"])
    ap.add_argument("--state", default=os.path.join(os.getcwd(), ".build", "moto"))
    args = ap.parse_args()
    start(args.state) if args.command == "start" else stop(args.state)
