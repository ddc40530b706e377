#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright © 2026 igt-shrink authors
#
# The proposed CI list lines (tests/intel-ci/: testlists, blocklists) name
# only subtests that exist: each igt@TEST@... line whose TEST is one of the
# given binaries must, as a regular expression, match at least one line of
# that binary's --show-testlist. Lines of other tests (upstream's, as in the
# blocklist narrowing) are not ours to check; a file with no line of ours
# at all is an error (a list that names nothing of ours is a mistake).
#
# Usage: ci_lists.sh BINARY... -- CI_LIST...

bins=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	bins="$bins $1"
	shift
done
[ "${1:-}" = -- ] && shift
if [ -z "$bins" ] || [ $# -eq 0 ]; then
	echo "usage: ci_lists.sh BINARY... -- CI_LIST..." >&2
	exit 2
fi
# The lines are regular expressions: no pathname expansion of them.
set -f

known=$(mktemp)
trap 'rm -f "$known"' EXIT
for bin in $bins; do
	"$bin" --show-testlist >>"$known" || { echo "FAIL: $bin --show-testlist failed" >&2; exit 1; }
done

failures=0
for ci in "$@"; do
	ours=0
	# shellcheck disable=SC2013 # an igt@ line is one word
	for entry in $(grep '^igt@' "$ci"); do
		test=$(printf '%s\n' "$entry" | cut -d@ -f2)
		grep -q "^igt@$test@" "$known" || continue
		ours=$((ours + 1))
		if ! grep -qxE "$entry" "$known"; then
			echo "FAIL: $ci: '$entry' names no existing subtest" >&2
			failures=$((failures + 1))
		fi
	done
	if [ "$ours" -eq 0 ]; then
		echo "FAIL: $ci names no subtest of$bins" >&2
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ] && echo "ci_lists: every line of ours names an existing subtest"
[ "$failures" -eq 0 ]
