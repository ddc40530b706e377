# shellcheck shell=bash
# QEMU's accelerator: KVM where it boots the guest faster than TCG, TCG
# otherwise. A short timed probe boot of the guest's own kernel (no root
# filesystem: it ends in "Kernel panic - not syncing") runs once per host
# and kernel; the records are cached with the decision and its reason, and
# runner/accel.py makes the decision from them (unit-tested on recorded
# outputs in runner/tests/).

# Days a probe stays valid; a new QEMU, host kernel or CPU probes again anyway.
ACCEL_MAX_AGE_DAYS=${IGTVM_ACCEL_MAX_AGE:-30}
# The probe guest: small, one vCPU, no disks.
ACCEL_PROBE_MEM=256

kvm_usable() {
	[[ -r /dev/kvm && -w /dev/kvm ]]
}

# What makes a probe result stale: the host (name, kernel, CPU, KVM
# modules), QEMU's version and the guest kernel itself.
accel_probe_key() {
	local image=$1 host
	host="$(uname -n) $(uname -r) $(grep -m 1 '^model name' /proc/cpuinfo 2>/dev/null)"
	local m
	for m in /sys/module/kvm*; do
		[[ -e $m ]] && host+=" ${m##*/}"
	done
	host+=" $(qemu-system-x86_64 --version 2>/dev/null | head -n 1)"
	content_hash "$host" "$image"
}

# probe_boot PREFIX ACCEL CPU IMAGE TIMEOUT: one timed boot to the known
# console line; leaves PREFIX.meta, PREFIX.console and PREFIX.stderr.
probe_boot() {
	local prefix=$1 accel=$2 cpu=$3 image=$4 limit=$5 t0 pid rc=0 secs timed_out=0 deadline
	local opt=$accel
	[[ $accel == tcg ]] && opt=tcg,thread=multi
	: >"$prefix.console"
	: >"$prefix.stderr"
	t0=$(now)
	deadline=$(($(date +%s) + limit))
	# panic=-1 with -no-reboot: QEMU exits as soon as the guest panics.
	# QEMU runs under a subshell whose stderr is /dev/null: bash's "Aborted"
	# line for a QEMU that aborts (status 134) is a probe result, not an
	# error; the subshell's status is QEMU's. timeout(1) bounds a QEMU whose
	# runner was killed before it could stop it.
	(
		timeout -k 2 "$((limit + 5))" qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot \
			-accel "$opt" -cpu "$cpu" -smp 1 -m "$ACCEL_PROBE_MEM" -kernel "$image" \
			-append "console=ttyS0 panic=-1 quiet" -serial "file:$prefix.console" \
			</dev/null 2>"$prefix.stderr" &
		echo $! >"$prefix.pid"
		wait $!
	) 2>/dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		# After a KVM internal error QEMU pauses the guest for good: stop
		# there instead of waiting for the timeout.
		if grep -q 'KVM internal error' "$prefix.stderr"; then
			sleep 0.5 # the rest of QEMU's register dump
			probe_kill "$prefix"
			break
		fi
		if (($(date +%s) >= deadline)); then
			timed_out=1
			probe_kill "$prefix"
			break
		fi
		sleep 0.1
	done
	wait "$pid" || rc=$?
	rm -f "$prefix.pid"
	secs=$(elapsed "$t0")
	printf 'accel %s\ncpu %s\nstatus %s\nseconds %s\ntimed_out %s\ntimeout %s\n' \
		"$accel" "$cpu" "$rc" "$secs" "$timed_out" "$limit" >"$prefix.meta"
}

probe_kill() {
	local qpid
	qpid=$(cat "$1.pid" 2>/dev/null) || return 0
	kill "$qpid" 2>/dev/null || true
}

# Probe TCG, then KVM with -cpu host (and without arch-capabilities when
# the host's KVM refuses that MSR, as nested hosts do). KVM gets twice
# TCG's time plus 5 s: a slower KVM would not be chosen anyway.
accel_probe() {
	local dir=$1 image=$2
	if [[ -f $dir/decision ]] && [[ -n $(find "$dir/decision" -mtime "-$ACCEL_MAX_AGE_DAYS" 2>/dev/null) ]]; then
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	log "accelerator: probing TCG and KVM with short boots of this kernel (once per host and kernel)"
	probe_boot "$dir/tcg-1" tcg max "$image" 60
	local t_tcg limit
	t_tcg=$(awk '$1 == "seconds" { print $2 }' "$dir/tcg-1.meta")
	limit=$(awk -v t="$t_tcg" 'BEGIN { l = int(2 * t + 5); print (l < 10 ? 10 : (l > 60 ? 60 : l)) }')
	probe_boot "$dir/kvm-1" kvm host "$image" "$limit"
	if grep -q 'failed to set MSR' "$dir/kvm-1.stderr"; then
		probe_boot "$dir/kvm-2" kvm host,-arch-capabilities "$image" "$limit"
	fi
	# The decision for --accel auto, kept next to the records for a reader.
	local records
	mapfile -t records < <(accel_records "$dir")
	/usr/bin/python3 "$RUNNER_DIR/accel.py" decide --mode auto "${records[@]}" >"$dir/decision.tmp" &&
		mv "$dir/decision.tmp" "$dir/decision"
}

accel_records() {
	local m
	for m in "$1"/*.meta; do
		[[ -f $m ]] && echo "${m%.meta}"
	done
}

# choose_accel MODE IMAGE: sets ACCEL (tcg|kvm), ACCEL_CPU and ACCEL_REASON
# (read by qemu.sh and igt-vm).
# shellcheck disable=SC2034
# MODE auto probes (cached); kvm and tcg are the user's choice, said so.
choose_accel() {
	local mode=$1 image=$2 dir="" decision
	local args=(decide --mode "$mode")
	kvm_usable || args+=(--no-kvm)
	if [[ $mode != tcg ]] && kvm_usable; then
		local key
		key=$(accel_probe_key "$image")
		dir=$IGTVM_CACHE/accel/$key
		with_lock "$IGTVM_CACHE/locks/accel-$key" accel_probe "$dir" "$image"
		local r
		while read -r r; do args+=("$r"); done < <(accel_records "$dir")
	fi
	decision=$(/usr/bin/python3 "$RUNNER_DIR/accel.py" "${args[@]}") || die "accelerator decision failed"
	ACCEL=$(sed -n 's/^accel //p' <<<"$decision")
	ACCEL_CPU=$(sed -n 's/^cpu //p' <<<"$decision")
	ACCEL_REASON=$(sed -n 's/^reason //p' <<<"$decision")
	[[ -z $dir ]] || ACCEL_REASON+=" (probe records: $dir)"
}

# The -accel value for QEMU_CMD.
accel_qemu_option() {
	if [[ $ACCEL == kvm ]]; then
		echo kvm
	else
		echo tcg,thread=multi
	fi
}
