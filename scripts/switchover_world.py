"""The switch-over half of the admin-console demo world, in a moto server.

The moves run against cutover-aws-sim (it reproduces what moto cannot: the bucket-name hold,
cross-account snapshot copies, KMS sharing); the services around them — ELBv2, ECS, Route 53,
Secrets Manager, SSM and CloudWatch — run in moto, an independent implementation. The simulator
forwards those services to this moto (`cutover-aws-sim --forward URL`) after checking the
daemon's signature, naming the caller's account with moto's `x-moto-account-id` header, so one
world has one set of accounts and credentials.

`SwitchoverWorld` starts moto (no authentication of its own: the simulator authenticates), seeds
what the runbook expects in each account with boto3, and reads the end state back with boto3 —
never through cutover's own client.

  legacy  (111111111111)  ALB legacy-admin-alb, HTTPS listener on 443 forwarding to the old stack
  product (222222222222)  ALB product-admin-alb; the secret admin-console/db (host, port, username,
                          password) pointing at the legacy database; ECS cluster admin-console with
                          service admin-console-web on task definition admin-console-web:1 (0 tasks)
                          and a newer revision :2 to deploy; hosted zone example.com with
                          admin.example.com aliased to the legacy ALB; the alarm admin-console-5xx (OK)
"""
import json
import os
import secrets
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LEGACY, PRODUCT = "111111111111", "222222222222"
REGION = "ap-northeast-1"
ZONE = "example.com"
RECORD = "admin.example.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HealthServer:
    """The product stack's health URL, on a loopback port: `GET /health` answers 200 `ok`."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = b"ok\n" if self.path == "/health" else b"not found\n"
                self.send_response(200 if self.path == "/health" else 404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/health"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class SwitchoverWorld:
    def __init__(self, tmp):
        self.tmp = tmp
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(tmp, "moto.log")
        env = {k: v for k, v in os.environ.items() if k not in ("INITIAL_NO_AUTH_ACTION_COUNT", "MOTO_ACCOUNT_ID")}
        self.process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)], stdout=open(self.log, "w"),
                                        stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on {self.endpoint}; see {self.log}")
                time.sleep(0.2)
        self.health = HealthServer()
        # The database password exists only here and in moto: the demo's secret scan looks for it.
        self.password = "pw-" + secrets.token_hex(16)

    def client(self, service, account):
        """A boto3 client straight to moto in `account` (x-moto-account-id), for seeding and checks."""
        import boto3
        from botocore.config import Config
        client = boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id="moto-check",
                              aws_secret_access_key="moto-check", config=Config(retries={"total_max_attempts": 1}))
        client.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
        return client

    def _alb(self, account, name, certificate=None):
        ec2 = self.client("ec2", account)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
                   for i, zone in enumerate("ac")]
        elbv2 = self.client("elbv2", account)
        lb = elbv2.create_load_balancer(Name=name, Subnets=subnets, Scheme="internet-facing", Type="application")["LoadBalancers"][0]
        group = elbv2.create_target_group(Name=f"{name}-web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]
        listener = {"LoadBalancerArn": lb["LoadBalancerArn"], "DefaultActions": [{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}]}
        if certificate:
            listener.update(Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": certificate}])
        else:
            listener.update(Protocol="HTTP", Port=80)
        elbv2.create_listener(**listener)
        return lb

    def seed(self):
        acm = self.client("acm", LEGACY)
        certificate = acm.request_certificate(DomainName=RECORD, ValidationMethod="DNS")["CertificateArn"]
        self.legacy_alb = self._alb(LEGACY, "legacy-admin-alb", certificate)
        self.product_alb = self._alb(PRODUCT, "product-admin-alb")

        self.secret_value = {"host": "admin-db.legacy.internal", "port": 3306, "username": "admin", "password": self.password}
        sm = self.client("secretsmanager", PRODUCT)
        sm.create_secret(Name="admin-console/db", SecretString=json.dumps(self.secret_value))
        self.secret_version = sm.describe_secret(SecretId="admin-console/db")
        self.secret_version = next(v for v, stages in self.secret_version["VersionIdsToStages"].items() if "AWSCURRENT" in stages)

        ecs = self.client("ecs", PRODUCT)
        ecs.create_cluster(clusterName="admin-console")
        revisions = [ecs.register_task_definition(
            family="admin-console-web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
            containerDefinitions=[{"name": "web", "image": f"admin-console:{tag}", "essential": True}])["taskDefinition"]["taskDefinitionArn"]
            for tag in ("legacy-build", "product-build")]
        self.task_definitions = revisions
        ecs.create_service(cluster="admin-console", serviceName="admin-console-web", taskDefinition=revisions[0], desiredCount=0,
                           launchType="FARGATE")

        route53 = self.client("route53", PRODUCT)
        zone = route53.create_hosted_zone(Name=ZONE, CallerReference=f"cutover-demo-{time.time()}")["HostedZone"]
        self.zone_id = zone["Id"].split("/")[-1]
        route53.change_resource_record_sets(HostedZoneId=self.zone_id, ChangeBatch={"Changes": [{
            "Action": "UPSERT", "ResourceRecordSet": {"Name": RECORD, "Type": "A", "AliasTarget": {
                "HostedZoneId": self.legacy_alb["CanonicalHostedZoneId"], "DNSName": self.legacy_alb["DNSName"],
                "EvaluateTargetHealth": True}}}]})

        cloudwatch = self.client("cloudwatch", PRODUCT)
        cloudwatch.put_metric_alarm(AlarmName="admin-console-5xx", MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB",
                                    Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold")
        cloudwatch.set_alarm_state(AlarmName="admin-console-5xx", StateValue="OK", StateReason="seeded by the demo")

    def parameters(self):
        return {"hostedZoneId": self.zone_id, "healthURL": self.health.url}

    def describe(self):
        return (f"moto on {self.endpoint}: legacy ALB legacy-admin-alb (HTTPS 443), product ALB product-admin-alb, secret "
                f"admin-console/db, ECS admin-console/admin-console-web on revision 1 of 2, zone {ZONE} ({self.zone_id}) with "
                f"{RECORD} → legacy ALB, alarm admin-console-5xx; health URL {self.health.url}")

    # ---------- end state, read with boto3 ----------

    def maintenance_rules(self):
        elbv2 = self.client("elbv2", LEGACY)
        listener = elbv2.describe_listeners(LoadBalancerArn=self.legacy_alb["LoadBalancerArn"])["Listeners"][0]
        rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
        return [r for r in rules if not r.get("IsDefault") and any(a["Type"] == "fixed-response" for a in r["Actions"])]

    def secret_now(self):
        sm = self.client("secretsmanager", PRODUCT)
        described = sm.describe_secret(SecretId="admin-console/db")
        current = next(v for v, stages in described["VersionIdsToStages"].items() if "AWSCURRENT" in stages)
        value = json.loads(sm.get_secret_value(SecretId="admin-console/db", VersionStage="AWSCURRENT")["SecretString"])
        return current, value

    def service_now(self):
        ecs = self.client("ecs", PRODUCT)
        return ecs.describe_services(cluster="admin-console", services=["admin-console-web"])["services"][0]

    def record_now(self):
        route53 = self.client("route53", PRODUCT)
        sets = route53.list_resource_record_sets(HostedZoneId=self.zone_id, StartRecordName=RECORD, StartRecordType="A", MaxItems="1")
        found = [s for s in sets["ResourceRecordSets"] if s["Name"].rstrip(".") == RECORD and s["Type"] == "A"]
        return found[0] if found else None

    def check_switched(self, db_endpoint):
        """The end state of a completed cutover, or a list of what is wrong."""
        problems, facts = [], []
        rules = self.maintenance_rules()
        if rules:
            problems.append(f"the maintenance rule is still on the legacy listener: {[r['RuleArn'] for r in rules]}")
        else:
            facts.append("no maintenance rule left on the legacy listener")
        version, value = self.secret_now()
        if version == self.secret_version or value.get("host") != db_endpoint:
            problems.append(f"secret admin-console/db: AWSCURRENT {version} holds host {value.get('host')}, not {db_endpoint}")
        elif value.get("password") != self.password or value.get("username") != "admin":
            problems.append("secret admin-console/db lost its other keys in the merge")
        else:
            facts.append(f"secret's AWSCURRENT is a new version holding host {db_endpoint} (password and username kept)")
        service = self.service_now()
        if service["taskDefinition"] != self.task_definitions[1] or service["desiredCount"] != 2:
            problems.append(f"ECS service runs {service['taskDefinition']} ×{service['desiredCount']}, not {self.task_definitions[1]} ×2")
        else:
            primary = next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), {})
            facts.append(f"ECS service on {service['taskDefinition'].split('/')[-1]} with {service['desiredCount']} tasks "
                         f"(PRIMARY deployment {primary.get('rolloutState', '?')})")
        record = self.record_now()
        target = (record or {}).get("AliasTarget", {}).get("DNSName", "").rstrip(".")
        if target != self.product_alb["DNSName"].rstrip("."):
            problems.append(f"{RECORD} points at {target or record}, not the product ALB {self.product_alb['DNSName']}")
        else:
            facts.append(f"{RECORD} aliases the product ALB {target}")
        return problems, facts

    def stop(self):
        self.health.stop()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def summary(self):
        """What a test needs to know about the seeded world (JSON-able)."""
        elbv2 = self.client("elbv2", LEGACY)
        listener = elbv2.describe_listeners(LoadBalancerArn=self.legacy_alb["LoadBalancerArn"])["Listeners"][0]
        return {
            "endpoint": self.endpoint, "port": self.port, "hostedZoneId": self.zone_id, "healthURL": self.health.url,
            "unhealthyURL": self.health.url.replace("/health", "/unhealthy"), "legacyListenerArn": listener["ListenerArn"],
            "legacyAlbDNSName": self.legacy_alb["DNSName"], "legacyAlbZoneId": self.legacy_alb["CanonicalHostedZoneId"],
            "productAlbDNSName": self.product_alb["DNSName"], "secretVersionId": self.secret_version,
            "taskDefinitions": self.task_definitions, "legacy": LEGACY, "product": PRODUCT,
        }


def serve(state):
    """`serve --state DIR`: start and seed the world, write DIR/world.json, run until SIGTERM."""
    import signal
    import sys
    # A parent may start us with SIGTERM blocked (Foundation's Process on Linux passes its thread's
    # signal mask on): unblock before moto inherits it, or neither would ever stop.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())

    def watch_stdin():
        """Stop when the parent closes our stdin or dies (its end of the pipe closes with it)."""
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stopping.set()

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    os.makedirs(state, exist_ok=True)
    world = SwitchoverWorld(state)
    try:
        world.seed()
        path = os.path.join(state, "world.json")
        with open(path + ".tmp", "w") as f:
            json.dump(world.summary(), f)
        os.replace(path + ".tmp", path)
        while not stopping.wait(0.5):
            pass
    finally:
        world.stop()


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="The switch-over half of the admin-console world, in moto (see the module doc).")
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--state", required=True, help="directory for world.json and moto.log")
    serve(parser.parse_args().state)
