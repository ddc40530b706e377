# shellcheck shell=bash
# Boot the guest under QEMU (TCG or KVM: lib/accel.sh) with a host-side deadline and a limit on
# time without progress, show progress from the serial console and turn QEMU's exit status
# into the guest's.

QEMU_PID=""
WATCH_PID=""

# The host's TSC frequency in kHz from its kernel log (the refined
# calibration, else the detected one); fails when the log does not say.
host_tsc_khz() {
	local khz
	khz=$(dmesg 2>/dev/null | sed -n -E \
		's/.*(Refined TSC clocksource calibration|tsc: Detected):? ([0-9]+)\.([0-9]{3}) MHz.*/\2\3/p' |
		tail -n 1)
	[[ $khz =~ ^[0-9]+$ ]] && echo "$khz"
}

# Build the QEMU command line into the array QEMU_CMD.
qemu_command() {
	local kdir=$1 initrd=$2 rootfs=$3 rundir=$4 swapimg=$5 console=$6
	local append
	# panic=-1 + -no-reboot: a panicking guest ends QEMU at once (status 0,
	# which the host reads as "no status reported").
	# fbcon=nodefault: drawing the framebuffer console under TCG slows the
	# GPU driver's probe; tests do not need it.
	# tsc=reliable: under TCG on a busy host the clocksource watchdog logs
	# "Long readout interval" at warning level, which igt_runner turns into
	# dmesg-warn for whatever test is running.
	append="console=ttyS0 panic=-1 quiet loglevel=4 fbcon=nodefault tsc=reliable rdinit=/init"
	# tsc_early_khz: under TCG the guest's TSC counts at the host's rate,
	# but the guest calibrates it against the emulated PIT, which a busy
	# host starves: seen at 649 MHz for a 2596 MHz TSC ("PIT calibration
	# deviates from HPET"), the refinement rejects a value more than 1% off,
	# and with tsc=reliable nothing corrects it: guest time then ran 3.6
	# times too fast and igt_runner's overall timeout cut the run short.
	local khz
	if [[ $(accel_qemu_option) == tcg* ]] && khz=$(host_tsc_khz); then
		append+=" tsc_early_khz=$khz"
	fi
	append+=" ${OPT_APPEND}"
	# shellcheck disable=SC2054 # commas inside QEMU option values
	QEMU_CMD=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
		-accel "$(accel_qemu_option)" -cpu "${ACCEL_CPU:-max}" -smp "$OPT_SMP" -m "$OPT_MEM"
		-kernel "$kdir/vmlinuz" -initrd "$initrd" -append "$append"
		-serial "file:$console"
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-drive "file=$rootfs,format=raw,if=virtio,snapshot=on"
		-virtfs "local,path=$kdir/modules,mount_tag=igtmods,security_model=none,readonly=on"
		-virtfs "local,path=$rundir,mount_tag=igtrun,security_model=none")
	if [[ -n $swapimg ]]; then
		QEMU_CMD+=(-drive "file=$swapimg,format=raw,if=virtio,cache=unsafe")
	fi
	case $OPT_GPU in
	# qxl: TTM's VRAM domain is the RAM bar (IO pages), surfaces live in
	# the VRAM bar; --vram sizes both.
	qxl) QEMU_CMD+=(-device "qxl-vga,ram_size_mb=$OPT_VRAM,vram_size_mb=$OPT_VRAM") ;;
	bochs) QEMU_CMD+=(-device "bochs-display,vgamem=${OPT_VRAM}M") ;;
	esac
}

# Print interesting console lines as they arrive, with host-side seconds
# since power-on; note when the first subtest starts. Each of them is
# progress: the file $4 is touched.
watch_console() {
	local console=$1 t0=$2 marks=$3 progress=$4 line t
	# --pid: tail (and so this loop) ends by itself once QEMU is gone.
	tail -n +1 -F --pid="$QEMU_PID" "$console" 2>/dev/null | while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		igtvm:* | \[[0-9]*/[0-9]*\]* | *"Kernel panic"* | *"BUG:"* | *"Oops"*) ;;
		*) continue ;;
		esac
		: >"$progress"
		t=$(elapsed "$t0")
		if [[ $line == \[[0-9]*/[0-9]*\]* ]] && [[ ! -s $marks ]]; then
			echo "first_test $t" >"$marks"
		fi
		printf '[igt-vm] %6ss  %s\n' "$t" "$line" >&2
	done
}

stop_qemu() {
	if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null
		sleep 1
		kill -9 "$QEMU_PID" 2>/dev/null || true
	fi
	QEMU_PID=""
	if [[ -n $WATCH_PID ]]; then
		# The watcher's tail follows QEMU's pid and stops within a second.
		local _
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$WATCH_PID" 2>/dev/null || break
			sleep 0.3
		done
		kill "$WATCH_PID" 2>/dev/null || true
		WATCH_PID=""
	fi
}

# Seconds since the file $1 was last modified.
seconds_since_change() {
	echo $(($(date +%s) - $(stat -c %Y "$1")))
}

# Run QEMU_CMD until it exits, the deadline passes or no progress (a
# subtest started, a step of the guest's script) came for STALL seconds:
# a loaded host makes a run slow, not silent. Sets GUEST_STATUS (judged,
# with its meaning, by runner/results.py): the guest's code (0 = results
# written), or one of
#   timeout   the host deadline passed (QEMU killed)
#   stalled   no progress for STALL seconds (QEMU killed)
#   nostatus  QEMU ended without a status (panic, poweroff)
#   qemu-N    QEMU itself failed with status N
run_qemu() {
	local console=$1 marks=$2 timeout=$3 stall=$4 t0 deadline rc
	local progress=$marks.progress
	: >"$console"
	: >"$marks"
	: >"$progress"
	t0=$(now)
	"${QEMU_CMD[@]}" 2>"$console.qemu-stderr" &
	QEMU_PID=$!
	watch_console "$console" "$t0" "$marks" "$progress" &
	WATCH_PID=$!
	deadline=$(($(date +%s) + timeout))
	GUEST_STATUS=""
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		if (($(date +%s) >= deadline)); then
			GUEST_STATUS=timeout
			break
		fi
		if (($(seconds_since_change "$progress") >= stall)); then
			GUEST_STATUS=stalled
			break
		fi
		sleep 0.2
	done
	if [[ $GUEST_STATUS == timeout || $GUEST_STATUS == stalled ]]; then
		stop_qemu
	else
		rc=0
		wait "$QEMU_PID" || rc=$?
		QEMU_PID=""
		stop_qemu
		if ((rc == 0)); then
			GUEST_STATUS=nostatus
		elif ((rc % 2 == 1)); then
			GUEST_STATUS=$(((rc - 1) / 2))
		else
			GUEST_STATUS=qemu-$rc
		fi
	fi
	echo "qemu_wall $(elapsed "$t0")" >>"$marks"
}
