#!/usr/bin/env bash
# Unit tests of runner/lib/vxe.sh: --fault names are checked against the
# module's own fault_* parameters. modinfo is a function here that prints
# data/vxe-modinfo-p.txt, saved from modinfo -p on a vxe.ko built for
# trixie-backports' 7.3.4; a name the module lacks stops the run (exit 2)
# with the module's faults and their descriptions.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=../lib/vxe.sh
. "$here/../lib/vxe.sh"
failures=0
MODINFO_OUT=$here/data/vxe-modinfo-p.txt

# shellcheck disable=SC2317 # called by vxe_module_faults
modinfo() {
	[[ $1 == -p && $2 == vxe.ko ]] || { echo "modinfo: $2: not found" >&2; return 1; }
	cat "$MODINFO_OUT"
}

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# check NAME... in a subshell (die exits); sets RC and ERR.
check() {
	ERR=$( (check_vxe_faults vxe.ko "$@") 2>&1) && RC=0 || RC=$?
}

faults=$(vxe_module_faults vxe.ko | cut -f1 | paste -sd' ')
[[ $faults == "corrupt_restore zero_restore skip_scan half_backup dropcaches_only lose_willneed corrupt_evict" ]] ||
	fail "the module's faults, in its order, are not read: '$faults'"
desc=$(vxe_module_faults vxe.ko | awk -F'\t' '$1 == "skip_scan" { print $2 }')
[[ $desc == "Fault: the shrinker's scan frees nothing" ]] ||
	fail "a fault's description without its type: '$desc'"

check skip_scan corrupt_evict
((RC == 0)) || fail "two of the module's faults refused ($RC): $ERR"

check skip_scan no_such_thing
((RC == 2)) || fail "an unknown fault gave exit $RC, not 2"
[[ $ERR == *"unknown --fault 'no_such_thing'"* ]] || fail "the bad name is not said: $ERR"
[[ $ERR == *"    skip_scan          Fault: the shrinker's scan frees nothing"* ]] ||
	fail "the module's faults are not listed with their descriptions: $ERR"
[[ $ERR != *discrete* && $ERR != *job_timeout_ms* ]] || fail "other parameters listed as faults: $ERR"

check
((RC == 0)) || fail "no --fault still asks the module ($RC): $ERR"

MODINFO_OUT=/dev/null check skip_scan
[[ $RC == 2 && $ERR == *"declares no fault_* parameter"* ]] ||
	fail "a module without faults gave $RC: $ERR"

ERR=$( (check_vxe_faults missing.ko skip_scan) 2>&1) && RC=0 || RC=$?
[[ $RC == 2 && $ERR == *"modinfo -p missing.ko failed"* ]] ||
	fail "a failing modinfo gave $RC: $ERR"

((failures == 0)) && echo "all checks passed"
exit $((failures > 0))
