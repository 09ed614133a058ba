#!/usr/bin/env python3
"""Make a large, deterministic kubectl snapshot for `make bench`.

  gen_cluster.py NODES PODS_PER_NODE DIR

Writes DIR/nodes.json and DIR/pods.json as `kubectl get nodes -o json` and
`kubectl get pods -A -o json` print them: EKS nodes in us-east-1 (m5.xlarge,
c5.2xlarge and r5.large in three node groups, a quarter of them spot) and
running pods of 40 namespaces and 400 deployments with CPU and memory
requests.
"""
import json
import random
import sys


def main():
    nodes, per, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(42)
    types = [("m5.xlarge", "4", "16Gi", "general"), ("c5.2xlarge", "8", "16Gi", "compute"),
             ("r5.large", "2", "16Gi", "memory")]
    items = []
    for i in range(nodes):
        t, cpu, mem, group = types[i % len(types)]
        spot = i % 4 == 0
        items.append({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "ip-10-0-%d-%d.ec2.internal" % (i // 250, i % 250), "labels": {
                "node.kubernetes.io/instance-type": t,
                "topology.kubernetes.io/region": "us-east-1",
                "topology.kubernetes.io/zone": "us-east-1" + "abc"[i % 3],
                "eks.amazonaws.com/nodegroup": group + ("-spot" if spot else ""),
                "eks.amazonaws.com/capacityType": "SPOT" if spot else "ON_DEMAND",
                "kubernetes.io/os": "linux"}},
            "status": {"capacity": {"cpu": cpu, "memory": mem, "pods": "110"},
                       "allocatable": {"cpu": cpu, "memory": mem, "pods": "110"}}})
    with open(out + "/nodes.json", "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
    pods = []
    for i in range(nodes):
        node = items[i]["metadata"]["name"]
        for j in range(per):
            ns = "team-%02d" % rnd.randrange(40)
            dep = "app-%03d" % rnd.randrange(400)
            rs = dep + "-7d4b9c8f6"
            pods.append({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "%s-%05d" % (rs, i * per + j), "namespace": ns,
                             "labels": {"app": dep, "team": ns},
                             "ownerReferences": [{"kind": "ReplicaSet", "name": rs, "controller": True}]},
                "spec": {"nodeName": node, "containers": [{"name": "main", "resources": {"requests": {
                    "cpu": "%dm" % rnd.choice([50, 100, 250, 500]),
                    "memory": "%dMi" % rnd.choice([64, 128, 256, 512])}}}]},
                "status": {"phase": "Running"}})
    with open(out + "/pods.json", "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": pods}, f)


if __name__ == "__main__":
    main()
