"""Drives botocore (the aws CLI's own client) through the AWS chaos proxy and reports how it parsed each fault.

stdin: {"endpoint": URL, "cases": [{"service", "signing", "op", "params", "fault", "count", "attempts"}]}
stdout: one JSON list of {"name", "code", "status", "message", "retryAfter", "throttling", "exception", "ok"}
"""
import datetime
import json
import sys
import urllib.request

import botocore.config
import botocore.exceptions
import botocore.session
from botocore.retries.standard import ThrottledRetryableChecker

request = json.load(sys.stdin)
endpoint = request["endpoint"]
session = botocore.session.get_session()
results = []


def script(fault, signing, count):
    body = json.dumps({"kind": fault, "service": signing, "count": count}).encode()
    urllib.request.urlopen(urllib.request.Request(endpoint + "/__chaos/faults", data=body, method="POST"), timeout=10).read()


def params_of(case):
    params = case.get("params", {})
    if case["op"] == "get_metric_data":
        now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
        params = dict(params, StartTime=now - datetime.timedelta(hours=1), EndTime=now)
    return params


clients = {}


def client_for(case):
    key = (case["service"], case.get("region", "eu-central-1"), case.get("attempts", 1), case.get("readTimeout", 20))
    if key not in clients:
        config = botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": key[2]},
            read_timeout=key[3],
            connect_timeout=5,
        )
        clients[key] = session.create_client(
            key[0], region_name=key[1], endpoint_url=endpoint, config=config,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    return clients[key]


for case in request["cases"]:
    client = client_for(case)
    if case.get("fault"):
        script(case["fault"], case["signing"], case.get("count", 1))
    result = {"name": case["name"], "ok": False}
    try:
        client.__getattribute__(case["op"])(**params_of(case))
        result["ok"] = True
    except botocore.exceptions.ClientError as error:
        response = error.response
        code = response.get("Error", {}).get("Code")
        result.update(
            code=code,
            status=response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            message=response.get("Error", {}).get("Message"),
            retryAfter=response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("retry-after"),
            throttling=code in ThrottledRetryableChecker._THROTTLED_ERROR_CODES,
            exception=type(error).__name__)
    except Exception as error:  # connection-level faults
        result.update(exception=type(error).__name__, message=str(error))
    results.append(result)

json.dump(results, sys.stdout)
