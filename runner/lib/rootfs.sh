# shellcheck shell=bash
# The guest's userspace: Debian sid minbase with the real igt_runner,
# upstream's tests and what the guest scripts and our binaries need,
# as an ext4 image. Built once and reused until its inputs change.

ROOTFS_SUITE=${IGTVM_ROOTFS_SUITE:-sid}
# igt-gpu-tools: igt_runner, igt_results. -tests: upstream binaries (the reference).
# kmod, util-linux, procps: modprobe, swapon, ps for the guest script.
# libdrm2, libkmod2, libpciaccess0: what the project's binaries link against.
ROOTFS_PACKAGES=(igt-gpu-tools igt-gpu-tools-tests kmod util-linux procps
	libdrm2 libkmod2 libpciaccess0)

# Bump when a change to the build below changes what ends up in the image.
ROOTFS_RECIPE=1

# Everything that changes the image goes into its cache key. The package
# lists move daily in sid; the image is also refreshed when older than a
# week (IGTVM_ROOTFS_MAX_AGE days).
rootfs_key() {
	echo "$ROOTFS_RECIPE $ROOTFS_SUITE ${ROOTFS_PACKAGES[*]} ${IGTVM_EXTRA_PACKAGES:-}" |
		sha256sum | cut -c1-16
}

rootfs_image_path() {
	echo "$IGTVM_CACHE/rootfs/sid-$(rootfs_key).img"
}

# Build (if needed) and print the path of the rootfs image.
prepare_rootfs() {
	local image
	image=$(rootfs_image_path)
	with_lock "$IGTVM_CACHE/locks/rootfs" build_rootfs_if_needed "$image" >&2
	[[ -f $image ]] || die "rootfs image was not built"
	echo "$image"
}

build_rootfs_if_needed() {
	local image=$1 max_age_days=${IGTVM_ROOTFS_MAX_AGE:-7}
	if [[ -f $image ]]; then
		if [[ ${IGTVM_OFFLINE:-0} == 1 ]] || [[ -n $(find "$image" -newermt "-$max_age_days days") ]]; then
			return 0
		fi
		log "rootfs image older than $max_age_days days: rebuilding (the old one is kept if that fails)"
	fi
	[[ ${IGTVM_OFFLINE:-0} == 1 ]] && die "--offline, but the rootfs image is not in the cache yet"
	require_space "$IGTVM_CACHE" 1500
	local work
	mkdir -p "$IGTVM_CACHE/rootfs"
	work=$(mktemp -d "$IGTVM_CACHE/rootfs/build.XXXXXX")
	# shellcheck disable=SC2064 # expand now: $work is local
	trap "rm -rf '$work'" RETURN
	local t0
	t0=$(now)
	if ! build_rootfs_tar "$work/rootfs.tar" "$work/mmdebstrap.log"; then
		tail -n 20 "$work/mmdebstrap.log" >&2
		[[ -f $image ]] && { warn "rootfs rebuild failed: keeping the old image"; return 0; }
		die "building the rootfs failed (log above)"
	fi
	log "rootfs: debootstrap done in $(elapsed "$t0") s, making the ext4 image"
	rootfs_tar_to_image "$work/rootfs.tar" "$work/image.img" "$work/tree" ||
		die "making the rootfs image failed"
	mv "$work/image.img" "$image"
	# Images of other keys unused for two days are dead weight (another
	# checkout of the runner may still be using a recent one).
	find "$IGTVM_CACHE/rootfs" -maxdepth 1 -name 'sid-*.img' ! -path "$image" -mtime +1 -delete
	log "rootfs: ready in $(elapsed "$t0") s: $image"
}

build_rootfs_tar() {
	local out=$1 logfile=$2 mirror mode=${IGTVM_MMDEBSTRAP_MODE:-}
	mirror=$(host_mirrors | head -n 1)
	# root mode needs real root (it mounts /proc in the chroot); a normal
	# user gets unshare mode (unprivileged user namespaces + /etc/subuid).
	if [[ -z $mode ]]; then
		mode=root
		is_root || mode=unshare
	fi
	local packages
	packages=$(IFS=,; echo "${ROOTFS_PACKAGES[*]}${IGTVM_EXTRA_PACKAGES:+,$IGTVM_EXTRA_PACKAGES}")
	log "rootfs: mmdebstrap --variant=minbase $ROOTFS_SUITE (mode $mode, about 40 s)"
	# sid's Release files carry Valid-Until; an archive snapshot may be past it.
	# Docs, man pages and translations are left out: a smaller image is quicker to make.
	# The hooks' "$1" is mmdebstrap's, not ours.
	# shellcheck disable=SC2016
	mmdebstrap --mode="$mode" --variant=minbase \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='Acquire::Languages "none"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--include="$packages" \
		--customize-hook='mkdir -p "$1/igtvm" "$1/usr/lib/modules"' \
		--customize-hook='echo igtvm > "$1/etc/hostname"' \
		"$ROOTFS_SUITE" "$out" "$mirror" </dev/null 2>&1 | tee "$logfile" | progress_filter
}

# Only mmdebstrap's own step lines: the package-by-package noise stays in the log.
progress_filter() {
	{ grep --line-buffered -E '^I: ' || true; } | sed -u 's/^I: /[igt-vm] rootfs: /' >&2
}

# ext4 from the tarball. mke2fs -d copies owners as it sees them, so as a
# normal user this runs in a user namespace where the user is uid 0.
rootfs_tar_to_image() {
	local tar=$1 image=$2 tree=$3 size_mb
	size_mb=$(($(stat -c %s "$tar") * 3 / 2 / 1048576 + 256))
	mkdir -p "$tree"
	truncate -s "${size_mb}M" "$image"
	# Device nodes cannot be made in a user namespace, and the guest mounts
	# devtmpfs on /dev anyway.
	# In the namespace only uid 0 exists: owners collapse to root there,
	# which the guest does not mind.
	local owner=--same-owner
	is_root || owner=--no-same-owner
	# shellcheck disable=SC2016 # positional parameters of the inner sh
	as_fake_root sh -c '
		tar -C "$1" -xf "$2" --exclude="./dev/*" --numeric-owner "$4" &&
		mke2fs -q -F -t ext4 -L igtroot -E root_owner=0:0 -d "$1" "$3"' \
		sh "$tree" "$tar" "$image" "$owner"
	local rc=$?
	as_fake_root rm -rf "$tree"
	return $rc
}
