#!/usr/bin/env bash
# Unit tests of runner/lib/qemu.sh's watch over a run: a guest that keeps
# starting subtests runs to its end however long each takes, one that goes
# silent (or prints only kernel messages) is stopped after the stall limit,
# and the deadline holds whatever the progress. A shell script stands in for
# QEMU: it writes the serial console and exits with QEMU's isa-debug-exit
# status (2 * code + 1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=../lib/qemu.sh
. "$here/../lib/qemu.sh"
failures=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# run_as_qemu TIMEOUT STALL SCRIPT: runs SCRIPT (console file in $C) as QEMU;
# prints GUEST_STATUS and the seconds it took.
run_as_qemu() {
	local t0
	# shellcheck disable=SC2034 # read by run_qemu
	QEMU_CMD=(env C="$dir/console" bash -c "$3")
	t0=$(date +%s)
	run_qemu "$dir/console" "$dir/marks" "$1" "$2" 2>/dev/null
	echo "$GUEST_STATUS $(($(date +%s) - t0))"
}

# expect_run WANT_STATUS MAX_SECONDS DESCRIPTION TIMEOUT STALL SCRIPT
expect_run() {
	local want=$1 max=$2 what=$3 status secs
	shift 3
	read -r status secs < <(run_as_qemu "$@")
	if [[ $status != "$want" ]] || ((secs > max)); then
		echo "FAIL: $what: status $status after $secs s, expected $want within $max s"
		failures=$((failures + 1))
	fi
}

subtest='echo "[0$i/05] (100s left) t (s$i)" >>"$C"'
expect_run 0 40 "a guest that starts a subtest every 1.5 s with a 4 s stall limit" \
	60 4 "for i in 1 2 3 4 5; do $subtest; sleep 1.5; done; exit 1"
expect_run stalled 30 "a guest silent after its first subtest" \
	60 3 "i=1; $subtest; sleep 60"
expect_run stalled 30 "a guest that prints only kernel messages" \
	60 3 'while :; do echo "rcu: INFO: rcu_sched self-detected stall" >>"$C"; sleep 0.5; done'
expect_run timeout 25 "a guest that keeps starting subtests past the deadline" \
	3 30 "i=1; while :; do $subtest; sleep 0.5; done"
expect_run 2 25 "a guest's own status" 60 30 'echo "igtvm: igt_runner exit status 0" >>"$C"; exit 5'

((failures == 0)) && echo "all checks passed"
exit $((failures > 0))
