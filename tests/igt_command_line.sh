#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright © 2026 igt-shrink authors
#
# Checks the command line of IGT test binaries, as igt_runner relies on it:
# --help succeeds; an unknown option fails with 79; --list-subtests exits 0
# with valid, unique names (79 and no output for tests without subtests);
# --show-testlist agrees with it; an unknown --run-subtest exits 79.
#
# Usage: igt_command_line.sh BINARY...

failures=0

fail() {
	echo "FAIL: $bin: $*" >&2
	failures=$((failures + 1))
}

check_binary() {
	bin=$1
	name=$(basename "$bin")
	[ -x "$bin" ] || { fail "not an executable"; return; }

	"$bin" --help >/dev/null 2>&1 || fail "--help exited $?"

	"$bin" --no-such-option >/dev/null 2>&1
	rc=$?
	[ $rc -eq 79 ] || fail "an unknown option exited $rc, not 79"

	list=$("$bin" --list-subtests 2>/dev/null)
	rc=$?
	if [ $rc -eq 79 ]; then
		[ -z "$list" ] || fail "--list-subtests exited 79 but printed subtests"
		return
	fi
	[ $rc -eq 0 ] || { fail "--list-subtests exited $rc"; return; }
	[ -n "$list" ] || fail "--list-subtests printed nothing"

	bad=$(printf '%s\n' "$list" | grep -v -E '^[A-Za-z0-9_-]+$')
	[ -z "$bad" ] || fail "invalid subtest names: $bad"
	dups=$(printf '%s\n' "$list" | sort | uniq -d)
	[ -z "$dups" ] || fail "duplicate subtest names: $dups"

	expected=$(printf '%s\n' "$list" | sed "s/^/igt@$name@/")
	[ "$("$bin" --show-testlist 2>/dev/null)" = "$expected" ] ||
		fail "--show-testlist does not match --list-subtests"

	"$bin" --run-subtest no-such-subtest-anywhere >/dev/null 2>&1
	rc=$?
	[ $rc -eq 79 ] || fail "an unknown subtest exited $rc, not 79"
}

[ $# -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }
for b in "$@"; do
	check_binary "$b"
done
[ $failures -eq 0 ] || exit 1
echo "command line of $# binaries: ok"
