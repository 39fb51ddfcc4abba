#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A training script that logs to an MLflow tracking server the way MLflow's REST client does
(experiments/get-by-name then create, runs/create, runs/log-batch of at most 1,000 metrics,
runs/update FINISHED), with Python's standard library only (urllib): the tracking endpoint's
tests run it against a real `mlwb tracking-server`.

    mlflow_stdlib_logger.py URL EXPERIMENT RUN_NAME POINTS KEYS [TOKEN]

Logs POINTS metric points over KEYS keys (loss_0 .. loss_{KEYS-1}, one value per key and step),
then prints one JSON line: {"run_id", "experiment_id", "points", "requests", "seconds"}.
Exits 1 on any answer but 200, printing it.
"""
import json
import math
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def call(base, method, endpoint, body=None, query=None, token=None):
    url = base + "/api/2.0/mlflow/" + endpoint
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def must(result, what):
    status, body = result
    if status != 200:
        print(json.dumps({"failed": what, "status": status, "body": body}))
        sys.exit(1)
    return body


def main():
    url, experiment, run_name, points, keys = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    token = sys.argv[6] if len(sys.argv) > 6 else None
    started = time.time()
    requests = 0

    # mlflow.set_experiment: look it up, create it when missing (another script may win the race).
    status, body = call(url, "GET", "experiments/get-by-name", query={"experiment_name": experiment}, token=token)
    requests += 1
    if status == 404 and body.get("error_code") == "RESOURCE_DOES_NOT_EXIST":
        status, body = call(url, "POST", "experiments/create", {"name": experiment}, token=token)
        requests += 1
        if status == 409 or body.get("error_code") == "RESOURCE_ALREADY_EXISTS":
            status, body = call(url, "GET", "experiments/get-by-name", query={"experiment_name": experiment}, token=token)
            requests += 1
            experiment_id = must((status, body), "get-by-name after a race")["experiment"]["experiment_id"]
        else:
            experiment_id = must((status, body), "experiments/create")["experiment_id"]
    else:
        experiment_id = must((status, body), "experiments/get-by-name")["experiment"]["experiment_id"]

    now = int(time.time() * 1000)
    run = must(call(url, "POST", "runs/create", {
        "experiment_id": experiment_id, "user_id": "ci", "start_time": now, "run_name": run_name,
        "tags": [{"key": "mlflow.user", "value": "ci"}, {"key": "mlflow.source.name", "value": "mlflow_stdlib_logger.py"},
                 {"key": "mlflow.source.type", "value": "LOCAL"}, {"key": "mlflow.runName", "value": run_name}]}, token=token),
        "runs/create")["run"]
    requests += 1
    run_id = run["info"]["run_id"]
    must(call(url, "POST", "runs/log-batch", {"run_id": run_id, "params": [
        {"key": "lr", "value": "0.01"}, {"key": "keys", "value": str(keys)}]}, token=token), "log-batch params")
    requests += 1

    batch = []
    logged = 0
    steps = points // keys
    for step in range(steps):
        for k in range(keys):
            batch.append({"key": "loss_%d" % k, "value": math.exp(-step / 1000.0) + k, "timestamp": now + step, "step": step})
            if len(batch) == 1000:
                must(call(url, "POST", "runs/log-batch", {"run_id": run_id, "metrics": batch}, token=token), "log-batch metrics")
                requests += 1
                logged += len(batch)
                batch = []
    if batch:
        must(call(url, "POST", "runs/log-batch", {"run_id": run_id, "metrics": batch}, token=token), "log-batch metrics")
        requests += 1
        logged += len(batch)

    must(call(url, "POST", "runs/update", {"run_id": run_id, "run_uuid": run_id, "status": "FINISHED",
                                           "end_time": int(time.time() * 1000)}, token=token), "runs/update")
    requests += 1
    print(json.dumps({"run_id": run_id, "experiment_id": experiment_id, "points": logged, "requests": requests,
                      "seconds": time.time() - started}))


if __name__ == "__main__":
    main()
