/*
 * check_comment.c - the PR-comment client (src/comment.c), the API half of
 * the HTTP client (ct_http_send() in src/http.c) and `cloudtally comment`
 * (src/cmd_comment.c) against tests/tools/fake_forge.py, a local stand-in
 * for the GitHub and GitLab comment endpoints: methods, headers, bodies,
 * pagination, update-or-post, and every fault (401, 403, rate limits with
 * Retry-After / X-RateLimit-Reset / RateLimit-Reset, 429, 5xx, 404,
 * redirects and pagination links to another host, a server that echoes
 * the token) - with the token never in an error. No network beyond
 * 127.0.0.1.
 */
#include "ct.h"
#include "cmd.h"
#include "comment.h"
#include "estimate.h"
#include "http.h"
#include "testlib.h"

#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOKEN "ghp_T0kenThatMustNeverShow42xyz"
#define MARK CT_ESTIMATE_MARKER

/* ---- pure functions ------------------------------------------------------ */

START_TEST(test_encode)
{
	char *s;

	s = ct_comment_encode("group/sub proj");
	ck_assert_str_eq(s, "group%2Fsub%20proj");
	free(s);
	s = ct_comment_encode("42");
	ck_assert_str_eq(s, "42");
	free(s);
	s = ct_comment_encode("a~b.c_d-e");
	ck_assert_str_eq(s, "a~b.c_d-e");
	free(s);
	s = ct_comment_encode("gr\xc3\xbcn/x?y#z&p=1%");
	ck_assert_str_eq(s, "gr%C3%BCn%2Fx%3Fy%23z%26p%3D1%25");
	free(s);
}
END_TEST

START_TEST(test_marked)
{
	ck_assert(ct_comment_is_marked(MARK "\n## Cost estimate\n"));
	ck_assert(ct_comment_is_marked("## Cost estimate\n\n" MARK "\n"));
	ck_assert(ct_comment_is_marked("text " MARK " text"));
	ck_assert(!ct_comment_is_marked("## Cost estimate, no marker\n"));
	ck_assert(!ct_comment_is_marked("<!-- cloudtally-estimat -->\n"));
	/* a quote-reply copies the marker: not ours */
	ck_assert(!ct_comment_is_marked("> " MARK "\n> ## Cost estimate\n\nLooks expensive"));
	ck_assert(!ct_comment_is_marked("  >" MARK "\n"));
	ck_assert(ct_comment_is_marked("> " MARK "\n\n" MARK "\n"));
	ck_assert(!ct_comment_is_marked(""));
}
END_TEST

START_TEST(test_same_origin)
{
	ck_assert(ct_http_same_origin("http://a:80/x", "http://A/y?z"));
	ck_assert(ct_http_same_origin("https://api.github.com", "https://api.github.com:443/r"));
	ck_assert(ct_http_same_origin("http://[::1]:8080/p", "http://[::1]:8080"));
	ck_assert(!ct_http_same_origin("http://a/x", "https://a/x"));
	ck_assert(!ct_http_same_origin("http://a:8080/x", "http://a:8081/x"));
	ck_assert(!ct_http_same_origin("http://a/x", "http://a.evil/x"));
	ck_assert(!ct_http_same_origin("http://u:p@a/x", "http://a/x"));
	ck_assert(!ct_http_same_origin("http://a/x", "http://a@evil/x"));
	ck_assert(!ct_http_same_origin("ftp://a/x", "ftp://a/x"));
	ck_assert(!ct_http_same_origin("http://a:8x/", "http://a:8x/"));
	ck_assert(!ct_http_same_origin("/relative", "/relative"));
}
END_TEST

static int check(enum ct_comment_forge f, const char *api, const char *repo, const char *project,
		 long number, const char *token, struct ct_err *err)
{
	struct ct_comment_target t = {f, api, repo, project, number, token};

	ct_err_init(err);
	return ct_comment_check(&t, err);
}

START_TEST(test_check)
{
	struct ct_err err;
	const enum ct_comment_forge gh = CT_COMMENT_GITHUB, gl = CT_COMMENT_GITLAB;

	ck_assert_int_eq(check(gh, NULL, "octo-org/infra.live", NULL, 7, TOKEN, &err), CT_OK);
	ck_assert_int_eq(check(gh, "https://ghe.example.com/api/v3/", "a/b", NULL, 1, TOKEN, &err),
			 CT_OK);
	ck_assert_int_eq(check(gh, "http://127.0.0.1:8080", "a/b", NULL, 1, TOKEN, &err), CT_OK);
	ck_assert_int_eq(check(gh, "http://localhost:1/x", "a/b", NULL, 1, TOKEN, &err), CT_OK);
	ck_assert_int_eq(check(gh, "http://[::1]:8/x", "a/b", NULL, 1, TOKEN, &err), CT_OK);
	ck_assert_int_eq(check(gl, NULL, NULL, "group/sub/proj", 5, TOKEN, &err), CT_OK);
	ck_assert_int_eq(check(gl, NULL, NULL, "42", 5, TOKEN, &err), CT_OK);

	ck_assert_int_eq(check(gh, NULL, "acme", NULL, 7, TOKEN, &err), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "--repo wants OWNER/REPO, like octo-org/infra");
	ck_assert_int_eq(check(gh, NULL, "a/b/c", NULL, 7, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, "a/..", NULL, 7, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, "a b/c", NULL, 7, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, NULL, NULL, 7, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, "a/b", NULL, 0, TOKEN, &err), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "--pr wants a positive whole number");
	ck_assert_int_eq(check(gl, NULL, NULL, "/x", 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gl, NULL, NULL, "", 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gl, NULL, NULL, "a\nb", 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gl, NULL, NULL, "x", -3, TOKEN, &err), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "--mr wants a positive whole number");

	/* the token: present, printable, and never in the message */
	ck_assert_int_eq(check(gh, NULL, "a/b", NULL, 1, NULL, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, "a/b", NULL, 1, "", &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, NULL, "a/b", NULL, 1, TOKEN "\r\nX-Evil: 1", &err), CT_E_USAGE);
	ck_assert_ptr_null(strstr(err.msg, TOKEN));
	ck_assert_int_eq(check(gh, NULL, "a/b", NULL, 1, "two words", &err), CT_E_USAGE);
	ck_assert_ptr_null(strstr(err.msg, "two"));

	/* the API base */
	ck_assert_int_eq(check(gh, "ftp://127.0.0.1/", "a/b", NULL, 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, "api.github.com", "a/b", NULL, 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, "https://h/x?y=1", "a/b", NULL, 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, "https://h/x#f", "a/b", NULL, 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, "https://u:p@h/x", "a/b", NULL, 1, TOKEN, &err), CT_E_USAGE);
	ck_assert_int_eq(check(gh, "http://example.com/api", "a/b", NULL, 1, TOKEN, &err),
			 CT_E_USAGE);
	ck_assert_msg(strstr(err.msg, "plain http") != NULL, "%s", err.msg);
	ck_assert_int_eq(check(gh, "http://127.evil.com/", "a/b", NULL, 1, TOKEN, &err),
			 CT_E_USAGE);
	ck_assert_int_eq(check(gh, "http://localhost.evil.com/", "a/b", NULL, 1, TOKEN, &err),
			 CT_E_USAGE);
}
END_TEST

START_TEST(test_bad_requests)
{
	struct ct_http_request rq;
	struct ct_http_response rs;
	struct ct_err err;
	const char *hdrs[] = {"Authorization: Bearer " TOKEN "\r\nX-Injected: 1", NULL};

	/* refused before anything is sent (nothing listens on port 1) */
	ct_err_init(&err);
	memset(&rq, 0, sizeof(rq));
	rq.url = "http://127.0.0.1:1/x";
	rq.method = "DELETE";
	ck_assert_int_eq(ct_http_send(&rq, &rs, &err), CT_E_INTERNAL);
	ct_http_response_release(&rs);
	rq.method = "GET";
	rq.body = "{}";
	rq.body_len = 2;
	ck_assert_int_eq(ct_http_send(&rq, &rs, &err), CT_E_INTERNAL);
	ct_http_response_release(&rs);
	rq.method = "POST";
	rq.headers = hdrs;
	ck_assert_int_eq(ct_http_send(&rq, &rs, &err), CT_E_INTERNAL);
	ck_assert_str_eq(err.msg, "request header 1 is malformed");
	ck_assert_ptr_null(strstr(err.source, TOKEN));
	ct_http_response_release(&rs);
	ct_http_response_release(NULL);
}
END_TEST

/* ---- the fake forge -------------------------------------------------------- */

static pid_t srv_pid = -1;
static char srv_base[64];
static char *ctl_dir, *ctl_path;

/* Start fake_forge.py once, in the runner process (unchecked fixture). */
static void srv_start(void)
{
	const char *src = getenv("CT_SRCDIR");
	const char *tmp = getenv("TMPDIR");
	char *script = ct_xasprintf("%s/tests/tools/fake_forge.py", src && *src ? src : ".");
	char line[32] = "";
	int fds[2];
	FILE *f;

	/* not ct_test_tmpdir(): its folders belong to the forked tests */
	ctl_dir = ct_xasprintf("%s/ct-forge-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(ctl_dir))
		ct_die("mkdtemp failed");
	ctl_path = ct_test_write(ctl_dir, "control", "");
	if (access(script, R_OK) != 0 || pipe(fds) != 0)
		goto out;
	srv_pid = fork();
	if (srv_pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("FAKE_FORGE_TOKEN", TOKEN, 1);
		execlp("python3", "python3", script, "--control", ctl_path, "--github-repo",
		       "acme/infra", "--gitlab-project", "42=group/sub/proj", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (srv_pid < 0 || !f || !fgets(line, sizeof(line), f) || !line[0]) {
		if (srv_pid > 0)
			kill(srv_pid, SIGTERM);
		srv_pid = -1;
	} else {
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(srv_base, sizeof(srv_base), "http://127.0.0.1:%s", line);
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
out:
	free(script);
}

static void srv_stop(void)
{
	if (srv_pid > 0) {
		kill(srv_pid, SIGTERM);
		waitpid(srv_pid, NULL, 0);
		srv_pid = -1;
	}
	unlink(ctl_path);
	rmdir(ctl_dir);
	free(ctl_path);
	free(ctl_dir);
	ctl_path = ctl_dir = NULL;
}

#define NEED_SERVER()                                                                              \
	do {                                                                                       \
		if (srv_pid < 0) {                                                                 \
			/* under CI a missing server is a failure, not a skip */                   \
			ck_assert_msg(!getenv("CI"), "fake_forge.py could not be started");        \
			fprintf(stderr, "# fake_forge.py not started (python3 missing): "          \
					"skipped\n");                                              \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The control file's one rule ("" for none). */
static void fault(const char *rule)
{
	free(ct_test_write(ctl_dir, "control", rule));
}

/* An admin request to the fake forge; the answer as JSON (new). */
static json_t *admin(const char *method, const char *what, const char *body)
{
	struct ct_http_request rq;
	struct ct_http_response rs;
	struct ct_err err;
	char *url = ct_xasprintf("%s%s", srv_base, what);
	json_t *doc;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.url = url;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	ct_err_init(&err);
	ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s: %s", what, err.msg);
	doc = json_loadb(rs.body, rs.len, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ct_http_response_release(&rs);
	free(url);
	return doc;
}

/* A clean forge, no faults, fast retries. */
static void reset(void)
{
	fault("");
	json_decref(admin("POST", "/_reset", "{}"));
	setenv("CLOUDTALLY_HTTP_BACKOFF_MS", "10", 1);
	unsetenv("CLOUDTALLY_HTTP_RETRIES");
	unsetenv("CLOUDTALLY_HTTP_WAIT_MAX");
}

static void seed(const char *forge, const char *where, long number, const char *body,
		 const char *user, bool system)
{
	json_t *d = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b}", "forge", forge,
			      !strcmp(forge, "github") ? "repo" : "project", where, "number",
			      (int)number, "body", body, "user", user, "system", system);
	char *s = json_dumps(d, JSON_COMPACT);

	json_decref(admin("POST", "/_seed", s));
	free(s);
	json_decref(d);
}

/* The comments of one request in the fake forge (borrowed from *state). */
static json_t *comments(json_t **state, const char *forge, const char *key)
{
	json_t *c;

	json_decref(*state);
	*state = admin("GET", "/_state", NULL);
	c = json_object_get(json_object_get(*state, forge), key);
	if (!c) {
		c = json_array(); /* owned by *state too */
		json_object_set_new(*state, "_none", c);
	}
	return c;
}

/* How many logged requests have this method and path part. */
static size_t logged(const char *method, const char *part)
{
	json_t *log = admin("GET", "/_log", NULL), *e;
	size_t i, n = 0;

	json_array_foreach(log, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "method"));
		const char *p = json_string_value(json_object_get(e, "path"));

		if ((!method || !strcmp(m, method)) && strstr(p, part))
			n++;
	}
	json_decref(log);
	return n;
}

static struct ct_comment_target github(long pr)
{
	struct ct_comment_target t = {CT_COMMENT_GITHUB, srv_base, "acme/infra", NULL, pr, TOKEN};

	return t;
}

static char *gitlab_base(void)
{
	return ct_xasprintf("%s/api/v4", srv_base);
}

/* ---- ct_http_send() ------------------------------------------------------- */

START_TEST(test_send)
{
	const char *hdrs[] = {"Authorization: Bearer " TOKEN, "Accept: application/json", NULL};
	struct ct_http_request rq;
	struct ct_http_response rs;
	struct ct_err err;
	char *url = ct_xasprintf("%s/repos/acme/infra/issues/3/comments", srv_base);
	char *purl;
	json_t *doc, *log, *e;
	const char *link;

	NEED_SERVER();
	reset();
	ct_err_init(&err);
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.headers = hdrs;
	rq.method = "POST";
	for (int i = 0; i < 3; i++) {
		rq.body = "{\"body\":\"hello\"}";
		rq.body_len = strlen(rq.body);
		ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s", err.msg);
		ck_assert_int_eq(rs.status, 201);
		ck_assert_str_eq(ct_http_response_header(&rs, "content-type"),
				 "application/json; charset=utf-8");
		ck_assert_ptr_null(ct_http_response_header(&rs, "Link"));
		ct_http_response_release(&rs);
	}
	/* GET: the first of two pages, the Link header kept */
	rq.method = NULL;
	rq.body = NULL;
	rq.body_len = 0;
	ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_uint_eq(rs.len, strlen(rs.body));
	doc = json_loads(rs.body, 0, NULL);
	ck_assert_int_eq(json_array_size(doc), 2);
	link = ct_http_response_header(&rs, "LINK");
	ck_assert_ptr_nonnull(link);
	ck_assert_msg(strstr(link, "page=2") && strstr(link, "rel=\"next\""), "%s", link);
	/* PATCH the first, with another content type spelled out */
	purl = ct_xasprintf(
		"%s/repos/acme/infra/issues/comments/%lld", srv_base,
		(long long)json_integer_value(json_object_get(json_array_get(doc, 0), "id")));
	json_decref(doc);
	ct_http_response_release(&rs);
	rq.url = purl;
	rq.method = "PATCH";
	rq.body = "{\"body\":\"edited\"}";
	rq.body_len = strlen(rq.body);
	rq.content_type = "application/json; charset=utf-8";
	ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(rs.status, 200);
	doc = json_loads(rs.body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "body")), "edited");
	json_decref(doc);
	ct_http_response_release(&rs);

	/* what the server saw */
	log = admin("GET", "/_log", NULL);
	ck_assert_int_eq(json_array_size(log), 5);
	e = json_array_get(log, 0);
	ck_assert_str_eq(json_string_value(json_object_get(e, "method")), "POST");
	ck_assert_str_eq(json_string_value(json_object_get(e, "auth")), "Bearer ok");
	ck_assert_str_eq(json_string_value(json_object_get(e, "content_type")), "application/json");
	ck_assert_str_eq(json_string_value(json_object_get(e, "accept")), "application/json");
	ck_assert_msg(
		!strncmp(json_string_value(json_object_get(e, "user_agent")), "cloudtally/", 11),
		"User-Agent");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(e, "body"), "body")),
			 "hello");
	e = json_array_get(log, 4);
	ck_assert_str_eq(json_string_value(json_object_get(e, "method")), "PATCH");
	json_decref(log);
	free(purl);
	free(url);
}
END_TEST

/* Send one GET to the GitHub list with the current fault rule. */
static int get_list(struct ct_http_response *rs, struct ct_err *err)
{
	const char *hdrs[] = {"Authorization: token " TOKEN, NULL};
	struct ct_http_request rq;
	char *url = ct_xasprintf("%s/repos/acme/infra/issues/1/comments", srv_base);
	int rc;

	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.headers = hdrs;
	ct_err_init(err);
	rc = ct_http_send(&rq, rs, err);
	ck_assert_ptr_null(strstr(err->msg, TOKEN));
	ck_assert_ptr_null(strstr(err->source, TOKEN));
	free(url);
	return rc;
}

START_TEST(test_send_401_403)
{
	struct ct_http_response rs;
	struct ct_err err;

	NEED_SERVER();
	reset();
	fault("401");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 401: bad or expired token");
	ck_assert_int_eq(rs.status, 401);
	ck_assert_msg(strstr(rs.body, "Bad credentials") != NULL, "error body kept");
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "/comments"), 1); /* not retried */

	/* a 403 that is no rate limit (GitHub sends the rate headers anyway) */
	reset();
	fault("403");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 403");
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "/comments"), 1);

	/* 404 */
	reset();
	fault("404");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 404");
	ck_assert_msg(strstr(err.source, "/repos/acme/infra/issues/1/comments") != NULL, "%s",
		      err.source);
	ct_http_response_release(&rs);
}
END_TEST

START_TEST(test_send_rate_limits)
{
	static const char *const once[] = {"429 - - 1", "403-reset - - 1", "403-retry-after - - 1",
					   "429-reset - - 1"};
	struct ct_http_response rs;
	struct ct_err err;
	double t0;

	NEED_SERVER();
	/* a reset an hour away: no waiting, a clear error at once */
	reset();
	fault("403-reset-long");
	t0 = now_s();
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_msg(now_s() - t0 < 2.0, "waited for an hour-long limit");
	ck_assert_msg(
		strstr(err.msg, "rate limited (HTTP 403): the limit resets in 3") &&
			strstr(err.msg, "longer than cloudtally waits (60 s); try again later"),
		"%s", err.msg);
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "/comments"), 1);

	/* the same when the wait budget is 0 and Retry-After is 1 s */
	reset();
	setenv("CLOUDTALLY_HTTP_WAIT_MAX", "0", 1);
	fault("429");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_msg(strstr(err.msg, "rate limited (HTTP 429): the limit resets in 1 s") != NULL,
		      "%s", err.msg);
	ct_http_response_release(&rs);
	unsetenv("CLOUDTALLY_HTTP_WAIT_MAX");

	/* waited out, then served */
	for (size_t i = 0; i < CT_NELEM(once); i++) {
		reset();
		fault(once[i]);
		t0 = now_s();
		ck_assert_msg(get_list(&rs, &err) == CT_OK, "%s: %s", once[i], err.msg);
		ck_assert_msg(now_s() - t0 >= 0.9, "%s: did not wait", once[i]);
		ck_assert_int_eq(rs.status, 200);
		ct_http_response_release(&rs);
		ck_assert_uint_eq(logged("GET", "/comments"), 2);
	}

	/* still limited after the retries */
	reset();
	setenv("CLOUDTALLY_HTTP_RETRIES", "1", 1);
	fault("403-retry-after");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_str_eq(
		err.msg,
		"rate limited (HTTP 403): still limited after 2 attempts; try again later");
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "/comments"), 2);
}
END_TEST

START_TEST(test_send_5xx_and_redirects)
{
	const char *hdrs[] = {"Authorization: Bearer " TOKEN, NULL};
	struct ct_http_request rq;
	struct ct_http_response rs;
	struct ct_err err;
	char *url = ct_xasprintf("%s/repos/acme/infra/issues/1/comments", srv_base);

	NEED_SERVER();
	reset();
	fault("500 - - 2");
	ck_assert_msg(get_list(&rs, &err) == CT_OK, "%s", err.msg);
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "/comments"), 3);

	reset();
	setenv("CLOUDTALLY_HTTP_RETRIES", "1", 1);
	fault("500");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 500 (gave up after 2 attempts)");
	ct_http_response_release(&rs);

	/* a POST is sent again after a 5xx answer */
	reset();
	fault("502 POST - 1");
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = url;
	rq.headers = hdrs;
	rq.body = "{\"body\":\"x\"}";
	rq.body_len = strlen(rq.body);
	ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(rs.status, 201);
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("POST", "/comments"), 2);

	/* a redirect to another host is not followed with the token */
	reset();
	fault("redirect-away");
	ck_assert_int_eq(get_list(&rs, &err), CT_E_NET);
	ck_assert_msg(
		strstr(err.msg, "server answered HTTP 302, a redirect to http://127.0.0.2:") &&
			strstr(err.msg, "not sent to another host"),
		"%s", err.msg);
	ct_http_response_release(&rs);

	/* a same-host 307 is followed, for a PATCH too, method kept */
	reset();
	fault("redirect-here - - 1");
	ck_assert_msg(get_list(&rs, &err) == CT_OK, "%s", err.msg);
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("GET", "moved=1"), 1);
	reset();
	fault("redirect-here POST - 1");
	ck_assert_msg(ct_http_send(&rq, &rs, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(rs.status, 201);
	ct_http_response_release(&rs);
	ck_assert_uint_eq(logged("POST", "moved=1"), 1);

	/* a connection refused names the URL */
	setenv("CLOUDTALLY_HTTP_RETRIES", "0", 1);
	rq.url = "http://127.0.0.1:1/repos/a/b/issues/1/comments";
	ck_assert_int_eq(ct_http_send(&rq, &rs, &err), CT_E_NET);
	ck_assert_str_eq(err.source, "http://127.0.0.1:1/repos/a/b/issues/1/comments");
	ck_assert_int_eq(rs.status, 0);
	ct_http_response_release(&rs);
	free(url);
}
END_TEST

/* ---- the comment client ----------------------------------------------------- */

static int post(const struct ct_comment_target *t, enum ct_comment_behavior b, const char *body,
		struct ct_comment_result *res, struct ct_err *err)
{
	int rc;

	ct_err_init(err);
	rc = ct_comment_post(t, b, body, res, err);
	ck_assert_ptr_null(strstr(err->msg, TOKEN));
	ck_assert_ptr_null(strstr(err->source, TOKEN));
	return rc;
}

START_TEST(test_github_update_or_post)
{
	struct ct_comment_target t = github(7);
	struct ct_comment_result r1, r2, r3, r4;
	struct ct_err err;
	json_t *state = NULL, *list;
	char *url;

	NEED_SERVER();
	reset();
	/* first run: nothing to edit, posted */
	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\nfirst", &r1, &err) == CT_OK, "%s",
		      err.msg);
	ck_assert(!r1.updated);
	ck_assert(r1.id > 3000000000LL); /* GitHub IDs pass 2^31 */
	url = ct_xasprintf("https://github.com/acme/infra/pull/7#issuecomment-%lld", r1.id);
	ck_assert_str_eq(r1.url, url);
	free(url);
	/* second run: the same comment edited */
	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\nsecond", &r2, &err) == CT_OK, "%s",
		      err.msg);
	ck_assert(r2.updated);
	ck_assert_int_eq(r2.id, r1.id);
	ck_assert_uint_eq(r2.scanned, 1);
	list = comments(&state, "github", "acme/infra#7");
	ck_assert_int_eq(json_array_size(list), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "body")),
			 MARK "\nsecond");
	ck_assert_uint_eq(logged("PATCH", "/repos/acme/infra/issues/comments/"), 1);
	/* --behavior new: another one */
	ck_assert_msg(post(&t, CT_COMMENT_NEW, MARK "\nthird", &r3, &err) == CT_OK, "%s", err.msg);
	ck_assert(!r3.updated);
	ck_assert(r3.id != r1.id);
	ck_assert_uint_eq(r3.scanned, 0);
	list = comments(&state, "github", "acme/infra#7");
	ck_assert_int_eq(json_array_size(list), 2);
	/* update edits the newest marked comment */
	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\nfourth", &r4, &err) == CT_OK, "%s",
		      err.msg);
	ck_assert(r4.updated);
	ck_assert_int_eq(r4.id, r3.id);
	list = comments(&state, "github", "acme/infra#7");
	ck_assert_int_eq(json_array_size(list), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "body")),
			 MARK "\nsecond");
	/* other pull requests untouched */
	ck_assert_int_eq(json_array_size(comments(&state, "github", "acme/infra#8")), 0);
	json_decref(state);
	ct_comment_result_release(&r1);
	ct_comment_result_release(&r2);
	ct_comment_result_release(&r3);
	ct_comment_result_release(&r4);
	ct_comment_result_release(NULL);
}
END_TEST

START_TEST(test_github_pages)
{
	struct ct_comment_target t = github(9);
	struct ct_comment_result r;
	struct ct_err err;
	json_t *s, *state = NULL, *list;
	long long ours;

	NEED_SERVER();
	reset();
	for (int i = 0; i < 3; i++)
		seed("github", "acme/infra", 9, "LGTM", "someone", false);
	s = admin("POST", "/_seed",
		  "{\"forge\":\"github\",\"repo\":\"acme/infra\",\"number\":9,"
		  "\"body\":\"" MARK "\\n## old estimate\",\"user\":\"cloudtally-bot\"}");
	ours = (long long)json_integer_value(json_object_get(s, "id"));
	json_decref(s);
	for (int i = 0; i < 2; i++)
		seed("github", "acme/infra", 9, "ship it", "someone", false);
	/* a quote-reply of ours, newest of all: holds the marker, not ours */
	seed("github", "acme/infra", 9, "> " MARK "\n> ## old estimate\n\ntoo much", "someone",
	     false);

	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\n## new estimate", &r, &err) == CT_OK,
		      "%s", err.msg);
	ck_assert(r.updated);
	ck_assert_int_eq(r.id, ours);
	ck_assert_uint_eq(r.scanned, 7);
	ck_assert_uint_eq(logged("GET", "/repos/acme/infra/issues/9/comments"), 4);
	ck_assert_uint_eq(logged("GET", "page=4"), 1);
	ck_assert_uint_eq(logged("POST", "/comments"), 0);
	list = comments(&state, "github", "acme/infra#9");
	ck_assert_int_eq(json_array_size(list), 7);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "body")),
			 MARK "\n## new estimate");
	json_decref(state);
	ct_comment_result_release(&r);
}
END_TEST

START_TEST(test_gitlab)
{
	char *base = gitlab_base();
	struct ct_comment_target t = {CT_COMMENT_GITLAB, base, NULL, "group/sub/proj", 5, TOKEN};
	struct ct_comment_result r1, r2, r3;
	struct ct_err err;
	json_t *state = NULL, *list, *log, *e;
	char *want;
	size_t i;

	NEED_SERVER();
	reset();
	/* a system note that quotes the marker is never edited */
	seed("gitlab", "42", 5, "changed the description\n" MARK, "cloudtally-bot", true);
	seed("gitlab", "42", 5, "please look", "someone", false);
	seed("gitlab", "42", 5, "ok", "someone", false);
	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\nmr estimate", &r1, &err) == CT_OK, "%s",
		      err.msg);
	ck_assert(!r1.updated);
	ck_assert_uint_eq(r1.scanned, 3);
	want = ct_xasprintf("%s/group/sub/proj/-/merge_requests/5#note_%lld", srv_base, r1.id);
	ck_assert_str_eq(r1.url, want);
	free(want);
	/* by numeric ID: the same note edited with PUT; no web address known */
	t.project = "42";
	ck_assert_msg(post(&t, CT_COMMENT_UPDATE, MARK "\nmr estimate 2", &r2, &err) == CT_OK, "%s",
		      err.msg);
	ck_assert(r2.updated);
	ck_assert_int_eq(r2.id, r1.id);
	ck_assert_ptr_null(r2.url);
	ck_assert_uint_eq(r2.scanned, 4);
	ck_assert_uint_eq(logged("PUT", "/api/v4/projects/42/merge_requests/5/notes/"), 1);
	ck_assert_uint_eq(
		logged("GET", "/api/v4/projects/group%2Fsub%2Fproj/merge_requests/5/notes"), 2);
	ck_assert_uint_eq(logged("GET", "sort=asc"), 4);
	t.project = "group/sub/proj";
	ck_assert_msg(post(&t, CT_COMMENT_NEW, MARK "\nmr estimate 3", &r3, &err) == CT_OK, "%s",
		      err.msg);
	list = comments(&state, "gitlab", "42#5");
	ck_assert_int_eq(json_array_size(list), 5);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "body")),
			 MARK "\nmr estimate 2");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "body")),
			 "changed the description\n" MARK);
	/* every request: PRIVATE-TOKEN, JSON for writes */
	log = admin("GET", "/_log", NULL);
	json_array_foreach(log, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "method"));

		if (!strcmp(m, "GET") &&
		    strstr(json_string_value(json_object_get(e, "path")), "/_"))
			continue;
		ck_assert_str_eq(json_string_value(json_object_get(e, "auth")), "PRIVATE-TOKEN ok");
		if (strcmp(m, "GET"))
			ck_assert_str_eq(json_string_value(json_object_get(e, "content_type")),
					 "application/json");
	}
	json_decref(log);
	json_decref(state);
	ct_comment_result_release(&r1);
	ct_comment_result_release(&r2);
	ct_comment_result_release(&r3);
	free(base);
}
END_TEST

/* Every failure: CT_E_NET, what was being done, and no token anywhere. */
START_TEST(test_faults)
{
	static const struct {
		const char *rule, *want;
	} cases[] = {
		{"401", "cannot list the comments of pull request #7 of acme/infra: server "
			"answered HTTP 401: bad or expired token; check GITHUB_TOKEN (GitHub says: "
			"Bad credentials)"},
		{"403", "server answered HTTP 403; the token may not read or write comments on "
			"this repository (GitHub says: Resource not accessible by personal access "
			"token)"},
		{"403 POST", "cannot comment on pull request #7 of acme/infra: server answered "
			     "HTTP 403"},
		{"403-reset-long", "rate limited (HTTP 403): the limit resets in"},
		{"404", "no pull request #7 of acme/infra, or the token cannot see it"},
		{"500", "server answered HTTP 500 (gave up after 2 attempts)"},
		{"echo-token", "(GitHub says: Authorization=Bearer *** PRIVATE-TOKEN=None)"},
		{"not-json", "unexpected answer: not a JSON array of comments"},
		{"not-json POST", "unexpected answer: the saved comment has no numeric \"id\""},
		{"redirect-away", "a request with credentials is not sent to another host"},
		{"evil-link", "the next page of comments is on another host (http://127.0.0.2:"},
	};
	struct ct_comment_target t = github(7);
	struct ct_comment_result r;
	struct ct_err err;

	NEED_SERVER();
	for (size_t i = 0; i < CT_NELEM(cases); i++) {
		reset();
		setenv("CLOUDTALLY_HTTP_RETRIES", "1", 1);
		for (int k = 0; k < 3; k++) /* two pages */
			seed("github", "acme/infra", 7, "hi", "someone", false);
		fault(cases[i].rule);
		ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\nx", &r, &err), CT_E_NET);
		ck_assert_msg(strstr(err.msg, cases[i].want) != NULL, "%s: got '%s'", cases[i].rule,
			      err.msg);
		ck_assert_msg(!strncmp(err.source, srv_base, strlen(srv_base)), "%s: source '%s'",
			      cases[i].rule, err.source);
		ck_assert_ptr_null(r.url);
	}
	/* an unknown repository, a gone comment */
	reset();
	t.repo = "acme/nope";
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\nx", &r, &err), CT_E_NET);
	ck_assert_msg(strstr(err.msg, "server answered HTTP 404; no pull request #7 of acme/nope, "
				      "or the token cannot see it (GitHub says: Not Found)"),
		      "%s", err.msg);
	/* a wrong token: the real check, not a fault rule */
	t.repo = "acme/infra";
	t.token = "ghp_wrong_token_but_still_secret";
	ck_assert_int_eq(post(&t, CT_COMMENT_NEW, MARK "\nx", &r, &err), CT_E_NET);
	ck_assert_msg(strstr(err.msg, "bad or expired token"), "%s", err.msg);
	ck_assert_ptr_null(strstr(err.msg, "ghp_wrong"));
	/* someone else's marked comment: 403 on the edit */
	reset();
	t.token = TOKEN;
	seed("github", "acme/infra", 7, MARK "\nby hand", "someone", false);
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\nx", &r, &err), CT_E_NET);
	ck_assert_msg(strstr(err.msg, "cannot edit the comment on pull request #7 of acme/infra: "
				      "server answered HTTP 403; the token may not edit comments"),
		      "%s", err.msg);
	/* connection refused */
	setenv("CLOUDTALLY_HTTP_RETRIES", "0", 1);
	t.api_url = "http://127.0.0.1:1";
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\nx", &r, &err), CT_E_NET);
	ck_assert_str_eq(err.source, "http://127.0.0.1:1/repos/acme/infra/issues/7/comments?...");
	/* nothing was posted by any of it */
	ck_assert_uint_eq(logged("POST", "/comments"), 0);
}
END_TEST

/* A message cut to fit its buffer never keeps part of the token: a long
 * project path pushes an echoed token across the cut at every offset. */
START_TEST(test_token_cut)
{
	char *base = gitlab_base();
	char path[700];
	struct ct_comment_target t = {CT_COMMENT_GITLAB, base, NULL, path, 5, TOKEN};
	struct ct_comment_result r;
	struct ct_err err;

	NEED_SERVER();
	reset();
	fault("echo-token");
	for (size_t n = 600; n < 645; n++) {
		memset(path, 'a', n);
		memcpy(path, "g/", 2);
		path[n] = '\0';
		ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\nx", &r, &err), CT_E_NET);
		ck_assert_msg(strstr(err.msg, "(GitLab says: Authorization=None PRIVATE-TOKEN=") ||
				      n > 630,
			      "%zu: %s", n, err.msg);
		for (size_t k = 0; k + 6 <= strlen(TOKEN); k++)
			ck_assert_msg(!memmem(err.msg, strlen(err.msg), TOKEN + k, 6),
				      "%zu: part of the token in '%s'", n, err.msg);
	}
	free(base);
}
END_TEST

START_TEST(test_bodies)
{
	struct ct_comment_target t = github(7);
	struct ct_comment_result r;
	struct ct_err err;
	char *big;

	NEED_SERVER();
	reset();
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, "", &r, &err), CT_E_INPUT);
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, MARK "\n\xff\xfe", &r, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "the comment body is not UTF-8 text");
	big = ct_xmalloc(CT_COMMENT_GITHUB_MAX + 8);
	memset(big, 'x', CT_COMMENT_GITHUB_MAX + 1);
	big[CT_COMMENT_GITHUB_MAX + 1] = '\0';
	ck_assert_int_eq(post(&t, CT_COMMENT_UPDATE, big, &r, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "the comment body is 65537 characters; GitHub takes 1 to 65536");
	ck_assert_uint_eq(logged(NULL, "/repos/"), 0);
	/* 65536 characters, two of them 3 bytes long: fine */
	memset(big, 'x', CT_COMMENT_GITHUB_MAX + 4);
	memcpy(big, "\xe2\x82\xac\xe2\x82\xac", 6);
	big[CT_COMMENT_GITHUB_MAX + 4] = '\0';
	ck_assert_msg(post(&t, CT_COMMENT_NEW, big, &r, &err) == CT_OK, "%s", err.msg);
	ct_comment_result_release(&r);
	free(big);
}
END_TEST

/* ---- the command ------------------------------------------------------------- */

/* Run `comment ARGS...` (NULL-terminated) with its output in out_path. */
static int run(const char *out_path, struct ct_err *err, ...)
{
	char *dir = ct_test_tmpdir();
	char *db = ct_xasprintf("%s/none.db", dir);
	struct ct_ctx ctx = {db, NULL};
	char *argv[32];
	int argc = 0, rc;
	va_list ap;

	argv[argc++] = "comment";
	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	ctx.out = fopen(out_path, "w");
	ck_assert_ptr_nonnull(ctx.out);
	ct_err_init(err);
	rc = ct_cmd_comment(&ctx, argc, argv, err);
	fclose(ctx.out);
	ck_assert_ptr_null(strstr(err->msg, TOKEN));
	free(db);
	free(dir);
	return rc;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = ct_xcalloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	return buf;
}

#define RUN(...) run(outp, &err, __VA_ARGS__, (char *)NULL)

START_TEST(test_cmd)
{
	char *dir = ct_test_tmpdir();
	char *outp = ct_xasprintf("%s/out", dir);
	char *plan = ct_test_shared("terraform/basic/plan.json");
	char *glbase = gitlab_base();
	struct ct_err err;
	json_t *state = NULL, *list;
	char *out, *want;

	/* usage errors, before anything is sent or priced */
	unsetenv("GITHUB_TOKEN");
	unsetenv("GITLAB_TOKEN");
	ck_assert_int_eq(RUN("github", "--repo", "acme/infra", "--pr", "7", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "GITHUB_TOKEN is not set: the token to comment with");
	ck_assert_int_eq(RUN("gitlab", "--project", "42", "--mr", "7", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "GITLAB_TOKEN is not set: the token to comment with");
	setenv("GITHUB_TOKEN", TOKEN, 1);
	setenv("GITLAB_TOKEN", TOKEN, 1);
	ck_assert_int_eq(RUN("bitbucket", "--repo", "a/b", "--pr", "1", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "unknown forge 'bitbucket' (github, gitlab)");
	ck_assert_int_eq(RUN("--repo", "a/b", "--pr", "1", plan), CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "comment github wants --repo and --pr");
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "1"), CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "1", plan, "extra"), CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "0", plan), CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "12x", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "--pr wants a positive whole number, not '12x'");
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--mr", "1", plan), CT_E_USAGE);
	ck_assert_str_eq(err.msg, "--mr is for gitlab; github wants --repo and --pr");
	ck_assert_int_eq(RUN("gitlab", "--project", "1", "--pr", "1", plan), CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "1", "--behavior", "edit", plan),
			 CT_E_USAGE);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "1", "--api-url",
			     "http://example.com", plan),
			 CT_E_USAGE);
	setenv("GITHUB_TOKEN", "a\nb", 1);
	ck_assert_int_eq(RUN("github", "--repo", "a/b", "--pr", "1", plan), CT_E_USAGE);
	setenv("GITHUB_TOKEN", TOKEN, 1);

	NEED_SERVER();
	if (access(plan, R_OK) != 0) {
		/* under CI the shared plans are required */
		ck_assert_msg(!getenv("CI"), "%s not found", plan);
		fprintf(stderr, "# %s not found: skipped\n", plan);
		free(glbase);
		free(plan);
		free(outp);
		free(dir);
		return;
	}
	reset();
	/* post, then edit, then post anew */
	ck_assert_msg(RUN("github", "--repo", "acme/infra", "--pr", "11", "--api-url", srv_base,
			  plan) == CT_OK,
		      "%s", err.msg);
	list = comments(&state, "github", "acme/infra#11");
	ck_assert_int_eq(json_array_size(list), 1);
	ck_assert(ct_comment_is_marked(
		json_string_value(json_object_get(json_array_get(list, 0), "body"))));
	out = slurp(outp);
	want = ct_xasprintf(
		"posted comment %lld: https://github.com/acme/infra/pull/11"
		"#issuecomment-%lld\n",
		(long long)json_integer_value(json_object_get(json_array_get(list, 0), "id")),
		(long long)json_integer_value(json_object_get(json_array_get(list, 0), "id")));
	ck_assert_str_eq(out, want);
	free(out);
	free(want);
	ck_assert_msg(RUN("github", "--pr=11", "--repo=acme/infra", plan, "--api-url", srv_base,
			  "--behavior", "update") == CT_OK,
		      "%s", err.msg);
	out = slurp(outp);
	ck_assert_msg(!strncmp(out, "updated comment ", 16), "%s", out);
	free(out);
	ck_assert_int_eq(json_array_size(comments(&state, "github", "acme/infra#11")), 1);
	ck_assert_msg(RUN("github", "--repo", "acme/infra", "--pr", "11", "--api-url", srv_base,
			  "--behavior", "new", plan) == CT_OK,
		      "%s", err.msg);
	ck_assert_int_eq(json_array_size(comments(&state, "github", "acme/infra#11")), 2);
	/* gitlab by path, then by ID */
	ck_assert_msg(RUN("gitlab", "--project", "group/sub/proj", "--mr", "3", "--api-url", glbase,
			  plan) == CT_OK,
		      "%s", err.msg);
	out = slurp(outp);
	ck_assert_msg(!strncmp(out, "posted note ", 12) && strstr(out, "/group/sub/proj/-/"
								       "merge_requests/3#note_"),
		      "%s", out);
	free(out);
	ck_assert_msg(RUN("gitlab", "--project", "42", "--mr", "3", "--api-url", glbase, plan) ==
			      CT_OK,
		      "%s", err.msg);
	out = slurp(outp);
	ck_assert_msg(!strncmp(out, "updated note ", 13) &&
			      strstr(out, " on merge request !3 of project 42\n"),
		      "%s", out);
	free(out);
	ck_assert_int_eq(json_array_size(comments(&state, "gitlab", "42#3")), 1);
	/* a plan that does not exist: nothing sent */
	json_decref(admin("POST", "/_reset", "{}"));
	ck_assert_int_ne(RUN("github", "--repo", "acme/infra", "--pr", "11", "--api-url", srv_base,
			     "/nonexistent/plan.json"),
			 CT_OK);
	ck_assert_uint_eq(logged(NULL, "/repos/"), 0);
	/* a fault: CT_E_NET */
	fault("401");
	ck_assert_int_eq(
		RUN("github", "--repo", "acme/infra", "--pr", "11", "--api-url", srv_base, plan),
		CT_E_NET);
	json_decref(state);
	free(glbase);
	free(plan);
	free(outp);
	free(dir);
}
END_TEST

static Suite *comment_suite(void)
{
	Suite *s = suite_create("comment");
	TCase *tc = tcase_create("core");
	TCase *th = tcase_create("forge");

	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_marked);
	tcase_add_test(tc, test_same_origin);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_bad_requests);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(th, srv_start, srv_stop);
	tcase_set_timeout(th, 120);
	tcase_add_test(th, test_send);
	tcase_add_test(th, test_send_401_403);
	tcase_add_test(th, test_send_rate_limits);
	tcase_add_test(th, test_send_5xx_and_redirects);
	tcase_add_test(th, test_github_update_or_post);
	tcase_add_test(th, test_github_pages);
	tcase_add_test(th, test_gitlab);
	tcase_add_test(th, test_faults);
	tcase_add_test(th, test_token_cut);
	tcase_add_test(th, test_bodies);
	tcase_add_test(th, test_cmd);
	suite_add_tcase(s, th);
	return s;
}

CT_TEST_MAIN(comment_suite)
