#!/bin/sh
# comment.sh - `cloudtally comment github|gitlab` against a local stand-in
# for the GitHub and GitLab comment APIs (tests/tools/fake_forge.py, page
# size 2): the first run posts the estimate of ../shared/terraform/basic,
# the second edits that comment instead of adding one, --behavior new adds
# one; the same on GitLab by project path and by ID. Every fault (401,
# 403, rate limits, 5xx, 404, a pagination link or redirect to another
# host) exits 5 with a message naming the URL, usage errors such as a
# missing token exit 2, and the token never shows in any output. No
# network beyond 127.0.0.1.
. "$CT_SRCDIR/tests/cli/lib.sh"
PLAN="$CT_SHARED/terraform/basic/plan.json"
if [ ! -f "$PLAN" ]; then
	if [ -n "${CI:-}" ]; then
		echo "not ok - $PLAN not found (required in CI)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "# $PLAN not found: skipping"
	echo "0 passed, 0 failed"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "# python3 is needed: skipping"
	echo "0 passed, 0 failed"
	exit 77
fi

# The fake forge: port on its first output line; faults through $CTL. The
# token goes through the environment, not the command line.
TOKEN="ghp_cliT0kenNeverPrinted9f8e7d"
CTL="$TMP/control"
: >"$CTL"
FAKE_FORGE_TOKEN=$TOKEN python3 "$TOOLS/fake_forge.py" --control "$CTL" --log "$TMP/requests" \
	--github-repo acme/infra --gitlab-project 42=group/sub/proj >"$TMP/port" 2>"$TMP/server.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(head -n 1 "$TMP/port")
if [ -z "$PORT" ]; then
	not_ok "fake_forge.py did not start"
	cat "$TMP/server.err"
	finish
	exit 1
fi
GH="http://127.0.0.1:$PORT"
GL="$GH/api/v4"
GITHUB_TOKEN=$TOKEN
GITLAB_TOKEN=$TOKEN
CLOUDTALLY_HTTP_BACKOFF_MS=10
export GITHUB_TOKEN GITLAB_TOKEN CLOUDTALLY_HTTP_BACKOFF_MS
: >"$TMP/all"

# run EXIT "what" ARGS... : `cloudtally comment ARGS`, every output kept
run() {
	r_exit=$1 r_what=$2
	shift 2
	expect_exit "$r_exit" "$r_what" "$CT" --db "$TMP/none.db" comment "$@"
	cat "$TMP/out" "$TMP/err" >>"$TMP/all"
}
fault() { # fault RULE : the control file's one rule
	echo "$1" >"$CTL"
}
# forge PYTHON : run PYTHON with `state` (all comments) and `log` (all
# requests) of the fake forge; no proxy for 127.0.0.1
forge() {
	python3 -c '
import json, sys, urllib.request
o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
get = lambda p: json.load(o.open(sys.argv[1] + p))
state, log = get("/_state"), get("/_log")
MARK = "<!-- cloudtally-estimate -->"
def comments(forge, key):
    return state.get(forge, {}).get(key, [])
exec(sys.argv[2])
' "$GH" "$1"
}
is() { # is "what" PYTHON-EXPR expected
	got=$(forge "print($2)")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: got '$got', wanted '$3'"; fi
}
reset() {
	fault ""
	python3 -c '
import sys, urllib.request
o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
o.open(urllib.request.Request(sys.argv[1] + "/_reset", data=b"{}", method="POST"))
' "$GH"
}
seed() { # seed JSON
	python3 -c '
import sys, urllib.request
o = urllib.request.build_opener(urllib.request.ProxyHandler({}))
o.open(urllib.request.Request(sys.argv[1] + "/_seed", data=sys.argv[2].encode(), method="POST"))
' "$GH" "$1"
}

# ---- GitHub: post, then edit, then --behavior new -----------------------
run 0 "github: first run posts" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
check "prints the comment address" grep -q '^posted comment [0-9][0-9]*: https://github.com/acme/infra/pull/7#issuecomment-[0-9][0-9]*$' "$TMP/out"
first=$(sed -n 's/^posted comment \([0-9]*\):.*/\1/p' "$TMP/out")
is "one comment" 'len(comments("github", "acme/infra#7"))' 1
is "the body holds the marker" 'MARK in comments("github", "acme/infra#7")[0]["body"]' True
is "sent as JSON with a Bearer token" '[(e["method"], e["auth"], e["content_type"]) for e in log if e["method"] == "POST"]' "[('POST', 'Bearer ok', 'application/json')]"
is "the GitHub media type asked for" 'sorted({e["accept"] for e in log})' "['application/vnd.github+json']"
run 0 "github: second run" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
check "second run edits the first comment" grep -qx "updated comment $first: https://github.com/acme/infra/pull/7#issuecomment-$first" "$TMP/out"
is "still one comment" 'len(comments("github", "acme/infra#7"))' 1
is "edited with PATCH /issues/comments/ID" '[e["path"] for e in log if e["method"] == "PATCH"]' "['/repos/acme/infra/issues/comments/$first']"
run 0 "github: --behavior new" github --repo acme/infra --pr 7 --api-url "$GH" --behavior new "$PLAN"
check "--behavior new posts" grep -q '^posted comment ' "$TMP/out"
is "two comments" 'len(comments("github", "acme/infra#7"))' 2
run 0 "github: update after new" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN" --behavior update
is "still two comments" 'len(comments("github", "acme/infra#7"))' 2
is "every request had the token" '{e["auth"] for e in log}' "{'Bearer ok'}"

# ---- pagination: ours is on page 2 of 4 ------------------------------------
reset
seed '{"forge":"github","repo":"acme/infra","number":9,"body":"LGTM","user":"someone"}'
seed '{"forge":"github","repo":"acme/infra","number":9,"body":"nit","user":"someone"}'
seed '{"forge":"github","repo":"acme/infra","number":9,"body":"<!-- cloudtally-estimate -->\nold","user":"cloudtally-bot"}'
for _ in 1 2 3 4; do
	seed '{"forge":"github","repo":"acme/infra","number":9,"body":"> <!-- cloudtally-estimate -->\n> old\n\nquoted","user":"someone"}'
done
run 0 "github: marked comment on page 2 of 4" github --repo acme/infra --pr 9 --api-url "$GH" "$PLAN"
check "it is edited" grep -q '^updated comment ' "$TMP/out"
is "every page read" '[e["path"].split("?")[1] for e in log if e["method"] == "GET"]' "['per_page=100&page=1', 'page=2&per_page=2', 'page=3&per_page=2', 'page=4&per_page=2']"
is "the third comment edited, quotes left alone" '[c["body"].startswith(MARK) and not c["body"].endswith("old") for c in comments("github", "acme/infra#9")]' "[False, False, True, False, False, False, False]"
is "nothing posted" 'len(comments("github", "acme/infra#9"))' 7

# ---- GitLab -----------------------------------------------------------------
reset
seed '{"forge":"gitlab","project":"42","number":3,"body":"mentioned in commit abc\n<!-- cloudtally-estimate -->","user":"cloudtally-bot","system":true}'
run 0 "gitlab: first run posts (by path)" gitlab --project group/sub/proj --mr 3 --api-url "$GL" "$PLAN"
check "prints the note address" grep -q "^posted note [0-9][0-9]*: $GH/group/sub/proj/-/merge_requests/3#note_[0-9][0-9]*\$" "$TMP/out"
note=$(sed -n 's/^posted note \([0-9]*\):.*/\1/p' "$TMP/out")
is "the project path URL-encoded" '[e["path"].split("?")[0] for e in log][:2]' "['/api/v4/projects/group%2Fsub%2Fproj/merge_requests/3/notes', '/api/v4/projects/group%2Fsub%2Fproj/merge_requests/3/notes']"
run 0 "gitlab: second run (by ID)" gitlab --project 42 --mr 3 --api-url "$GL" "$PLAN"
check "second run edits the note" grep -qx "updated note $note on merge request !3 of project 42" "$TMP/out"
is "edited with PUT .../notes/ID" '[e["path"] for e in log if e["method"] == "PUT"]' "['/api/v4/projects/42/merge_requests/3/notes/$note']"
is "one note besides the system note" 'len(comments("gitlab", "42#3"))' 2
is "the system note untouched" 'comments("gitlab", "42#3")[0]["body"]' "mentioned in commit abc
<!-- cloudtally-estimate -->"
run 0 "gitlab: --behavior new" gitlab --project 42 --mr 3 --api-url "$GL" --behavior new "$PLAN"
is "then two notes" 'len(comments("gitlab", "42#3")) - 1' 2
is "PRIVATE-TOKEN on every request, JSON for writes" 'sorted({(e["auth"], e["content_type"]) for e in log}, key=str)' "[('PRIVATE-TOKEN ok', 'application/json'), ('PRIVATE-TOKEN ok', None)]"

# ---- faults: exit 5, the URL named, what was wrong said --------------------
failing() { # failing "what" RULE "pattern in stderr" [RETRIES]
	f_what=$1 f_pat=$3
	reset
	fault "$2"
	seed '{"forge":"github","repo":"acme/infra","number":7,"body":"a","user":"someone"}'
	seed '{"forge":"github","repo":"acme/infra","number":7,"body":"b","user":"someone"}'
	seed '{"forge":"github","repo":"acme/infra","number":7,"body":"c","user":"someone"}'
	CLOUDTALLY_HTTP_RETRIES=${4:-1}
	export CLOUDTALLY_HTTP_RETRIES
	run 5 "$f_what" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
	unset CLOUDTALLY_HTTP_RETRIES
	check "$f_what: names the URL" grep -q "^cloudtally: error: $GH/repos/acme/infra/issues/" "$TMP/err"
	check "$f_what: says '$f_pat'" contains "$TMP/err" "$f_pat"
	is "$f_what: nothing posted" 'len([c for c in comments("github", "acme/infra#7") if MARK in c["body"]])' 0
}
failing "HTTP 401" "401" "server answered HTTP 401: bad or expired token; check GITHUB_TOKEN"
failing "HTTP 403, no permission" "403" "server answered HTTP 403; the token may not read or write comments on this repository"
failing "HTTP 403 on the POST" "403 POST" "cannot comment on pull request #7 of acme/infra: server answered HTTP 403"
failing "403 rate limit an hour away" "403-reset-long" "rate limited (HTTP 403): the limit resets in [0-9]* s, longer than cloudtally waits (60 s); try again later"
failing "429 that does not clear" "429" "rate limited (HTTP 429): still limited after 2 attempts; try again later"
failing "secondary rate limit that does not clear" "403-retry-after" "rate limited (HTTP 403): still limited after 2 attempts"
failing "HTTP 500" "500" "server answered HTTP 500 (gave up after 2 attempts)"
failing "HTTP 502 on the POST" "502 POST" "server answered HTTP 502 (gave up after 2 attempts)"
failing "HTTP 404" "404" "server answered HTTP 404; no pull request #7 of acme/infra, or the token cannot see it"
failing "a server that echoes the token" "echo-token" "GitHub says: Authorization=Bearer \*\*\* PRIVATE-TOKEN=None"
failing "HTML instead of JSON" "not-json" "unexpected answer: not a JSON array of comments"
failing "next page on another host" "evil-link" "the next page of comments is on another host (http://127.0.0.2:$PORT/repos/acme/infra/issues/7/comments?...); the token is not sent there"
failing "redirect to another host" "redirect-away" "HTTP 302, a redirect to http://127.0.0.2:$PORT/repos/acme/infra/issues/7/comments?...; a request with credentials is not sent to another host"

# retried or waited out, then served
reset
fault "500 - - 2"
run 0 "two 500s, then served" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
fault "429 - - 1"
run 0 "a 429 with Retry-After, then served" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
fault "403-reset - - 1"
run 0 "a 403 rate limit with X-RateLimit-Reset, then served" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
fault "429-reset - - 1"
run 0 "a GitLab 429 with RateLimit-Reset, then served" gitlab --project 42 --mr 3 --api-url "$GL" "$PLAN"
fault ""
is "all that left one comment" 'len(comments("github", "acme/infra#7"))' 1

# the real checks, not fault rules
reset
run 5 "unknown repository" github --repo acme/nope --pr 7 --api-url "$GH" "$PLAN"
check "unknown repository: says so" contains "$TMP/err" "no pull request #7 of acme/nope, or the token cannot see it (GitHub says: Not Found)"
run 5 "unknown project" gitlab --project other/proj --mr 3 --api-url "$GL" "$PLAN"
check "unknown project: says so" contains "$TMP/err" "no merge request !3 of project other/proj, or the token cannot see it (GitLab says: 404 Project Not Found)"
GITHUB_TOKEN=ghp_wrongButSecret123
run 5 "a wrong token" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
check "a wrong token: bad or expired" contains "$TMP/err" "bad or expired token"
check "a wrong token: not shown" sh -c "! grep -q ghp_wrongButSecret123 '$TMP/out' '$TMP/err'"
GITHUB_TOKEN=$TOKEN
CLOUDTALLY_HTTP_RETRIES=0
export CLOUDTALLY_HTTP_RETRIES
run 5 "connection refused" github --repo acme/infra --pr 7 --api-url "http://127.0.0.1:1" "$PLAN"
check "connection refused names the URL" contains "$TMP/err" "cloudtally: error: http://127.0.0.1:1/repos/acme/infra/issues/7/comments?...: cannot list the comments of pull request #7 of acme/infra: "
unset CLOUDTALLY_HTTP_RETRIES

# ---- usage errors: exit 2, nothing sent ------------------------------------
reset
nosend() { # nosend "what" "pattern" ARGS...
	n_what=$1 n_pat=$2
	shift 2
	run 2 "$n_what" "$@"
	check "$n_what: says '$n_pat'" contains "$TMP/err" "$n_pat"
}
expect_exit 2 "no GITHUB_TOKEN" sh -c 'unset GITHUB_TOKEN; exec "$@"' sh "$CT" comment github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
check "no GITHUB_TOKEN: says so" contains "$TMP/err" "GITHUB_TOKEN is not set: the token to comment with"
expect_exit 2 "empty GITHUB_TOKEN" env GITHUB_TOKEN= "$CT" comment github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
check "empty GITHUB_TOKEN: says so" contains "$TMP/err" "GITHUB_TOKEN is not set"
expect_exit 2 "no GITLAB_TOKEN" sh -c 'unset GITLAB_TOKEN; exec "$@"' sh "$CT" comment gitlab --project 42 --mr 3 --api-url "$GL" "$PLAN"
check "no GITLAB_TOKEN: says so" contains "$TMP/err" "GITLAB_TOKEN is not set"
cat "$TMP/out" "$TMP/err" >>"$TMP/all"
nosend "unknown forge" "unknown forge 'bitbucket'" bitbucket --repo acme/infra --pr 7 "$PLAN"
nosend "no forge" "comment wants github or gitlab first" --repo acme/infra --pr 7 "$PLAN"
nosend "no --pr" "comment github wants --repo and --pr" github --repo acme/infra --api-url "$GH" "$PLAN"
nosend "--pr not a number" "--pr wants a positive whole number, not 'seven'" github --repo acme/infra --pr seven "$PLAN"
nosend "gitlab option on github" "--mr is for gitlab" github --repo acme/infra --mr 3 "$PLAN"
nosend "bad --repo" "--repo wants OWNER/REPO" github --repo acme --pr 7 --api-url "$GH" "$PLAN"
nosend "bad --behavior" "--behavior wants update or new, not 'replace'" github --repo acme/infra --pr 7 --behavior replace "$PLAN"
nosend "no plan" "no plan given" github --repo acme/infra --pr 7 --api-url "$GH"
nosend "two plans" "unexpected argument" github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN" "$PLAN"
nosend "plain http to another host" "the token is not sent over plain http" github --repo acme/infra --pr 7 --api-url http://example.com "$PLAN"
nosend "--api-url with a query" "--api-url wants a plain URL" github --repo acme/infra --pr 7 --api-url "$GH?x=1" "$PLAN"
check "usage errors point to help" contains "$TMP/err" "run 'cloudtally help comment' for usage"
expect_exit 2 "a token with a newline" env "GITHUB_TOKEN=$TOKEN
X-Injected: 1" "$CT" comment github --repo acme/infra --pr 7 --api-url "$GH" "$PLAN"
cat "$TMP/out" "$TMP/err" >>"$TMP/all"
"$CT" --db "$TMP/none.db" comment github --repo acme/infra --pr 7 --api-url "$GH" "$TMP/no-such-plan.json" >"$TMP/out" 2>"$TMP/err"
got=$?
cat "$TMP/out" "$TMP/err" >>"$TMP/all"
check "a missing plan file fails (exit $got)" test "$got" -ne 0 -a "$got" -ne 5
check "a missing plan file: named" contains "$TMP/err" "no-such-plan.json"
is "usage errors sent nothing" 'len(log)' 0

# ---- the token never shows -----------------------------------------------
check "the token is in no output" sh -c "! grep -qF '$TOKEN' '$TMP/all'"
check "the token is not in the request log" sh -c "! grep -qF '$TOKEN' '$TMP/requests'"
check "help documents every option" sh -c "'$CT' help comment | grep -q -- '--usage-file' && '$CT' help comment | grep -q -- '--behavior'"

finish
