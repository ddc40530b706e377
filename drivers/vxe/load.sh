#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads vxe.ko inside a guest and prints the device node of the vxe card.
# usage: load.sh /path/to/vxe.ko [param=value...]   (e.g. fault_skip_scan=1)
# Loads the modules vxe depends on first (modinfo's depends line), from the
# kernel's modules tree. POSIX sh (busybox ok).
set -u
ko=${1:?usage: load.sh /path/to/vxe.ko [param=value...]}
shift

for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' '); do
	[ -d "/sys/module/$dep" ] && continue
	modprobe "$dep" || {
		echo "vxe: cannot load $dep, which vxe.ko needs" >&2
		exit 1
	}
done
if ! insmod "$ko" "$@"; then
	dmesg | tail -n 5 >&2
	echo "vxe: insmod $ko $* failed" >&2
	exit 1
fi

# The card's parent is the faux device /sys/devices/faux/vxe.
for i in 1 2 3 4 5 6 7 8 9 10; do
	for card in /sys/class/drm/card*; do
		[ -e "$card/dev" ] || continue
		case $(readlink -f "$card/device") in
		*/faux/vxe)
			echo "/dev/dri/${card##*/}"
			exit 0
			;;
		esac
	done
	sleep 0.2
done
echo "vxe: loaded, but no vxe card in /sys/class/drm" >&2
exit 1
