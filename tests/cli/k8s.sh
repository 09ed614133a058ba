#!/bin/sh
# k8s.sh - `cloudtally k8s` (issue 8) on the hand-written cluster in
# tests/fixtures/k8s: four EKS nodes (two m5.large on-demand in node group
# general, a c5.large spot, a g4dn.xlarge GPU node from a Karpenter
# nodepool with legacy labels), pods running, pending, finished and without
# requests, a gp3 claim, a released gp2 volume, a claim bound to a volume
# not in the file, an NLB and a CLB service and an ALB ingress.
#
# Expected figures by hand from the catalog's price facts: m5.large
# $0.096/h x 730 = $70.08, c5.large spot $0.03485/h = $25.4405,
# g4dn.xlarge $0.526/h = $383.98, EKS $73.00; gp3 20 GB x $0.08 = $1.60,
# gp2 100 GB x $0.10 = $10.00, gp3 50 GB = $4.00; NLB and ALB $0.0225/h
# = $16.425, CLB $0.025/h = $18.25. Cluster = 73 + 549.5805 + 15.60 +
# 51.10 = $689.2805. Spot: m5.large $0.03264/h = $23.8272 a node,
# g4dn.xlarge $0.18936/h = $138.2328. The allocations are checked against
# an independent computation (below, in Python with fractions) of
# OpenCost's ratio split and request shares, and the sums exactly.
. "$CT_SRCDIR/tests/cli/lib.sh"

FX="$CT_SRCDIR/tests/fixtures/k8s"
ALL="--nodes $FX/nodes.json --pods $FX/pods.json --pvs $FX/volumes.json --services $FX/services.json"

# shellcheck disable=SC2086
expect_exit 0 "text report" "$CT" k8s $ALL
check "text: cluster total" contains "$TMP/out" "Cluster  *\$689.28"
check "text: control plane" contains "$TMP/out" "Control plane (eks)  *\$73.00"
check "text: idle line" contains "$TMP/out" "__idle__"
check "text: spot projection band" contains "$TMP/out" "general  *m5.large  *2  *\$140.16  *\$47.65  *\$92.51  *15-20%"
check "text: request-less pod named" contains "$TMP/out" "batch/scratch"
# shellcheck disable=SC2086
expect_exit 0 "json" "$CT" k8s $ALL --format json
cp "$TMP/out" "$TMP/base.json"

check "json: contract and hand figures" python3 -c '
import json, sys
from decimal import Decimal as D
d = json.load(open(sys.argv[1]), parse_float=D)
for k in ("cluster_monthly_cost", "control_plane_monthly_cost", "nodes", "allocations",
          "idle_monthly_cost", "shared_monthly_cost", "spot_savings"):
    assert k in d, k
assert d["cluster_monthly_cost"] == D("689.2805"), d["cluster_monthly_cost"]
assert d["control_plane_monthly_cost"] == D("73.00")
assert d["nodes_monthly_cost"] == D("549.5805")
assert d["persistent_volumes_monthly_cost"] == D("15.60")
assert d["load_balancers_monthly_cost"] == D("51.10")
n = {x["name"]: x for x in d["nodes"]}
for x in d["nodes"]:
    for k in ("name", "instance_type", "region", "capacity_type", "monthly_cost", "cpu_cores", "memory_gib"):
        assert k in x, k
a, b = n["ip-10-0-1-10.ec2.internal"], n["ip-10-0-2-20.ec2.internal"]
s, g = n["ip-10-0-3-30.ec2.internal"], n["ip-10-0-4-40.ec2.internal"]
assert (a["instance_type"], a["capacity_type"], a["monthly_cost"], a["cpu_cores"], a["memory_gib"]) == \
    ("m5.large", "on-demand", D("70.08"), 2, 8), a
assert b["memory_gib"] == 8 and b["zone"] == "us-east-1b"
assert (s["instance_type"], s["capacity_type"], s["monthly_cost"]) == ("c5.large", "spot", D("25.4405")), s
assert (g["instance_type"], g["region"], g["zone"], g["gpus"], g["monthly_cost"], g["node_group"]) == \
    ("g4dn.xlarge", "us-east-1", "us-east-1c", 1, D("383.98"), "gpu"), g
sp = {x["node_group"]: x for x in d["spot_savings"]}
assert sorted(sp) == ["general", "gpu"], sorted(sp)
assert (sp["general"]["nodes"], sp["general"]["on_demand_monthly_cost"], sp["general"]["spot_monthly_cost"],
        sp["general"]["monthly_savings"], sp["general"]["interruption_band"], sp["general"]["zones"]) == \
    (2, D("140.16"), D("47.6544"), D("92.5056"), "15-20%", "us-east-1a, us-east-1b"), sp["general"]
assert (sp["gpu"]["on_demand_monthly_cost"], sp["gpu"]["spot_monthly_cost"]) == (D("383.98"), D("138.2328"))
assert d["spot_savings_monthly_total"] == D("92.5056") + D("245.7472")
v = {x["name"]: x for x in d["persistent_volumes"]}
assert v["pvc-0a1b2c3d"]["monthly_cost"] == D("1.60") and v["pvc-0a1b2c3d"]["ebs_type"] == "gp3"
assert v["pv-old-logs"]["monthly_cost"] == D("10.00") and v["pv-old-logs"]["ebs_type"] == "gp2"
assert v["ml/datasets"]["monthly_cost"] == D("4.00")
l = {x["name"]: x for x in d["load_balancers"]}
assert (l["shop/web"]["kind"], l["shop/web"]["monthly_cost"]) == ("nlb", D("16.425"))
assert (l["batch/legacy"]["kind"], l["batch/legacy"]["monthly_cost"]) == ("clb", D("18.25"))
assert (l["alb group shop"]["kind"], l["alb group shop"]["monthly_cost"]) == ("alb", D("16.425"))
assert d["pods"] == {"finished": 2, "no_requests": 1, "other": 0, "pending": 1, "running": 9,
                     "unknown_node": 0}, d["pods"]
al = {x["name"]: x for x in d["allocations"]}
assert sorted(al) == ["__idle__", "batch", "ml", "shop"], sorted(al)
for x in d["allocations"]:
    for k in ("name", "monthly_cost", "cpu_request_cores", "memory_request_gib"):
        assert k in x, k
assert (al["shop"]["pods"], al["shop"]["cpu_request_cores"], al["shop"]["memory_request_gib"]) == (3, 2, 4)
assert al["shop"]["volume_cost"] == D("1.60") and al["shop"]["load_balancer_cost"] == D("32.85")
assert al["batch"]["volume_cost"] == D("10.00") and al["batch"]["load_balancer_cost"] == D("18.25")
assert al["ml"]["volume_cost"] == D("4.00") and al["ml"]["gpu_request"] == 1
assert [x["name"] for x in d["shared"]] == ["kube-system"]
' "$TMP/base.json"

check "json: allocated + shared + idle = nodes + volumes + LBs, exactly" python3 -c '
import json, sys
from decimal import Decimal as D
d = json.load(open(sys.argv[1]), parse_float=D)
assets = d["nodes_monthly_cost"] + d["persistent_volumes_monthly_cost"] + d["load_balancers_monthly_cost"]
assert d["allocated_monthly_cost"] + d["shared_monthly_cost"] + d["idle_monthly_cost"] == assets
assert sum(a["monthly_cost"] for a in d["allocations"]) == assets == d["cluster_monthly_cost"] - d["control_plane_monthly_cost"]
for a in d["allocations"]:
    assert a["monthly_cost"] == sum(a[k] for k in ("cpu_cost", "memory_cost", "gpu_cost", "volume_cost",
                                                   "load_balancer_cost", "shared_cost", "idle_cost")), a
assert sum(a["shared_cost"] for a in d["allocations"]) == d["shared_monthly_cost"]
for n in d["nodes"]:
    assert n["allocated_monthly_cost"] + n["idle_monthly_cost"] == n["monthly_cost"], n
    assert n["cpu_cost"] + n["memory_cost"] + n["gpu_cost"] == n["monthly_cost"], n
assert d["idle"]["cpu_cost"] + d["idle"]["memory_cost"] + d["idle"]["gpu_cost"] == d["idle_monthly_cost"]
' "$TMP/base.json"

# An independent computation of the allocation: OpenCost's ratio split of
# each node and request shares, in exact fractions, from the fixture files.
cat >"$TMP/oracle.py" <<'EOF'
import json, sys
from fractions import Fraction as F
from decimal import Decimal
fx, got = sys.argv[1], sys.argv[2]
def q(s):  # the quantity forms the fixture uses
    s = str(s)
    for suf, m in (("Ki", 2**10), ("Mi", 2**20), ("Gi", 2**30), ("m", F(1, 1000))):
        if s.endswith(suf):
            return F(s[:-len(suf)]) * m
    return F(s)
hourly = {"m5.large": F("0.096"), "c5.large": F("0.03485"), "g4dn.xlarge": F("0.526")}
nodes = {}
for n in json.load(open(fx + "/nodes.json"))["items"]:
    lab, cap = n["metadata"]["labels"], n["status"]["capacity"]
    t = lab.get("node.kubernetes.io/instance-type") or lab["beta.kubernetes.io/instance-type"]
    price = hourly[t] * 730
    c, m, g = q(cap["cpu"]), q(cap["memory"]) / 2**30, q(cap.get("nvidia.com/gpu", 0))
    M = c * F("0.031611") + m * F("0.004237") + g * F("0.95")
    parts = [price * c * F("0.031611") / M, price * m * F("0.004237") / M, price * g * F("0.95") / M]
    nodes[n["metadata"]["name"]] = {"cap": [c, m, g], "part": parts, "pods": []}
usage = {}
for f in sys.argv[3:]:
    res, path = f.split("=", 1)
    for s in json.load(open(path))["data"]["result"]:
        mt = s["metric"]
        if s["value"][1] == "NaN" or not mt.get("container") or mt["container"] == "POD":
            continue
        k = (mt["namespace"], mt["pod"], mt["container"])
        v = F(s["value"][1]) if res == "cpu" else F(s["value"][1]) / 2**30
        usage.setdefault(k, {})[res] = max(v, usage.get(k, {}).get(res, 0))
pods = []
for p in json.load(open(fx + "/pods.json"))["items"]:
    if p["status"]["phase"] != "Running" or not p["spec"].get("nodeName"):
        continue
    ns, name = p["metadata"]["namespace"], p["metadata"]["name"]
    w = [F(0), F(0), F(0)]
    for c in p["spec"]["containers"]:
        r = c["resources"].get("requests", {})
        lim = c["resources"].get("limits", {})
        u = usage.get((ns, name, c["name"]), {})
        cpu = q(r.get("cpu", lim.get("cpu", 0)))
        mem = q(r.get("memory", lim.get("memory", 0))) / 2**30
        w[0] += max(cpu, u.get("cpu", 0))
        w[1] += max(mem, u.get("memory", 0))
        w[2] += q(r.get("nvidia.com/gpu", lim.get("nvidia.com/gpu", 0)))
    pod = {"ns": ns, "w": w, "cost": F(0), "node": p["spec"]["nodeName"]}
    pods.append(pod)
    nodes[pod["node"]]["pods"].append(pod)
idle = F(0)
for n in nodes.values():
    for r in range(3):
        tot = sum(p["w"][r] for p in n["pods"])
        den = max(tot, n["cap"][r])
        if den == 0:
            idle += n["part"][r]
            continue
        for p in n["pods"]:
            p["cost"] += n["part"][r] * p["w"][r] / den
        idle += n["part"][r] * (den - tot) / den
own = {}
for p in pods:
    own[p["ns"]] = own.get(p["ns"], 0) + p["cost"]
# volumes and load balancers, worked out from the fixture by hand:
own["shop"] += F("1.60") + F("16.425") * 2   # data-db-0; the NLB and ALB to the web pods
own["batch"] += F("10.00") + F("18.25")      # the released gp2 volume, the CLB: by namespace
own["ml"] += F("4.00")                       # the datasets claim, mounted by trainer-0
shared = own.pop("kube-system")
tenants = sum(own.values())
total = {k: v + shared * v / tenants for k, v in own.items()}
total["__idle__"] = idle
d = json.load(open(got))
al = {a["name"]: Decimal(str(a["monthly_cost"])) for a in d["allocations"]}
bad = [(k, float(v), float(al.get(k, -1))) for k, v in total.items() if abs(v - F(al.get(k, -1))) > F(1, 10**6)]
assert not bad, bad
assert sorted(al) == sorted(total), (sorted(al), sorted(total))
EOF
check "json: allocations = the independent computation" python3 "$TMP/oracle.py" "$FX" "$TMP/base.json"

# shellcheck disable=SC2086
expect_exit 0 "json with Prometheus usage" "$CT" k8s $ALL --usage "cpu=$FX/usage-cpu.json" \
	--usage "$FX/usage-memory.json" --format json
cp "$TMP/out" "$TMP/usage.json"
check "usage: allocations = the independent computation" python3 "$TMP/oracle.py" "$FX" \
	"$TMP/usage.json" "cpu=$FX/usage-cpu.json" "memory=$FX/usage-memory.json"
check "usage: web's 800m and trainer's 12 GiB of usage" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
al = {a["name"]: a for a in d["allocations"]}
assert d["usage"] is True
assert al["shop"]["cpu_usage_cores"] == 0.8, al["shop"]
assert al["ml"]["memory_usage_gib"] == 12, al["ml"]
assert al["shop"]["cpu_request_cores"] == 2
' "$TMP/usage.json"

# shellcheck disable=SC2086
expect_exit 0 "by controller" "$CT" k8s $ALL --by controller --format json
check "controllers: deployments from ReplicaSet names, statefulsets, bare pods" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = sorted(a["name"] for a in d["allocations"])
want = ["__idle__", "__unallocated__", "__unmounted__", "batch/deployment/worker", "ml/statefulset/trainer",
        "shop/deployment/web", "shop/statefulset/db"]
assert names == want, names
al = {a["name"]: a for a in d["allocations"]}
assert al["shop/deployment/web"]["pods"] == 2
assert float(al["__unmounted__"]["monthly_cost"]) == 28.25  # the released volume and the CLB
' "$TMP/out"
# shellcheck disable=SC2086
expect_exit 0 "by label, batch shared, idle shared" "$CT" k8s $ALL --by label:team \
	--shared batch --share-idle --format json
check "label: teams, batch spread, no idle left" python3 -c '
import json, sys
from decimal import Decimal as D
d = json.load(open(sys.argv[1]), parse_float=D)
names = sorted(a["name"] for a in d["allocations"])
assert names == ["ml", "shop"], names  # batch, with its volume and CLB, is shared
assert sorted(s["name"] for s in d["shared"]) == ["batch", "kube-system"]
assert d["idle"]["shared"] is True
assert sum(a["idle_cost"] for a in d["allocations"]) == d["idle_monthly_cost"]
assert sum(a["monthly_cost"] for a in d["allocations"]) == d["cluster_monthly_cost"] - d["control_plane_monthly_cost"]
' "$TMP/out"
# shellcheck disable=SC2086
expect_exit 0 "control plane none, markdown" "$CT" k8s $ALL --control-plane none --format markdown
check "markdown: headings and a table" contains "$TMP/out" "^## Allocation by namespace"
check "markdown: no control plane cost" grep -qF '| Control plane (none) | \$0.00 |' "$TMP/out"
check "markdown: names escaped" contains "$TMP/out" "\\\\_\\\\_idle\\\\_\\\\_"
# shellcheck disable=SC2086
expect_exit 0 "csv" "$CT" k8s $ALL --format csv
check "csv: header, rows and a total equal to the cluster less the control plane" python3 -c '
import csv, sys
from decimal import Decimal as D
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows[-1]["name"] == "total"
assert sum(D(r["monthly_cost"]) for r in rows[:-1]) == D(rows[-1]["monthly_cost"]) == D("616.2805")
assert [r["name"] for r in rows[:-1]] == ["ml", "shop", "batch", "__idle__"]
' "$TMP/out"

# the same pv,pvc file given to --pvs and --pvcs; gzip; standard input
gzip -c "$FX/pods.json" >"$TMP/pods.json.gz"
expect_exit 0 "--pvs and --pvcs the same file, gzip pods, nodes on stdin" sh -c \
	"\"$CT\" k8s --nodes - --pods \"$TMP/pods.json.gz\" --pvs \"$FX/volumes.json\" --pvcs \"$FX/volumes.json\" --services \"$FX/services.json\" --format json <\"$FX/nodes.json\""
check "... same figures" python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["allocations"] == b["allocations"] and a["cluster_monthly_cost"] == b["cluster_monthly_cost"]
' "$TMP/out" "$TMP/base.json"

# nodes without labels: --region; the pods alone
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for n in d["items"]:
    for k in list(n["metadata"]["labels"]):
        if "region" in k or "zone" in k:
            del n["metadata"]["labels"][k]
    del n["spec"]["providerID"]
json.dump(d, open(sys.argv[2], "w"))
' "$FX/nodes.json" "$TMP/noregion.json"
expect_exit 0 "no region labels, no --region" "$CT" k8s --nodes "$TMP/noregion.json" --pods "$FX/pods.json" --format json
check "... nodes unpriced, never \$0" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unpriced_nodes"] == 4 and all(n["monthly_cost"] is None for n in d["nodes"])
assert d["control_plane_monthly_cost"] is None
' "$TMP/out"
expect_exit 0 "--region us-east-1" "$CT" k8s --nodes "$TMP/noregion.json" --pods "$FX/pods.json" \
	--region us-east-1 --format json
check "... priced" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unpriced_nodes"] == 0 and d["nodes_monthly_cost"] == 549.5805, d["nodes_monthly_cost"]
' "$TMP/out"

# bad input: exit 3 naming the file and the JSON path
expect_exit 3 "pods file as nodes" "$CT" k8s --nodes "$FX/pods.json" --pods "$FX/pods.json"
check "... names the file and the item" contains "$TMP/err" "pods.json: items\[0\]\.kind: a Pod where Node belong"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
json.dump(d["items"][0], open(sys.argv[2] + "/one.json", "w"))
d["items"][4]["spec"]["containers"][0]["resources"]["requests"]["memory"] = "1.5GB"
json.dump(d, open(sys.argv[2] + "/badq.json", "w"))
' "$FX/pods.json" "$TMP"
expect_exit 3 "a single pod, not a List" "$CT" k8s --nodes "$FX/nodes.json" --pods "$TMP/one.json"
check "... says so" contains "$TMP/err" "one.json: kind: a single Pod, not a List"
expect_exit 3 "a bad quantity" "$CT" k8s --nodes "$FX/nodes.json" --pods "$TMP/badq.json"
check "... names the JSON path" contains "$TMP/err" "badq.json: items\[4\]\.spec\.containers\[0\]\.resources\.requests\.memory: bad quantity '1.5GB'"
printf '{"kind":"List","items":[' >"$TMP/trunc.json"
expect_exit 3 "truncated JSON" "$CT" k8s --nodes "$TMP/trunc.json" --pods "$FX/pods.json"
check "... names the file and line" contains "$TMP/err" "trunc.json:1: not valid JSON"
expect_exit 3 "services in the volumes file" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --pvs "$FX/services.json"
expect_exit 3 "a usage file it cannot place" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --usage "$FX/usage-cpu.json"
check "... asks for cpu= or memory=" contains "$TMP/err" "give the file as cpu=FILE or memory=FILE"
expect_exit 3 "an empty List of nodes" sh -c "echo '{\"kind\":\"List\",\"items\":[]}' | \"$CT\" k8s --nodes - --pods \"$FX/pods.json\""
expect_exit 6 "a missing file" "$CT" k8s --nodes "$TMP/none.json" --pods "$FX/pods.json"
expect_exit 2 "no --pods" "$CT" k8s --nodes "$FX/nodes.json"
expect_exit 2 "bad --by" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --by team
expect_exit 2 "bad --format" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --format xlsx
expect_exit 2 "bad --control-plane" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --control-plane gke
expect_exit 2 "an extra argument" "$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" extra
# the snapshot ingested: the monthly report carries the same cluster
KDB="$TMP/k.db"
have_shared
python3 "$CT_SHARED/tools/gen-focus" --rows 2000 --month 2026-10 --seed 3 --out "$TMP/m.csv" >/dev/null
expect_exit 0 "ingest billing and the kubectl Lists" "$CT" --db "$KDB" ingest "$TMP/m.csv" "$FX"
check "kubectl Lists recognised" sh -c 'test "$(grep -c ": kubectl, " "$1")" -eq 4' sh "$TMP/out"
check "Prometheus answers are not inventories: skipped" contains "$TMP/out" "usage-cpu.json: not an inventory"
"$CT" k8s --nodes "$FX/nodes.json" --pods "$FX/pods.json" --pvs "$FX/volumes.json" --services "$FX/services.json" --format json >"$TMP/kc.json"
CLOUDTALLY_NOW=2026-11-15T00:00:00Z "$CT" --db "$KDB" report --format json >"$TMP/kr.json"
check "report JSON: kubernetes = k8s --format json, cluster \$689.2805" python3 -c '
import json, sys
from decimal import Decimal as D
a = json.load(open(sys.argv[1]), parse_float=D)["kubernetes"]
b = json.load(open(sys.argv[2]), parse_float=D)
assert a == b, "differ"
assert a["cluster_monthly_cost"] == D("689.2805"), a["cluster_monthly_cost"]
' "$TMP/kr.json" "$TMP/kc.json"
CLOUDTALLY_NOW=2026-11-15T00:00:00Z "$CT" --db "$KDB" report >"$TMP/kr.txt"
check "text report: a Kubernetes section with the cluster cost" grep -q "^  Cluster monthly cost  *\$689.28$" "$TMP/kr.txt"
CLOUDTALLY_NOW=2026-11-15T00:00:00Z "$CT" --db "$KDB" report --format csv >"$TMP/kr.csv"
check "CSV report: the cluster row" grep -q "^k8s_cluster,,,689.280500,," "$TMP/kr.csv"
CLOUDTALLY_NOW=2026-11-15T00:00:00Z "$CT" --db "$KDB" report --format html >"$TMP/kr.html"
check "HTML report: the Kubernetes section, in the contents" sh -c 'grep -q "<a href=\"#kubernetes\">Kubernetes</a>" "$1" && grep -q "<strong>\$689.28</strong> a month" "$1"' sh "$TMP/kr.html"
expect_exit 0 "export with the snapshot" "$CT" --db "$KDB" export -o "$TMP/k.xlsx"
cat >"$TMP/kx.py" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = [n for n, _ in re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', wb)]
assert "Kubernetes" in names, names
x = z.read("xl/worksheets/sheet%d.xml" % (names.index("Kubernetes") + 1)).decode()
m = re.search(r"<c r=\"J(\d+)\"[^>]*><f>SUM\(J5:J(\d+)\)</f><v>([0-9.]+)</v>", x)
assert m, x[-1500:]
# the allocations total the cluster less the EKS control plane: 689.2805 - 73
assert abs(float(m.group(3)) - 616.2805) < 1e-6, m.group(3)
EOF
check "workbook: a Kubernetes sheet whose total formula is the cluster less the control plane" python3 "$TMP/kx.py" "$TMP/k.xlsx"
# a later snapshot replaces a kind; a bad List fails the whole ingest
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["items"] = d["items"][:1]
json.dump(d, open(sys.argv[2], "w"))
' "$FX/nodes.json" "$TMP/nodes1.json"
expect_exit 0 "ingest a one-node snapshot" "$CT" --db "$KDB" ingest "$TMP/nodes1.json"
check "the nodes snapshot was replaced, the others kept" test "$(sqlite3 "$KDB" "SELECT group_concat(kind, ',') FROM (SELECT kind FROM k8s_doc ORDER BY kind)")" = "nodes,pods,services,volumes"
CLOUDTALLY_NOW=2026-11-15T00:00:00Z "$CT" --db "$KDB" report --format json >"$TMP/kr2.json"
check "the report prices the one node" python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kubernetes"]
assert len(k["nodes"]) == 1, len(k["nodes"])
' "$TMP/kr2.json"
sed 's/"cpu": "2"/"cpu": "2 cores"/' "$FX/nodes.json" >"$TMP/badnodes.json"
before=$(sqlite3 "$KDB" "SELECT count(*), sum(length(body)) FROM k8s_doc")
expect_exit 3 "a bad kubectl List" "$CT" --db "$KDB" ingest "$TMP/badnodes.json"
check "bad List: file and JSON path named" grep -q "badnodes.json: items\[0\]" "$TMP/err"
check "bad List: store unchanged" test "$(sqlite3 "$KDB" "SELECT count(*), sum(length(body)) FROM k8s_doc")" = "$before"
expect_exit 0 "db check" "$CT" --db "$KDB" db check

expect_exit 0 "help" "$CT" help k8s
check "help: synopsis" contains "$TMP/out" "^usage: cloudtally k8s --nodes FILE --pods FILE"
finish
