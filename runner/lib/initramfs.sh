# shellcheck shell=bash
# A small initramfs per kernel: static busybox, the guest init and the few
# modules needed to reach the root disk and the 9p shares (decompressed,
# since busybox insmod cannot read .ko.xz). Everything else is loaded later
# by the rootfs's modprobe straight from the shared modules tree.

INITRAMFS_MODULES=(virtio_pci virtio_blk ext4 9pnet_virtio 9p)
# Loaded when the kernel has them as modules, silently skipped otherwise:
# ext4 on 6.12 asks the crypto API for crc32c, which modules.dep cannot tell.
INITRAMFS_OPTIONAL_MODULES=(crc32c_generic crc32c_intel)

# Print the module files (relative to the tree) to insmod, dependencies first.
modules_load_order() {
	local tree=$1
	shift
	declare -A path_of=() deps_of=() seen=()
	local line file name
	while IFS= read -r line; do
		file=${line%%:*}
		name=$(module_name "$file")
		path_of[$name]=$file
		deps_of[$name]=${line#*:}
	done <"$tree/modules.dep"
	local want
	for want in "$@"; do
		want=${want//-/_}
		if [[ -z ${path_of[$want]:-} ]]; then
			optional_module "$want" || grep -q "/${want}.ko" "$tree/modules.builtin" 2>/dev/null ||
				warn "module $want is neither in modules.dep nor built in"
			continue
		fi
		visit_module "$want"
	done
}

# Depth-first: every dependency is printed before the module needing it.
visit_module() {
	local name=$1 dep
	[[ -n ${seen[$name]:-} ]] && return
	seen[$name]=1
	for dep in ${deps_of[$name]}; do
		visit_module "$(module_name "$dep")"
	done
	echo "${path_of[$name]}"
}

optional_module() {
	[[ " ${INITRAMFS_OPTIONAL_MODULES[*]} " == *" $1 "* ]]
}

module_name() {
	local base=${1##*/}
	base=${base%%.ko*}
	echo "${base//-/_}"
}

decompress_module() {
	local src=$1 dst=$2
	case $src in
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*) cp "$src" "$dst" ;;
	esac
}

# Build (if needed) and print the initramfs path for a prepared kernel dir.
prepare_initramfs() {
	local kdir=$1 runner_dir=$2 kver key out
	kver=$(cat "$kdir/kver")
	key=$(content_hash "$runner_dir/guest/init" "$(find_tool busybox)" "$kdir/modules/$kver/modules.dep" \
		<(declare -f modules_load_order build_initramfs; echo "${INITRAMFS_MODULES[*]} ${INITRAMFS_OPTIONAL_MODULES[*]}"))
	out="$IGTVM_CACHE/initramfs/$kver-$key.cpio.gz"
	if [[ ! -f $out ]]; then
		with_lock "$IGTVM_CACHE/locks/initramfs-$key" build_initramfs "$kdir/modules/$kver" "$runner_dir/guest/init" "$out" >&2
	fi
	[[ -f $out ]] || die "initramfs was not built"
	echo "$out"
}

build_initramfs() {
	local tree=$1 init=$2 out=$3 work rel n=0 name
	[[ -f $out ]] && return 0
	work=$(mktemp -d)
	mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules} "$(dirname "$out")"
	cp "$(find_tool busybox)" "$work/bin/busybox"
	cp "$init" "$work/init"
	chmod 755 "$work/init" "$work/bin/busybox"
	while read -r rel; do
		name=$(printf '%02d-%s.ko' "$n" "$(module_name "$rel")")
		decompress_module "$tree/$rel" "$work/modules/$name" || { rm -rf "$work"; die "cannot unpack $rel"; }
		n=$((n + 1))
	done < <(modules_load_order "$tree" "${INITRAMFS_OPTIONAL_MODULES[@]}" "${INITRAMFS_MODULES[@]}")
	(cd "$work" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out.tmp" &&
		mv "$out.tmp" "$out"
	rm -rf "$work"
}
