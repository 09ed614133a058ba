#!/bin/sh
# basics.sh - help, version, exit statuses, db init/migrate/check.
. "$CT_SRCDIR/tests/cli/lib.sh"

expect_exit 0 "--version" "$CT" --version
check "version text" contains "$TMP/out" "^cloudtally [0-9]"
expect_exit 0 "help" "$CT" help
for c in db demo help ingest report version; do
	check "help lists $c" contains "$TMP/out" "^  $c "
done
expect_exit 0 "help report" "$CT" help report
check "help report usage" contains "$TMP/out" "^usage: cloudtally report"
expect_exit 0 "report --help" "$CT" report --help
expect_exit 2 "no command" "$CT"
expect_exit 2 "unknown command" "$CT" frobnicate
check "unknown command named" contains "$TMP/err" "unknown command 'frobnicate'"
expect_exit 2 "unknown global option" "$CT" --bogus help
expect_exit 2 "unknown report option" "$CT" --db "$TMP/x.db" report --bogus
expect_exit 2 "help for no such command" "$CT" help nothing
expect_exit 2 "bad --month" "$CT" --db "$TMP/x.db" report --month 2026-13
expect_exit 2 "db without action" "$CT" --db "$TMP/x.db" db
expect_exit 6 "report on a missing store" "$CT" --db "$TMP/none.db" report
check "missing store named" contains "$TMP/err" "none.db"

expect_exit 0 "db init makes folders" "$CT" --db "$TMP/a/b/c.db" db init
check "store file exists" test -f "$TMP/a/b/c.db"
expect_exit 0 "db migrate" "$CT" --db "$TMP/a/b/c.db" db migrate
expect_exit 0 "db check on a fresh store" "$CT" --db "$TMP/a/b/c.db" db check
check "db check says ok" contains "$TMP/out" "^ok$"
expect_exit 3 "report on an empty store" "$CT" --db "$TMP/a/b/c.db" report
check "empty store explained" contains "$TMP/err" "no billing data"

# default path: XDG_DATA_HOME, then HOME; CLOUDTALLY_DB wins
XDG_DATA_HOME="$TMP/xdg" "$CT" -q db init
check "XDG_DATA_HOME store" test -f "$TMP/xdg/cloudtally/cloudtally.db"
"$CT" -q db init
check "HOME store" test -f "$HOME/.local/share/cloudtally/cloudtally.db"
CLOUDTALLY_DB="$TMP/env.db" "$CT" -q db init
check "CLOUDTALLY_DB store" test -f "$TMP/env.db"

# a damaged store fails the check with status 4
"$CT" -q --db "$TMP/d.db" db init
sqlite3 "$TMP/d.db" "INSERT INTO profile (id, h) VALUES (1, 1); INSERT INTO line (id, profile_id, charge_start, charge_end, billed_cost, effective_cost) VALUES ((9 << 32) + 1, 1, 0, 0, 1, 1);" 2>/dev/null
if command -v sqlite3 >/dev/null; then
	expect_exit 4 "db check finds an orphan line" "$CT" --db "$TMP/d.db" db check
	check "problem listed" contains "$TMP/out" "belongs to no ingest"
fi
# a store from a newer cloudtally is refused
if command -v sqlite3 >/dev/null; then
	"$CT" -q --db "$TMP/n.db" db init
	sqlite3 "$TMP/n.db" "PRAGMA user_version = 999"
	expect_exit 4 "newer schema refused" "$CT" --db "$TMP/n.db" report
fi
finish
