#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds vttm.ko for a Debian kernel, inside a minimal Debian userspace of
# that kernel's suite (its gcc and its linux-headers package), created once
# with mmdebstrap and cached per kernel version. Or, with --kdir, against a
# kernel tree the caller built (their compiler, no chroot).
#
# On success the path of vttm.ko is the only line on stdout. When the module
# cannot be built for the chosen kernel, the reason goes to stderr and the
# exit status is 1 (2 for usage or host errors).
set -euo pipefail

usage() {
	cat <<'USAGE'
usage: build.sh [--kernel NAME] [--kver KVER] [--kdir DIR] [--force] [--quiet]

  --kernel NAME  Debian kernel to build for: trixie-backports (default), sid,
                 experimental, trixie, deb12; newest linux-headers of that suite
  --kver KVER    exact kernel release, e.g. 7.3.4+deb13-amd64 (its suite is
                 still taken from --kernel)
  --kdir DIR     build against your own kernel build tree (make M=...), with
                 the host's compiler; nothing is downloaded
  --force        rebuild the module even if the cached one is current
  --quiet        no progress lines on stderr, only errors

Cache: ${XDG_CACHE_HOME:-~/.cache}/igt-shrink/vttm/ (IGTVM_CACHE overrides the
igt-shrink part). Prints the path of vttm.ko on success.
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
cache=${IGTVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/igt-shrink}/vttm
kernel=trixie-backports kver="" kdir="" force=0 quiet=0
t0=$(date +%s.%N)

log() { ((quiet)) || printf '[vttm-build] %s\n' "$*" >&2; }
fail() { printf '[vttm-build] cannot build vttm: %s\n' "$*" >&2; exit 1; }
die() { printf '[vttm-build] error: %s\n' "$*" >&2; exit 2; }
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

while (($#)); do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--kver) kver=${2:?}; shift 2 ;;
	--kdir) kdir=${2:?}; shift 2 ;;
	--force) force=1; shift ;;
	--quiet) quiet=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

sources=(Makefile vttm_drv.c)
src_hash() { (cd "$here" && cat "${sources[@]}") | sha256sum | cut -c1-16; }

# The TTM shrinker helpers (ttm_bo_shrink and friends) arrived in 6.15.
check_headers() {
	local inc=$1
	[[ -f $inc/drm/ttm/ttm_bo.h ]] || fail "no include/drm/ttm/ttm_bo.h under $inc"
	grep -q 'ttm_bo_shrink(' "$inc/drm/ttm/ttm_bo.h" ||
		fail "kernel $2 has no ttm_bo_shrink() (TTM shrinker helpers arrived in 6.15)"
	grep -q 'ttm_tt_setup_backup' "$inc/drm/ttm/ttm_tt.h" ||
		fail "kernel $2 has no ttm_tt_setup_backup()"
	[[ -f $inc/linux/device/faux.h ]] ||
		fail "kernel $2 has no faux devices (linux/device/faux.h, 6.15+)"
}

# ---- a kernel tree of the caller's own -------------------------------------
if [[ -n $kdir ]]; then
	[[ -f $kdir/Makefile ]] || die "$kdir is not a kernel build tree (no Makefile)"
	rel=$(make -s -C "$kdir" kernelrelease 2>/dev/null) || rel=unknown
	# An O= build directory holds only generated headers; the kernel links
	# its source tree there as "source".
	srcdir=$kdir
	[[ -f $kdir/source/Makefile ]] && srcdir=$(cd "$kdir/source" && pwd -P)
	check_headers "$srcdir/include" "$rel"
	# Two trees of one release (a patched and an unpatched 7.3.4) must not
	# share a build directory.
	out=$cache/own-$rel-$(realpath "$kdir" | sha256sum | cut -c1-8)
	mkdir -p "$out/src"
	cp "${sources[@]/#/$here/}" "$out/src/"
	log "building against $kdir ($rel) with the host compiler"
	if ! make -C "$kdir" M="$out/src" modules >"$out/build.log" 2>&1; then
		tail -n 20 "$out/build.log" >&2
		fail "compilation failed against $kdir (full log: $out/build.log)"
	fi
	cp "$out/src/vttm.ko" "$out/vttm.ko"
	log "built in $(elapsed) s"
	echo "$out/vttm.ko"
	exit 0
fi

# ---- a Debian kernel --------------------------------------------------------
case $kernel in
trixie-backports) suites="trixie trixie-backports" ;;
trixie) suites="trixie" ;;
sid) suites="sid" ;;
experimental) suites="sid experimental" ;;
deb12 | bookworm) fail "Debian 12's kernels are 6.12: older than 6.15, no ttm_bo_shrink() (the TTM shrinker helpers vttm uses)" ;;
*) die "unknown kernel name '$kernel'" ;;
esac
main_suite=${suites%% *}

mirror=${IGTVM_MIRROR:-}
if [[ -z $mirror ]]; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk 'tolower($1) == "uris:" { print $2; exit }')
	[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
	[[ -n $mirror ]] || die "no Debian mirror in the host's apt sources; set IGTVM_MIRROR"
fi
mirror=${mirror%/}

# Newest linux-headers-<ver>-amd64 of the suites, through a private apt setup.
resolve_kver() {
	local apt=$cache/apt/$kernel s
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/empty.d"
	: >"$apt/sources.list"
	for s in $suites; do
		echo "deb [arch=amd64] $mirror $s main" >>"$apt/sources.list"
	done
	local -a opts=(
		-o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/empty.d"
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
		-o "Dir::State::status=/dev/null" -o "Dir::Etc::preferences=/dev/null"
		-o "Dir::Etc::preferencesparts=$apt/empty.d" -o "APT::Architecture=amd64"
		-o "Acquire::Languages=none" -o "Acquire::Check-Valid-Until=false"
		-o "Debug::NoLocking=1")
	apt-get "${opts[@]}" -q update >"$apt/update.log" 2>&1 ||
		{ tail -n 3 "$apt/update.log" >&2; return 1; }
	apt-cache "${opts[@]}" --names-only search '^linux-headers-[0-9][0-9.]*\+deb[0-9]+-amd64$' |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -V | tail -n 1
}

# The answer is kept a day, and used past that when the archive is unreachable.
if [[ -z $kver ]]; then
	answer=$cache/apt/$kernel.resolved
	if [[ -s $answer ]] && (($(date +%s) - $(stat -c %Y "$answer") < 86400)); then
		kver=$(cat "$answer")
	else
		kver=$(resolve_kver) || kver=""
		if [[ -n $kver ]]; then
			echo "$kver" >"$answer"
		elif [[ -s $answer ]]; then
			kver=$(cat "$answer")
			log "archive unreachable: using the last known headers for $kernel"
		fi
	fi
	[[ -n $kver ]] || fail "no linux-headers-*-amd64 package in $suites"
	log "kernel $kernel: newest headers are $kver"
fi
[[ $kver == *-amd64 ]] || kver=$kver-amd64

major=${kver%%.*} rest=${kver#*.} minor=${rest%%[.+-]*}
if ((major < 6 || (major == 6 && minor < 15))); then
	fail "kernel $kver is older than 6.15: no ttm_bo_shrink() (the TTM shrinker helpers vttm uses)"
fi

root=$cache/roots/$kver
out=$cache/$kver
hash=$(src_hash)

# One build per kernel version at a time (parallel runners share the cache).
mkdir -p "$cache/roots"
exec 9>"$cache/roots/$kver.lock"
flock 9
if ((!force)) && [[ -f $out/vttm.ko && $(cat "$out/srchash" 2>/dev/null) == "$hash" ]]; then
	log "cached: $out/vttm.ko (sources unchanged)"
	echo "$out/vttm.ko"
	exit 0
fi

command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install mmdebstrap)"
command -v unshare >/dev/null || die "unshare is missing (util-linux)"

# The build userspace: minbase of the suite + gcc + make + the headers.
if [[ ! -f $root/.complete ]]; then
	avail=$(df -Pm "$(dirname "$cache")" 2>/dev/null | awk 'NR == 2 { print $4 }') || avail=""
	mkdir -p "$cache/roots"
	[[ -z $avail ]] || ((avail > 1200)) || die "less than 1200 MiB free under $cache"
	rm -rf "$root.tmp" "$root"
	log "creating the $suites build userspace for $kver (mmdebstrap, once)"
	t1=$(date +%s.%N)
	srcs=()
	for s in $suites; do
		srcs+=("deb $mirror $s main")
	done
	if ! mmdebstrap --variant=minbase --quiet \
		--include="make,gcc,linux-headers-$kver" \
		--aptopt='Acquire::Languages "none"' \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='mkdir -m 1777 "$1/build"' \
		"$main_suite" "$root.tmp" "${srcs[@]}" >"$cache/roots/$kver.log" 2>&1; then
		tail -n 15 "$cache/roots/$kver.log" >&2
		rm -rf "$root.tmp"
		fail "could not create a $suites userspace with linux-headers-$kver (is it in $suites?)"
	fi
	mv "$root.tmp" "$root"
	touch "$root/.complete"
	log "userspace ready in $(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s ($(du -sm "$root" | cut -f1) MiB)"
fi

hdr=/usr/src/linux-headers-$kver
[[ -d $root$hdr ]] || fail "the userspace has no $hdr"
check_headers "$root/usr/src/linux-headers-${kver%-amd64}-common/include" "$kver"

# /build is world-writable (made so at bootstrap): in unshare mode the tree
# belongs to subordinate ids, not to the user running this.
rm -rf "$root/build/vttm" && mkdir -p "$root/build/vttm"
cp "${sources[@]/#/$here/}" "$root/build/vttm/"

# Private mount and pid namespaces (and a user namespace when not root) give
# the chroot /dev and /proc without leaving mounts behind.
ns=(unshare --mount --pid --propagation private --fork)
[[ $(id -u) -eq 0 ]] || ns=(unshare --map-root-user --mount --pid --fork)
log "compiling for $kver"
mkdir -p "$out"
if ! "${ns[@]}" /bin/sh -c '
	root=$1 hdr=$2
	mount --rbind /dev "$root/dev" || exit 1
	mount -t tmpfs tmpfs "$root/tmp" || exit 1
	mount -t proc proc "$root/proc" || exit 1	# objtool reads /proc
	exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp \
		make -C "$hdr" M=/build/vttm modules
' sh "$root" "$hdr" >"$out/build.log" 2>&1; then
	tail -n 20 "$out/build.log" >&2
	fail "compilation failed for $kver (full log: $out/build.log)"
fi
cp "$root/build/vttm/vttm.ko" "$out/vttm.ko"
echo "$hash" >"$out/srchash"
echo "$kver" >"$out/kver"
log "built $out/vttm.ko for $kver in $(elapsed) s"
echo "$out/vttm.ko"
