/*
 * check_inventory.c - the inventory and metrics readers (src/inventory.c)
 * through the ingest run: each AWS CLI shape on small hand-written files,
 * expected rows worked out by hand from their text; snapshot and metric
 * replacement rules; bad input naming the file (and line) and leaving the
 * store unchanged.
 */
#include "ct.h"
#include "ingest.h"
#include "inventory.h"
#include "store.h"
#include "testlib.h"

static struct ct_store *st;
static char *dir;

static void setup(void)
{
	struct ct_err err;
	char *path;

	dir = ct_test_tmpdir();
	path = ct_xasprintf("%s/t.db", dir);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_ptr_nonnull(st);
	free(path);
}

static void teardown(void)
{
	ct_store_close(st);
	free(dir);
}

/* The first column of the first row of sql, as text ("" for no row,
 * "NULL" for null). Static buffer. */
static const char *q1(const char *sql)
{
	static char buf[1024];
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(st, sql, &err);
	int r;

	ck_assert_msg(q != NULL, "%s: %s", sql, err.msg);
	r = ct_stmt_step(q, &err);
	ck_assert_int_ge(r, 0);
	if (r == 0)
		buf[0] = '\0';
	else
		snprintf(buf, sizeof(buf), "%s",
			 ct_stmt_is_null(q, 0) ? "NULL" : ct_stmt_text(q, 0));
	ct_stmt_finalize(q);
	return buf;
}

#define EQ(sql, want) ck_assert_str_eq(q1(sql), want)

/* Ingest named files (name, text pairs) in one run with the defaults. */
static int run_defaults(const char *account, const char *region,
			const char *const *files, size_t n, struct ct_err *err)
{
	struct ct_ingest *ing = ct_ingest_begin(st, err);
	int rc = CT_OK;

	ck_assert_ptr_nonnull(ing);
	ct_ingest_set_defaults(ing, account, region);
	for (size_t i = 0; i + 1 < n && rc == CT_OK; i += 2) {
		char *path = ct_test_write(dir, files[i], files[i + 1]);
		rc = ct_ingest_file(ing, path, NULL, err);
		free(path);
	}
	if (rc != CT_OK) {
		ct_ingest_abort(ing);
		return rc;
	}
	return ct_ingest_commit(ing, NULL, err);
}

static int run(const char *name, const char *text, struct ct_err *err)
{
	const char *f[2] = {name, text};
	return run_defaults(NULL, NULL, f, 2, err);
}

#define OK(name, text)                                                         \
	do {                                                                   \
		struct ct_err e_;                                              \
		int rc_ = run(name, text, &e_);                                \
		ck_assert_msg(rc_ == CT_OK, "%s: %s:%ld: %s", name, e_.source, \
			      e_.line, e_.msg);                                \
	} while (0)

static const char instances[] =
	"{\n"
	" \"Reservations\": [\n"
	"  {\"OwnerId\": \"111111111111\", \"Instances\": [\n"
	"   {\"InstanceId\": \"i-a\", \"InstanceType\": \"m5.large\",\n"
	"    \"State\": {\"Code\": 16, \"Name\": \"running\"},\n"
	"    \"Placement\": {\"AvailabilityZone\": \"us-east-1b\"},\n"
	"    \"LaunchTime\": \"2026-01-15T08:00:00+00:00\",\n"
	"    \"PlatformDetails\": \"Linux/UNIX\",\n"
	"    \"Tags\": [{\"Key\": \"Name\", \"Value\": \"web\"}, {\"Key\": \"Env\", \"Value\": \"prod\"}]},\n"
	"   {\"InstanceId\": \"i-b\", \"InstanceType\": \"t3.micro\",\n"
	"    \"State\": {\"Code\": 80, \"Name\": \"stopped\"},\n"
	"    \"StateTransitionReason\": \"User initiated (2026-09-01 10:00:00 GMT)\",\n"
	"    \"Placement\": {\"AvailabilityZone\": \"us-gov-west-1a\"}}\n"
	"  ]},\n"
	"  {\"OwnerId\": \"222222222222\", \"Instances\": [\n"
	"   {\"InstanceId\": \"i-c\", \"InstanceType\": \"c5.xlarge\",\n"
	"    \"State\": {\"Name\": \"running\"},\n"
	"    \"Placement\": {\"AvailabilityZone\": \"ap-southeast-2c\"}}\n"
	"  ]}\n"
	" ]\n"
	"}\n";

START_TEST(test_instances)
{
	OK("instances.json", instances);
	EQ("SELECT count(*) FROM resource WHERE kind = 'instance'", "3");
	EQ("SELECT account_id || ' ' || region || ' ' || availability_zone || ' ' ||"
	   " state || ' ' || instance_type || ' ' || platform || ' ' || name"
	   " FROM resource WHERE resource_id = 'i-a'",
	   "111111111111 us-east-1 us-east-1b running m5.large Linux/UNIX web");
	/* 2026-01-15 is day 20468; 08:00 adds 28800 s */
	EQ("SELECT created_at FROM resource WHERE resource_id = 'i-a'",
	   "1768464000");
	EQ("SELECT tags FROM resource WHERE resource_id = 'i-a'",
	   "{\"Env\":\"prod\",\"Name\":\"web\"}");
	/* 2026-09-01 10:00:00 = day 20697 * 86400 + 36000 */
	EQ("SELECT state || ' ' || state_since || ' ' || region || ' ' || tags"
	   " FROM resource WHERE resource_id = 'i-b'",
	   "stopped 1788256800 us-gov-west-1 {}");
	EQ("SELECT account_id || ' ' || region FROM resource WHERE resource_id = 'i-c'",
	   "222222222222 ap-southeast-2");
	EQ("SELECT state_since FROM resource WHERE resource_id = 'i-c'", "NULL");
}
END_TEST

static const char volumes[] =
	"{\"Volumes\": [\n"
	" {\"VolumeId\": \"vol-1\", \"Size\": 100, \"VolumeType\": \"gp3\", \"Iops\": 3000,\n"
	"  \"AvailabilityZone\": \"eu-west-1a\", \"State\": \"in-use\",\n"
	"  \"CreateTime\": \"2026-02-01T10:00:00.000Z\",\n"
	"  \"Attachments\": [{\"InstanceId\": \"i-a\", \"State\": \"attached\"}]},\n"
	" {\"VolumeId\": \"vol-2\", \"Size\": 8, \"VolumeType\": \"io1\",\n"
	"  \"AvailabilityZone\": \"eu-west-1b\", \"State\": \"available\", \"Attachments\": []}\n"
	"]}\n";

START_TEST(test_volumes)
{
	OK("vol-333333333333.json", volumes);
	EQ("SELECT group_concat(resource_id || ':' || state || ':' || coalesce(attached_to, '-'), ' ')"
	   " FROM (SELECT * FROM resource WHERE kind = 'volume' ORDER BY resource_id)",
	   "vol-1:in-use:i-a vol-2:available:-");
	EQ("SELECT size_gb || ' ' || iops || ' ' || volume_type || ' ' || region || ' ' || account_id"
	   " FROM resource WHERE resource_id = 'vol-1'",
	   "100.0 3000 gp3 eu-west-1 333333333333");
	EQ("SELECT coalesce(iops, 'none') FROM resource WHERE resource_id = 'vol-2'", "none");
}
END_TEST

static const char addresses[] =
	"{\"Addresses\": [\n"
	" {\"AllocationId\": \"eipalloc-1\", \"PublicIp\": \"198.51.100.1\",\n"
	"  \"AssociationId\": \"eipassoc-1\", \"InstanceId\": \"i-a\"},\n"
	" {\"AllocationId\": \"eipalloc-2\", \"PublicIp\": \"198.51.100.2\"},\n"
	" {\"PublicIp\": \"198.51.100.3\", \"NetworkBorderGroup\": \"us-west-2\"}\n"
	"]}\n";

START_TEST(test_addresses)
{
	struct ct_err err;
	const char *f[2] = {"addresses-eu-central-1.json", addresses};

	ck_assert_int_eq(run_defaults("444444444444", NULL, f, 2, &err), CT_OK);
	EQ("SELECT group_concat(resource_id || ':' || state || ':' || region || ':' || account_id, ' ')"
	   " FROM (SELECT * FROM resource WHERE kind = 'address' ORDER BY resource_id)",
	   "198.51.100.3:unassociated:us-west-2:444444444444 "
	   "eipalloc-1:associated:eu-central-1:444444444444 "
	   "eipalloc-2:unassociated:eu-central-1:444444444444");
	EQ("SELECT attached_to || ' ' || association_id FROM resource WHERE resource_id = 'eipalloc-1'",
	   "i-a eipassoc-1");
}
END_TEST

START_TEST(test_addresses_no_place)
{
	OK("addresses.json", addresses);
	EQ("SELECT count(*) FROM resource WHERE account_id = '' AND region = ''", "2");
}
END_TEST

static const char snapshots[] =
	"{\"Snapshots\": [\n"
	" {\"SnapshotId\": \"snap-1\", \"VolumeId\": \"vol-1\", \"VolumeSize\": 50,\n"
	"  \"StartTime\": \"2026-05-01T00:00:00Z\", \"State\": \"completed\",\n"
	"  \"OwnerId\": \"555555555555\", \"StorageTier\": \"standard\"}\n"
	"]}\n";

START_TEST(test_snapshots)
{
	struct ct_err err;
	const char *f[2] = {"snapshots.json", snapshots};

	ck_assert_int_eq(run_defaults(NULL, "us-east-2", f, 2, &err), CT_OK);
	/* 2026-05-01 is day 20574 */
	EQ("SELECT resource_id || ' ' || attached_to || ' ' || size_gb || ' ' || created_at"
	   " || ' ' || account_id || ' ' || region || ' ' || state FROM resource",
	   "snap-1 vol-1 50.0 1777593600 555555555555 us-east-2 completed");
}
END_TEST

static const char dbs[] =
	"{\"DBInstances\": [\n"
	" {\"DBInstanceIdentifier\": \"orders\", \"DBInstanceClass\": \"db.m5.large\",\n"
	"  \"Engine\": \"postgres\", \"DBInstanceStatus\": \"available\",\n"
	"  \"AllocatedStorage\": 100, \"StorageType\": \"gp2\", \"MultiAZ\": true,\n"
	"  \"AvailabilityZone\": \"us-east-1a\",\n"
	"  \"InstanceCreateTime\": \"2026-01-01T00:00:00Z\",\n"
	"  \"DBInstanceArn\": \"arn:aws:rds:us-east-1:666666666666:db:orders\",\n"
	"  \"TagList\": [{\"Key\": \"Name\", \"Value\": \"not-the-id\"}]},\n"
	" {\"DBInstanceIdentifier\": \"bare\", \"MultiAZ\": false, \"AvailabilityZone\": \"eu-west-2b\"}\n"
	"]}\n";

START_TEST(test_db_instances)
{
	OK("rds.json", dbs);
	EQ("SELECT name || ' ' || account_id || ' ' || region || ' ' || db_class || ' ' ||"
	   " engine || ' ' || state || ' ' || size_gb || ' ' || multi_az || ' ' || tags"
	   " FROM resource WHERE resource_id = 'arn:aws:rds:us-east-1:666666666666:db:orders'",
	   "orders 666666666666 us-east-1 db.m5.large postgres available 100.0 1 "
	   "{\"Name\":\"not-the-id\"}");
	EQ("SELECT resource_id || ' ' || region || ' ' || multi_az || ' [' || account_id || ']'"
	   " FROM resource WHERE name = 'bare'", "bare eu-west-2 0 []");
}
END_TEST

static const char lbs[] =
	"{\"LoadBalancers\": [\n"
	" {\"LoadBalancerArn\": \"arn:aws:elasticloadbalancing:eu-west-1:777777777777:loadbalancer/app/web/50dc6c495c0c9188\",\n"
	"  \"LoadBalancerName\": \"web\", \"Type\": \"application\",\n"
	"  \"State\": {\"Code\": \"active\"}, \"CreatedTime\": \"2026-03-01T00:00:00.000Z\"}\n"
	"]}\n";

START_TEST(test_load_balancers)
{
	OK("lbs.json", lbs);
	EQ("SELECT name || ' ' || account_id || ' ' || region || ' ' || lb_type || ' ' || state"
	   " FROM resource WHERE kind = 'load_balancer'",
	   "web 777777777777 eu-west-1 application active");
}
END_TEST

static const char health_wrapped[] =
	"{\"LoadBalancerArn\": \"arn:lb/x\", \"TargetGroupArn\": \"arn:tg/1\",\n"
	" \"TargetHealthDescriptions\": [\n"
	"  {\"Target\": {\"Id\": \"i-a\"}, \"TargetHealth\": {\"State\": \"healthy\"}},\n"
	"  {\"Target\": {\"Id\": \"i-b\"}, \"TargetHealth\": {\"State\": \"unhealthy\"}},\n"
	"  {\"Target\": {\"Id\": \"i-c\"}, \"TargetHealth\": {\"State\": \"healthy\"}}\n"
	"]}\n";
static const char health_bare[] = "{\"TargetHealthDescriptions\": []}\n";

START_TEST(test_target_health)
{
	struct ct_err err;

	OK("th.json", health_wrapped);
	EQ("SELECT load_balancer || ' ' || target_group || ' ' || targets || ' ' || healthy"
	   " FROM lb_target_health", "arn:lb/x arn:tg/1 3 2");
	OK("target-health.idle-lb.json", health_bare);
	EQ("SELECT targets || ' ' || healthy || ' [' || target_group || ']'"
	   " FROM lb_target_health WHERE load_balancer = 'idle-lb'", "0 0 []");
	/* no wrapper and no name: which load balancer is unknown */
	ck_assert_int_eq(run("health.json", health_bare, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.source, "health.json"));
	ck_assert_ptr_nonnull(strstr(err.msg, "which load balancer"));
}
END_TEST

/* Two CPU samples on 2026-10-01 (day 20727) average to 15; network
 * bytes add up; a bare Label is CPUUtilization; Id stands in for an
 * empty Label. */
static const char metrics[] =
	"{\"MetricDataResults\": [\n"
	" {\"Id\": \"m0\", \"Label\": \"i-a\",\n"
	"  \"Timestamps\": [\"2026-10-01T00:00:00Z\", \"2026-10-01T12:00:00Z\", \"2026-10-02T00:00:00Z\"],\n"
	"  \"Values\": [10, 20, 7.5], \"StatusCode\": \"Complete\"},\n"
	" {\"Id\": \"m1\", \"Label\": \"i-a NetworkIn\",\n"
	"  \"Timestamps\": [\"2026-10-01T00:00:00Z\", \"2026-10-01T06:00:00Z\"],\n"
	"  \"Values\": [1000, 2500]},\n"
	" {\"Id\": \"rdsx\", \"Label\": \"\",\n"
	"  \"Timestamps\": [\"2026-10-01T00:00:00Z\"], \"Values\": [3]}\n"
	"]}\n";

START_TEST(test_metrics_json)
{
	OK("cw.json", metrics);
	EQ("SELECT count(*) FROM metric_day", "4");
	EQ("SELECT value || ' ' || total || ' ' || samples || ' ' || peak FROM metric_day"
	   " WHERE resource_id = 'i-a' AND metric = 'cpu_avg_pct' AND day = 20727",
	   "15.0 30.0 2 20.0");
	EQ("SELECT value FROM metric_day WHERE resource_id = 'i-a' AND metric = 'cpu_avg_pct'"
	   " AND day = 20728", "7.5");
	EQ("SELECT value || ' ' || samples FROM metric_day WHERE metric = 'net_in_bytes'",
	   "3500.0 2");
	EQ("SELECT resource_id || ' ' || metric FROM metric_day WHERE resource_id = 'rdsx'",
	   "rdsx cpu_avg_pct");
}
END_TEST

/* Within a run, files add up; a later run replaces the day's value. */
START_TEST(test_metrics_replace)
{
	struct ct_err err;
	const char *two[4] = {
		"a.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01T01:00:00Z,CPUUtilization,10\n",
		"b.csv", "metric,value,resource_id,timestamp\ncpu_avg_pct,30,i-a,2026-10-01T02:00:00Z\n",
	};
	const char *later[2] = {
		"c.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01T05:00:00Z,CPUUtilization,4\n",
	};

	ck_assert_int_eq(run_defaults(NULL, NULL, two, 4, &err), CT_OK);
	EQ("SELECT value || ' ' || samples || ' ' || peak FROM metric_day", "20.0 2 30.0");
	ck_assert_int_eq(run_defaults(NULL, NULL, later, 2, &err), CT_OK);
	EQ("SELECT value || ' ' || samples || ' ' || peak FROM metric_day", "4.0 1 4.0");
}
END_TEST

START_TEST(test_metrics_csv)
{
	OK("m.csv", "resource_id,timestamp,metric,value\r\n"
		    "vol-1,2026-10-03T00:00:00Z,VolumeIdleTime,60\r\n"
		    "i-a,2026-10-03 10:00,NetworkOut,1e3\r\n"
		    "i-a,2026-10-03 11:00,NetworkOut,500\r\n");
	EQ("SELECT group_concat(resource_id || ':' || metric || ':' || day || ':' || value, ' ')"
	   " FROM (SELECT * FROM metric_day ORDER BY 1, 2, 3)",
	   "i-a:net_out_bytes:20729:1500.0 vol-1:VolumeIdleTime:20729:60.0");
}
END_TEST

/* A new inventory of (kind, account, region) replaces the old one; other
 * keys stay; files of one run add up. */
START_TEST(test_snapshot_semantics)
{
	struct ct_err err;
	const char *both[4] = {
		"v1.json", "{\"Volumes\": [{\"VolumeId\": \"vol-a\", \"AvailabilityZone\": \"us-east-1a\"},"
			   " {\"VolumeId\": \"vol-b\", \"AvailabilityZone\": \"us-west-2a\"}]}",
		"v2.json", "{\"Volumes\": [{\"VolumeId\": \"vol-c\", \"AvailabilityZone\": \"us-east-1b\"}]}",
	};
	const char *again[2] = {
		"v3.json", "{\"Volumes\": [{\"VolumeId\": \"vol-d\", \"AvailabilityZone\": \"us-east-1a\"}]}",
	};

	ck_assert_int_eq(run_defaults("1", NULL, both, 4, &err), CT_OK);
	EQ("SELECT group_concat(resource_id, ' ') FROM (SELECT * FROM resource ORDER BY 1)",
	   "vol-a vol-b vol-c");
	ck_assert_int_eq(run_defaults("1", NULL, again, 2, &err), CT_OK);
	EQ("SELECT group_concat(resource_id, ' ') FROM (SELECT resource_id FROM resource ORDER BY 1)",
	   "vol-b vol-d");
}
END_TEST

static const struct bad {
	const char *name, *text;
	long line;
	const char *msg;
} bads[] = {
	{"trunc.json", "{\"Volumes\": [\n {\"VolumeId\": \"vol-1\",\n", 3, "not valid JSON"},
	{"garbage.json", "{\"Volumes\": [}\n", 1, "not valid JSON"},
	{"shape.json", "{\"Foo\": []}\n", 0, "unrecognised JSON"},
	{"toparr.json", "{\"Volumes\": {}}\n", 0, "Volumes: expected an array"},
	{"elem.json", "{\"Volumes\": [1]}\n", 0, "Volumes[0]: expected an object"},
	{"noid.json", "{\"Volumes\": [{\"Size\": 1}]}\n", 0, "Volumes[0]: VolumeId is missing"},
	{"size.json", "{\"Volumes\": [{\"VolumeId\": \"v\", \"Size\": \"big\"}]}\n", 0,
	 "Volumes[0].Size: expected a number"},
	{"type.json", "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": \"i\", \"InstanceType\": 5}]}]}", 0,
	 "Reservations[0].Instances[0].InstanceType: expected a string"},
	{"time.json", "{\"Snapshots\": [{\"SnapshotId\": \"s\", \"StartTime\": \"yesterday\"}]}", 0,
	 "Snapshots[0].StartTime: expected a timestamp"},
	{"tags.json", "{\"Volumes\": [{\"VolumeId\": \"v\", \"Tags\": [{\"Key\": 1}]}]}", 0,
	 "Volumes[0].Tags[0]: expected"},
	{"maz.json", "{\"DBInstances\": [{\"DBInstanceIdentifier\": \"d\", \"MultiAZ\": \"yes\"}]}", 0,
	 "MultiAZ: expected true or false"},
	{"lens.json", "{\"MetricDataResults\": [{\"Label\": \"i-a\", \"Timestamps\": [\"2026-10-01\"], \"Values\": []}]}", 0,
	 "1 Timestamps but 0 Values"},
	{"val.json", "{\"MetricDataResults\": [{\"Label\": \"i-a\", \"Timestamps\": [\"2026-10-01\"], \"Values\": [\"x\"]}]}", 0,
	 "Values[0]: expected a number"},
	{"ts.json", "{\"MetricDataResults\": [{\"Label\": \"i-a\", \"Timestamps\": [7], \"Values\": [1]}]}", 0,
	 "Timestamps[0]: expected a timestamp"},
	{"nolabel.json", "{\"MetricDataResults\": [{\"Timestamps\": [], \"Values\": []}]}", 0,
	 "neither Label nor Id"},
	{"m1.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01,cpu,1\ni-a,notatime,cpu,1\n", 3,
	 "timestamp 'notatime'"},
	{"m2.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01,cpu,abc\n", 2, "value 'abc'"},
	{"m3.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01\n", 2, "2 fields"},
	{"m4.csv", "resource_id,timestamp,metric,value\n,2026-10-01,cpu,1\n", 2, "empty resource_id"},
	{"m5.csv", "resource_id,timestamp,metric,value\ni-a,2026-10-01,cpu,1e999\n", 2, "value '1e999'"},
};

/* Each bad file, after a good one in the same run: an error naming the
 * file (and line), and the store as it was before the run. */
START_TEST(test_bad_input)
{
	const struct bad *b = &bads[_i];
	struct ct_err err;
	const char *f[4] = {"good.json", volumes, b->name, b->text};
	int rc;

	OK("first.json", instances);
	rc = run_defaults(NULL, NULL, f, 4, &err);
	ck_assert_msg(rc == CT_E_INPUT, "%s: rc %d", b->name, rc);
	ck_assert_msg(strstr(err.source, b->name) != NULL, "%s: source %s", b->name, err.source);
	ck_assert_msg(err.line == b->line, "%s: line %ld", b->name, err.line);
	ck_assert_msg(strstr(err.msg, b->msg) != NULL, "%s: %s", b->name, err.msg);
	EQ("SELECT count(*) FROM resource", "3");
	EQ("SELECT count(*) FROM resource WHERE kind = 'volume'", "0");
	EQ("SELECT count(*) FROM metric_day", "0");
}
END_TEST

/* A JSON of no known shape is skipped when asked (files found in a
 * folder), not an error. */
START_TEST(test_skip_unknown)
{
	struct ct_err err;
	struct ct_ingest *ing = ct_ingest_begin(st, &err);
	struct ct_ingest_stats s;
	char *p1 = ct_test_write(dir, "truth.json", "{\"idle\": []}");
	char *p2 = ct_test_write(dir, "v.json", volumes);

	ck_assert_ptr_nonnull(ing);
	ct_ingest_set_skip_unknown(ing, true);
	ck_assert_int_eq(ct_ingest_file(ing, p1, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_file(ing, p2, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, &s, &err), CT_OK);
	ck_assert_int_eq(s.skipped, 1);
	ck_assert_int_eq(s.files, 1);
	ck_assert_int_eq(s.resources, 2);
	free(p1);
	free(p2);
}
END_TEST

/* The same bytes twice in one run count once (as billing files do). */
START_TEST(test_duplicate_file)
{
	struct ct_err err;
	const char *f[4] = {"c1.json", metrics, "c2.json", metrics};

	ck_assert_int_eq(run_defaults(NULL, NULL, f, 4, &err), CT_OK);
	EQ("SELECT samples FROM metric_day WHERE metric = 'net_in_bytes'", "2");
}
END_TEST

START_TEST(test_metric_names)
{
	bool sum;

	ck_assert_str_eq(ct_inventory_metric_name("CPUUtilization", &sum), "cpu_avg_pct");
	ck_assert(!sum);
	ck_assert_str_eq(ct_inventory_metric_name("NetworkOut", &sum), "net_out_bytes");
	ck_assert(sum);
	ck_assert_str_eq(ct_inventory_metric_name("net_in_bytes", &sum), "net_in_bytes");
	ck_assert(sum);
	ck_assert_str_eq(ct_inventory_metric_name("DatabaseConnections", &sum), "db_connections");
	ck_assert(!sum);
	ck_assert_str_eq(ct_inventory_metric_name("DiskReadOps", &sum), "DiskReadOps");
	ck_assert(!sum);
}
END_TEST

static Suite *inventory_suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *tc = tcase_create("readers");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_instances);
	tcase_add_test(tc, test_volumes);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_addresses_no_place);
	tcase_add_test(tc, test_snapshots);
	tcase_add_test(tc, test_db_instances);
	tcase_add_test(tc, test_load_balancers);
	tcase_add_test(tc, test_target_health);
	tcase_add_test(tc, test_metrics_json);
	tcase_add_test(tc, test_metrics_replace);
	tcase_add_test(tc, test_metrics_csv);
	tcase_add_test(tc, test_snapshot_semantics);
	tcase_add_loop_test(tc, test_bad_input, 0, (int)CT_NELEM(bads));
	tcase_add_test(tc, test_skip_unknown);
	tcase_add_test(tc, test_duplicate_file);
	tcase_add_test(tc, test_metric_names);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(inventory_suite)
