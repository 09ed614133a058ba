# lib.sh - sourced by the CLI tests: a scratch folder, the binary under
# test, the shared sample data, and small assertions. Each test prints
# "ok N - what" / "not ok N - what" and a closing "N passed, N failed".
set -u
: "${CLOUDTALLY:?set by make check}"
: "${CT_SRCDIR:?set by make check}"
: "${CT_SHARED:=$CT_SRCDIR/../shared}"
export LC_ALL=C
unset CLOUDTALLY_DB CLOUDTALLY_NOW XDG_DATA_HOME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ct-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export HOME="$TMP/home"
mkdir -p "$HOME"
CT="$CLOUDTALLY"
EXT="$CT_SHARED/data/external"
TOOLS="$CT_SRCDIR/tests/tools"
pass=0
fail=0
n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }
check() { # check "what" command...
	what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
# expect_exit CODE "what" command... : run, compare the exit status
expect_exit() {
	want=$1
	what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$what (exit $got)"
	else
		not_ok "$what (exit $got, wanted $want)"
		sed 's/^/  stderr: /' "$TMP/err" | head -5
	fi
}
contains() { grep -q -- "$2" "$1"; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
have_shared() {
	if [ ! -d "$EXT" ]; then
		if [ -n "${CI:-}" ]; then
			echo "not ok - shared data not found at $CT_SHARED (required in CI)"
			echo "0 passed, 1 failed"
			exit 1
		fi
		echo "# shared data not found at $CT_SHARED: skipping"
		echo "0 passed, 0 failed"
		exit 77
	fi
}
