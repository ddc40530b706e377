#!/usr/bin/env bash
# Unit tests of runner/lib/common.sh's input checks: the nice level that
# KBUILD_NICE must be, the missing-package list that setup_missing
# installs from, an install that keeps stdout (a caller's result) clean, and
# the stop of every process below a run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"
failures=0

expect() { # expect WANT(0|1) DESCRIPTION COMMAND...
	local want=$1 what=$2 got=0
	shift 2
	"$@" || got=1
	if ((got != want)); then
		echo "FAIL: $what: $* returned $got, expected $want"
		failures=$((failures + 1))
	fi
}

for level in 0 5 19 -20 -1 08; do
	expect 0 "a nice level" is_nice_level "$level"
done
for level in "" abc 20 -21 100 1.5 " 1" "1 " --5 +3; do
	expect 1 "not a nice level" is_nice_level "$level"
done

missing=$(missing_packages bash igt-shrink-no-such-package)
expect 0 "an absent package is listed" test "$missing" = igt-shrink-no-such-package

# apt_get stands in for apt-get: the install must send its output to stderr,
# since callers such as prepare_built_kernel print their result on stdout.
apt_get() { echo "apt-get $*"; }
list_one() { echo igt-shrink-no-such-package; }
out=$(install_missing list_one 2>/dev/null)
expect 0 "an install prints nothing on stdout" test -z "$out"

# kill_descendants stops grandchildren too (a kernel build's compilers below
# its make), and itself waits for nothing: a subshell with two sleeps below.
alive() { # alive PID...: true while one of them is left
	local pid
	for pid; do kill -0 "$pid" 2>/dev/null && return 0; done
	return 1
}
gone() { # gone PID...: true once none of them is left, within 5 s
	local _
	for _ in $(seq 50); do
		alive "$@" || return 0
		sleep 0.1
	done
	return 1
}
(sleep 300 & sleep 300 & wait) &
tree=$!
for _ in $(seq 50); do
	mapfile -t sleeps < <(pgrep -P "$tree")
	((${#sleeps[@]} == 2)) && break
	sleep 0.1
done
expect 0 "the subshell started its two sleeps" test "${#sleeps[@]}" = 2
kill_descendants $$
expect 0 "the subshell and both sleeps are stopped" gone "$tree" "${sleeps[@]}"
kill -9 "$tree" "${sleeps[@]}" 2>/dev/null
wait 2>/dev/null

((failures == 0)) && echo "all checks passed"
exit $((failures > 0))
