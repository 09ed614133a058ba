#!/bin/sh
# manpage.sh - data/cloudtally.1 and `cloudtally help` say the same thing:
# the same commands, each command's synopsis, and every option.
. "$CT_SRCDIR/tests/cli/lib.sh"

MAN="$CT_SRCDIR/data/cloudtally.1"
# the man page as plain text: roff escapes for '-' undone
sed 's/\\-/-/g' "$MAN" >"$TMP/man.txt"
"$CT" help >"$TMP/help.txt"
cmds=$(sed -n 's/^  \([a-z][a-z0-9]*\)  *.*/\1/p' "$TMP/help.txt")
mancmds=$(sed -n 's/^\.SS \([a-z][a-z0-9]*\)$/\1/p' "$TMP/man.txt")
check "same commands in help and man page" test "$(echo $cmds)" = "$(echo $mancmds)"
for c in $cmds; do
	"$CT" help "$c" >"$TMP/h.txt"
	syn=$(sed -n '1s/^usage: //p' "$TMP/h.txt")
	check "man page has the synopsis of $c" grep -qxF "$syn" "$TMP/man.txt"
	# every long option of the command's help is documented in its section
	sed -n "/^\.SS $c\$/,/^\.S[SH] /p" "$TMP/man.txt" >"$TMP/sec.txt"
	for o in $(grep -o -- '--[a-z][a-z-]*' "$TMP/h.txt" | sort -u); do
		check "man page documents $c $o" grep -q -- "$o" "$TMP/sec.txt"
	done
	for o in $(grep -o -- '--[a-z][a-z-]*' "$TMP/sec.txt" | sort -u); do
		check "help of $c mentions $o" grep -q -- "$o" "$TMP/h.txt"
	done
done
# global options and exit statuses
for o in --store --db --quiet --verbose --version; do
	check "man page has $o" grep -q -- "$o" "$TMP/man.txt"
	check "help has $o" grep -q -- "$o" "$TMP/help.txt"
done
for s in 0 1 2 3 4 5 6 70; do
	check "exit status $s documented" grep -qx "\.B $s" "$TMP/man.txt"
done
finish
