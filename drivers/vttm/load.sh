#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads vttm.ko inside a guest and prints the device node of the vttm card.
# usage: load.sh /path/to/vttm.ko [wc=1]
# Needs modprobe (kmod) and the kernel's modules tree for drm, drm_kms_helper,
# ttm and drm_ttm_helper, unless they are already loaded. POSIX sh (busybox ok).
set -u
ko=${1:?usage: load.sh /path/to/vttm.ko [wc=1]}
shift

if [ ! -d /sys/module/drm_ttm_helper ]; then
	modprobe drm_ttm_helper || {
		echo "vttm: cannot load drm_ttm_helper (and drm, drm_kms_helper, ttm)" >&2
		exit 1
	}
fi
if ! insmod "$ko" "$@"; then
	dmesg | tail -n 5 >&2
	echo "vttm: insmod $ko failed" >&2
	exit 1
fi

# The card's parent is the faux device /sys/devices/faux/vttm.
for i in 1 2 3 4 5 6 7 8 9 10; do
	for card in /sys/class/drm/card*; do
		[ -e "$card/dev" ] || continue
		case $(readlink -f "$card/device") in
		*/faux/vttm)
			echo "/dev/dri/${card##*/}"
			exit 0
			;;
		esac
	done
	sleep 0.2
done
echo "vttm: loaded, but no vttm card in /sys/class/drm" >&2
exit 1
