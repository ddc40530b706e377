#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright © 2026 igt-shrink authors
#
# The blocklist lines proposed for upstream's PTL, WCL and NVL core lists
# (tests/intel-ci/xe.core.blocklist-narrowing.txt) keep every
# xe_evict_shrink subtest that needs no VRAM and drop the VRAM ones and
# upstream's xe_evict. igt_runner matches blocklist lines unanchored and
# without case, as grep -Ei does here.
#
# Usage: blocklist_narrowing.sh XE_EVICT_SHRINK_BINARY NARROWING_FILE

bin=$1
list=$2
failures=0
pats=$(grep '^igt@' "$list")

dropped() { # dropped NAME: does a line of the list match NAME?
	for p in $pats; do
		printf '%s\n' "$1" | grep -Eiq -- "$p" && return 0
	done
	return 1
}

set -f
for name in $("$bin" --show-testlist) igt@xe_evict@evict-small; do
	case $name in
	igt@xe_evict_shrink@vram-evict-* | igt@xe_evict@*) want=dropped ;;
	*) want=kept ;;
	esac
	if dropped "$name"; then got=dropped; else got=kept; fi
	if [ "$got" != "$want" ]; then
		echo "FAIL: $list: $name $got, should be $want" >&2
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ] && echo "blocklist_narrowing: keeps what needs no VRAM, drops the rest"
[ "$failures" -eq 0 ]
