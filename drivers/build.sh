#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds an out-of-tree kernel module of ours (drivers/vxe) for a Debian
# kernel, inside a minimal Debian userspace of that kernel's
# suite (its gcc and its linux-headers package), created once with
# mmdebstrap and cached per kernel version and shared by the drivers. Or,
# with --kdir, against a kernel tree the caller built, in place or with O=
# (their compiler, no chroot).
#
# The runner's helpers (runner/lib: mirror, suites, locks, cache, free
# space) are used rather than repeated here.
#
# On success the path of the .ko is the only line on stdout. When the module
# cannot be built, the reason goes to stderr and the exit status is 1; 4 when
# the kernel lacks what the driver needs (older than 6.15: no ttm_bo_shrink()),
# 2 for usage or host errors.
set -euo pipefail

usage() {
	cat <<'USAGE'
usage: drivers/build.sh DRIVER [--kernel NAME] [--kver KVER] [--kdir DIR] [--force] [--quiet]

  DRIVER         vxe (the directory under drivers/)
  --kernel NAME  Debian kernel to build for: trixie-backports (default), sid,
                 experimental, trixie, deb12; newest kernel of that suite
  --kver KVER    exact kernel release, e.g. 7.3.4+deb13-amd64 (its suite is
                 still taken from --kernel)
  --kdir DIR     build against your own kernel build tree (make M=...), built
                 in place or with O=DIR; with the host's compiler, no download
  --force        rebuild the module even if the cached one is current
  --quiet        no progress lines on stderr, only errors

Cache: ${XDG_CACHE_HOME:-~/.cache}/igt-shrink/kmod/ (IGTVM_CACHE overrides the
igt-shrink part): build userspaces in roots/<kver>, modules in
DRIVER/<kver>/<source hash> (the 4 most recently used source versions).
A compile is stopped after VXE_BUILD_TIMEOUT seconds (default 1200); it runs
at the nice level KBUILD_NICE (default 0).
Prints the path of DRIVER.ko on success.
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
# shellcheck source=../runner/lib/common.sh
source "$repo/runner/lib/common.sh"
# shellcheck source=../runner/lib/kernel.sh
source "$repo/runner/lib/kernel.sh"

driver="" kernel=trixie-backports kver="" kdir="" force=0 quiet=0
t0=$(now)

case ${1:-} in
vxe) driver=$1; shift ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

blog() { ((quiet)) || printf '[%s-build] %s\n' "$driver" "$*" >&2; }
fail() { printf '[%s-build] cannot build %s: %s\n' "$driver" "$driver" "$*" >&2; exit 1; }
# The kernel lacks what the driver needs: not an error of ours (exit 4).
unsupported() { printf '[%s-build] cannot build %s: %s\n' "$driver" "$driver" "$*" >&2; exit 4; }
bdie() { printf '[%s-build] error: %s\n' "$driver" "$*" >&2; exit 2; }

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

# Seconds one compile may take (VXE_BUILD_TIMEOUT; a loaded 2-core host
# needed about 2 minutes).
build_timeout=${VXE_BUILD_TIMEOUT:-1200}
# The nice level of the compile: the kernel builds' (KBUILD_NICE, default 0:
# a niced compile starves behind other load and runs into the timeout).
build_nice=${KBUILD_NICE:-0}
is_nice_level "$build_nice" || bdie "KBUILD_NICE must be a nice level (-20 to 19), not '$build_nice'"
[[ $build_timeout =~ ^[1-9][0-9]*$ ]] ||
	bdie "VXE_BUILD_TIMEOUT must be a number of seconds, not '$build_timeout'"
srcdir=$repo/drivers/$driver
cache=$IGTVM_CACHE/kmod
mapfile -t sources < <(cd "$srcdir" && ls Makefile ./*.c ./*.h 2>/dev/null | sed 's|^\./||')
src_hash() { (cd "$srcdir" && cat "${sources[@]}") | sha256sum | cut -c1-16; }

# What the drivers need from the kernel: the TTM shrinker helpers (6.15),
# faux devices (6.15) and, for vxe, xe's uAPI header and drm_gpuvm.
check_headers() {
	local inc=$1 rel=$2
	[[ -f $inc/drm/ttm/ttm_bo.h ]] || fail "no include/drm/ttm/ttm_bo.h under $inc"
	grep -q 'ttm_bo_shrink(' "$inc/drm/ttm/ttm_bo.h" ||
		unsupported "kernel $rel has no ttm_bo_shrink() (TTM shrinker helpers arrived in 6.15)"
	grep -q 'ttm_tt_setup_backup' "$inc/drm/ttm/ttm_tt.h" ||
		unsupported "kernel $rel has no ttm_tt_setup_backup()"
	[[ -f $inc/linux/device/faux.h ]] ||
		unsupported "kernel $rel has no faux devices (linux/device/faux.h, 6.15+)"
	if [[ $driver == vxe ]]; then
		[[ -f $inc/uapi/drm/xe_drm.h ]] || unsupported "kernel $rel has no include/uapi/drm/xe_drm.h"
		[[ -f $inc/drm/drm_gpuvm.h ]] || unsupported "kernel $rel has no include/drm/drm_gpuvm.h"
	fi
}

# ---- a kernel tree of the caller's own -------------------------------------
if [[ -n $kdir ]]; then
	[[ -f $kdir/Makefile ]] || bdie "$kdir is not a kernel build tree (no Makefile)"
	kdir=$(cd "$kdir" && pwd)
	rel=$(make -s -C "$kdir" kernelrelease 2>/dev/null) || rel=unknown
	# Built with O=: the headers are in the source tree the build links to.
	inc=$kdir/include
	[[ -f $inc/drm/ttm/ttm_bo.h || ! -d $kdir/source/include ]] || inc=$kdir/source/include
	check_headers "$inc" "$rel"
	# modules_prepare alone leaves none: modpost then fails on every symbol.
	[[ -f $kdir/Module.symvers ]] ||
		fail "$kdir has no Module.symvers: build the kernel there first (make bzImage modules, or modules_prepare plus the Module.symvers of a full build of the same config)"
	# Two trees of one release (a patched and an unpatched 7.3.4) must not
	# share a build directory.
	out=$cache/$driver/own-$rel-$(printf '%s' "$kdir" | sha256sum | cut -c1-8)
	rm -rf "$out/src" && mkdir -p "$out/src"
	cp "${sources[@]/#/$srcdir/}" "$out/src/"
	blog "building against $kdir ($rel) with the host compiler"
	if ! make -C "$kdir" M="$out/src" modules >"$out/build.log" 2>&1; then
		tail -n 20 "$out/build.log" >&2
		fail "compilation failed against $kdir (full log: $out/build.log)"
	fi
	cp "$out/src/$driver.ko" "$out/$driver.ko"
	blog "built in $(elapsed "$t0") s"
	echo "$out/$driver.ko"
	exit 0
fi

# ---- a Debian kernel --------------------------------------------------------
[[ $kernel != deb12 && $kernel != bookworm ]] ||
	unsupported "Debian 12's kernels are 6.12: older than 6.15, no ttm_bo_shrink() (the TTM shrinker helpers $driver uses)"
kernel_suites "$kernel" >/dev/null || bdie "unknown kernel name '$kernel'"
# The headers of trixie-backports need trixie's gcc and kbuild deps too.
suites=$(kernel_suites "$kernel" | sed 's/[a-z]*://g')
[[ $kernel != trixie-backports ]] || suites="trixie $suites"
[[ $kernel != experimental ]] || suites="sid $suites"
main_suite=${suites%% *}

if [[ -z $kver ]]; then
	read -r abi _ _ < <(resolve_kernel_name "$kernel") || fail "no kernel found for '$kernel'"
	kver=$abi-amd64
	blog "kernel $kernel: newest is $kver"
fi
[[ $kver == *-amd64 ]] || kver=$kver-amd64

major=${kver%%.*} rest=${kver#*.} minor=${rest%%[.+-]*}
if ((major < 6 || (major == 6 && minor < 15))); then
	unsupported "kernel $kver is older than 6.15: no ttm_bo_shrink() (the TTM shrinker helpers $driver uses)"
fi

root=$cache/roots/$kver
# A build userspace made by the earlier builder (of vttm, vxe's
# predecessor) under the cache's vttm/roots is just as good.
old_root=$IGTVM_CACHE/vttm/roots/$kver
[[ -f $root/.complete || ! -f $old_root/.complete ]] || root=$old_root
hash=$(src_hash)
# One directory per source version: a build from another checkout (a
# worktree, a CI clone beside a developer's tree) does not evict this one.
out=$cache/$driver/$kver/$hash

# Creates the build userspace: minbase of the suites + gcc + make + headers.
make_build_root() {
	[[ -f $root/.complete ]] && return 0
	local main security s srcs=()
	{ read -r main; read -r security; } < <(host_mirrors)
	require_space "$(dirname "$root")" 1200
	rm -rf "$root.tmp" "$root"
	blog "creating the $suites build userspace for $kver (mmdebstrap, once)"
	for s in $suites; do
		srcs+=("deb $main $s main")
	done
	if ! mmdebstrap --variant=minbase --quiet \
		--include="make,gcc,linux-headers-$kver" \
		--aptopt='Acquire::Languages "none"' \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='mkdir -m 1777 "$1/build"' \
		"$main_suite" "$root.tmp" "${srcs[@]}" >"$root.log" 2>&1; then
		tail -n 15 "$root.log" >&2
		rm -rf "$root.tmp"
		fail "could not create a $suites userspace with linux-headers-$kver (is it in $suites?)"
	fi
	mv "$root.tmp" "$root"
	touch "$root/.complete"
	blog "userspace ready ($(du -sm "$root" | cut -f1) MiB)"
}

# Compiles in the chroot. Private mount and pid namespaces (and a user
# namespace when not root) give it /dev and /proc without leaving mounts.
compile_in_root() {
	local hdr=/usr/src/linux-headers-$kver
	[[ -d $root$hdr ]] || fail "the userspace has no $hdr"
	check_headers "$root/usr/src/linux-headers-${kver%-amd64}-common/include" "$kver"
	# /build is world-writable: in unshare mode the tree belongs to subids.
	rm -rf "${root:?}/build/$driver" && mkdir -p "$root/build/$driver"
	cp "${sources[@]/#/$srcdir/}" "$root/build/$driver/"
	# --kill-child: the namespace (make and the compilers) dies with
	# unshare; timeout bounds a build that hangs (a module builds in
	# seconds to a few minutes), so it never holds the lock for long. A
	# make left spinning by a killed run once held it for 80 minutes.
	local ns=(unshare --mount --pid --propagation private --fork --kill-child)
	is_root || ns=(unshare --map-root-user --mount --pid --fork --kill-child)
	blog "compiling for $kver"
	mkdir -p "$out"
	if ! timeout --kill-after=10 "$build_timeout" nice -n "$build_nice" "${ns[@]}" /bin/sh -c '
		root=$1 hdr=$2 drv=$3
		mount --rbind /dev "$root/dev" || exit 1
		mount -t tmpfs tmpfs "$root/tmp" || exit 1
		mount -t proc proc "$root/proc" || exit 1	# objtool reads /proc
		exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp \
			make -C "$hdr" M="/build/$drv" modules
	' sh "$root" "$hdr" "$driver" >"$out/build.log" 2>&1; then
		tail -n 20 "$out/build.log" >&2
		fail "compilation failed or passed ${build_timeout} s for $kver (full log: $out/build.log)"
	fi
	cp "$root/build/$driver/$driver.ko" "$out/$driver.ko"
	echo "$hash" >"$out/srchash"
	echo "$kver" >"$out/kver"
}

# Keeps the KEEP_BUILDS most recently used source versions per kernel.
KEEP_BUILDS=4
prune_builds() {
	local dir=$cache/$driver/$kver old
	# shellcheck disable=SC2012 # names are our own hex hashes
	for old in $(ls -1td "$dir"/*/ 2>/dev/null | tail -n +$((KEEP_BUILDS + 1))); do
		rm -rf "$old"
	done
}

build_locked() {
	if ((!force)) && [[ -f $out/$driver.ko && $(cat "$out/srchash" 2>/dev/null) == "$hash" ]]; then
		touch "$out"
		prune_builds
		blog "cached: $out/$driver.ko (sources unchanged)"
		return 0
	fi
	command -v mmdebstrap >/dev/null || bdie "mmdebstrap is missing (apt-get install mmdebstrap)"
	make_build_root
	compile_in_root
	touch "$out"
	prune_builds
	blog "built $out/$driver.ko for $kver in $(elapsed "$t0") s"
}

# One build per kernel version at a time: parallel runs share the roots.
mkdir -p "$(dirname "$root")"
with_lock "$root.lock" build_locked
echo "$out/$driver.ko"
