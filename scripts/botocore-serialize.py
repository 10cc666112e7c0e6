#!/usr/bin/env python3
"""The independent reference for Cutover's Query/EC2/JSON parameter serialiser.

Reads a JSON list of cases from the file named on the command line, each
`{"service": "ec2", "protocol": "ec2", "operation": "DescribeVpcs", "params": {...}}`, serialises
each with botocore's own serializer (botocore/serialize.py) for that protocol, and prints a JSON
list: for Query/EC2 `{"pairs": [[name, value], ...], "form": "<urlencoded body>"}`, for JSON
`{"json": <body>, "target": "<X-Amz-Target>"}`; each with `untyped`, the params in order with every
scalar as text (what a YAML runbook gives Cutover's serialiser). Tests/AWSServicesTests/Generic runs it and compares
with AWSQuerySerializer / AWSJSONSerializer. Timestamps in params are given as ISO 8601 text.
"""
import json, sys, urllib.parse
import botocore.session
from botocore.serialize import create_serializer


def untyped(value):
    """The params as a YAML runbook holds them (text scalars), in order, as a tagged tree:
    ["m", [[key, tree], ...]] / ["l", [tree, ...]] / ["s", text]."""
    if isinstance(value, dict):
        return ["m", [[k, untyped(v)] for k, v in value.items()]]
    if isinstance(value, list):
        return ["l", [untyped(v) for v in value]]
    if isinstance(value, bool):
        return ["s", "true" if value else "false"]
    return ["s", str(value)]


def main():
    cases = json.load(open(sys.argv[1]))
    session = botocore.session.get_session()
    out = []
    for case in cases:
        model = session.get_service_model(case["service"])
        op = model.operation_model(case["operation"])
        serializer = create_serializer(case["protocol"], include_validation=False)
        request = serializer.serialize_to_request(case["params"], op)
        body = request["body"]
        tree = untyped(case["params"])
        if case["protocol"] in ("query", "ec2"):
            pairs = [[k, v if isinstance(v, str) else str(v)] for k, v in body.items()]
            out.append({"pairs": pairs, "form": urllib.parse.urlencode(list(body.items())), "untyped": tree})
        else:
            out.append({"json": json.loads(body), "target": request["headers"]["X-Amz-Target"], "untyped": tree})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
