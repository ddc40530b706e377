#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright © 2026 igt-shrink authors
#
# xe_evict_shrink on a machine without an xe device: --list-subtests lists
# exactly the subtests of the issue (without touching any hardware), and a
# run skips every subtest (exit 77) saying why. On a machine with an xe
# device this check is skipped (exit 77): the binary would really run there.
#
# Usage: xe_evict_shrink_nohw.sh BINARY

bin=$1
shift
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

for drv in /sys/class/drm/card*/device/driver; do
	[ -e "$drv" ] || continue
	if [ "$(basename "$(readlink -f "$drv")")" = xe ]; then
		echo "an xe device is present: not a no-hardware machine, skipping"
		exit 77
	fi
done

expected="system-drop-caches
system-drop-caches-wc
system-drop-caches-gpu
system-reclaim
system-reclaim-wc
system-reclaim-gpu
system-pressure
system-pressure-wc
system-pressure-gpu
vram-evict-drop-caches
vram-evict-reclaim
busy
no-swap
multi-client
external
purgeable
cycles
closed-mapping
over-ram"

list=$("$bin" --list-subtests 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "--list-subtests exited $rc"
[ "$list" = "$expected" ] || fail "--list-subtests differs:
$(printf '%s\n' "$expected" >/tmp/xe_evict_shrink_nohw.$$; printf '%s\n' "$list" | diff /tmp/xe_evict_shrink_nohw.$$ -; rm -f /tmp/xe_evict_shrink_nohw.$$)"

out=$("$bin" 2>&1)
rc=$?
[ $rc -eq 77 ] || fail "a run without xe exited $rc, not 77"
printf '%s\n' "$out" | grep -q 'Test requirement' ||
	fail "no 'Test requirement' line giving the reason"
printf '%s\n' "$out" | grep -q 'No known gpu found.*(xe)' ||
	fail "the reason does not say that no xe device was found"
skips=$(printf '%s\n' "$out" | grep -c '^Subtest .*: SKIP')
[ "$skips" -eq 19 ] || fail "$skips subtests reported SKIP, not 19"
if printf '%s\n' "$out" | grep -q '^Subtest .*: \(SUCCESS\|FAIL\)'; then
	fail "a subtest did not skip"
fi

out=$("$bin" --run-subtest busy 2>&1)
rc=$?
[ $rc -eq 77 ] || fail "--run-subtest busy exited $rc, not 77"

if [ $failures -ne 0 ]; then
	printf '%s\n' "--- last output ---" "$out" >&2
	exit 1
fi
echo "xe_evict_shrink: 19 subtests listed, all skip without xe (exit 77)"
