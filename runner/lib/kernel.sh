# shellcheck shell=bash
# Kernels for the VM: Debian's, fetched with a private apt configuration
# and extracted (never installed on the host), or the user's own build.
#
# A prepared kernel is a directory holding:
#   vmlinuz            the bzImage
#   modules/<kver>/    the modules tree, with modules.dep
#   kver, description  plain-text facts for the summary

KERNEL_NAMES="trixie-backports trixie sid experimental deb12"
# How long a name -> version answer stays fresh before asking the archive again.
KERNEL_RESOLVE_TTL=${IGTVM_RESOLVE_TTL:-86400}

# Suites searched for each kernel name, and an ABI filter ("" = newest of any).
kernel_suites() {
	case $1 in
	trixie-backports) echo "main:trixie-backports" ;;
	trixie) echo "main:trixie security:trixie-security" ;;
	sid) echo "main:sid" ;;
	experimental) echo "main:experimental" ;;
	deb12) echo "main:bookworm security:bookworm-security" ;;
	*) return 1 ;;
	esac
}

kernel_abi_filter() {
	case $1 in
	trixie | deb12) echo '^6\.12\.' ;;
	*) echo '' ;;
	esac
}

# Options that make apt-get/apt-cache use only files under $1.
private_apt_opts() {
	local dir=$1
	printf '%s\n' \
		-o "Dir::Etc::sourcelist=$dir/sources.list" \
		-o "Dir::Etc::sourceparts=$dir/empty.d" \
		-o "Dir::State::Lists=$dir/lists" \
		-o "Dir::Cache=$dir/cache" \
		-o "Dir::State::status=/dev/null" \
		-o "Dir::Etc::preferences=/dev/null" \
		-o "Dir::Etc::preferencesparts=$dir/empty.d" \
		-o "Dir::Etc::trustedparts=/etc/apt/trusted.gpg.d" \
		-o "APT::Architecture=amd64" \
		-o "APT::Architectures::=amd64" \
		-o "Acquire::Languages=none" \
		-o "Acquire::Check-Valid-Until=false" \
		-o "Debug::NoLocking=1" \
		-o "APT::Sandbox::User=$(id -un)"
}

# Write the private sources.list for a kernel name and refresh its lists.
apt_refresh() {
	local name=$1 dir=$2 main security entry area suite uri
	{ read -r main; read -r security; } < <(host_mirrors)
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/empty.d"
	: >"$dir/sources.list"
	for entry in $(kernel_suites "$name"); do
		area=${entry%%:*} suite=${entry#*:}
		uri=$main
		[[ $area == security ]] && uri=$security
		echo "deb [arch=amd64] $uri $suite main" >>"$dir/sources.list"
	done
	local -a opts
	mapfile -t opts < <(private_apt_opts "$dir")
	log "kernel $name: reading package lists ($(kernel_suites "$name" | sed 's/[a-z]*://g'))"
	apt-get "${opts[@]}" -q update >"$dir/update.log" 2>&1 || {
		tail -n 5 "$dir/update.log" >&2
		return 1
	}
}

# Print "ABI LAYOUT VERSION" of the newest amd64 kernel in the private lists.
# ABI is like 7.3.4+deb13; LAYOUT is "split" (7.x packages) or "unsigned" (6.12).
newest_kernel_in_lists() {
	local dir=$1 filter=$2
	local f
	# Lists may be stored compressed (lz4, gz): apt-helper reads any of them.
	for f in "$dir"/lists/*_Packages*; do
		/usr/lib/apt/apt-helper cat-file "$f"
	done 2>/dev/null | awk -v filter="$filter" '
		/^Package: / { pkg = $2 }
		/^Version: / {
			abi = ""
			if (pkg ~ /^linux-binary-[0-9].*-amd64$/) { abi = pkg; sub(/^linux-binary-/, "", abi); layout = "split" }
			else if (pkg ~ /^linux-image-[0-9].*-amd64-unsigned$/) { abi = pkg; sub(/^linux-image-/, "", abi); sub(/-unsigned$/, "", abi); layout = "unsigned" }
			if (abi != "") { sub(/-amd64$/, "", abi); if (filter == "" || abi ~ filter) print abi, layout, $2 }
		}' | sort -u | pick_newest_version
}

# Read "ABI LAYOUT VERSION" lines, print the one with the highest VERSION.
pick_newest_version() {
	local best="" best_ver="" abi layout ver
	while read -r abi layout ver; do
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best="$abi $layout $ver" best_ver=$ver
		fi
	done
	[[ -n $best ]] && echo "$best"
}

# Name -> "ABI LAYOUT VERSION", from a recent answer when there is one, so a
# warm run needs no network; a stale answer is used when the archive is unreachable.
resolve_kernel_name() {
	local name=$1
	local dir="$IGTVM_CACHE/apt/$name"
	local answer="$dir/resolved"
	if [[ -s $answer ]] && { [[ ${IGTVM_OFFLINE:-0} == 1 ]] ||
		(($(date +%s) - $(stat -c %Y "$answer") < KERNEL_RESOLVE_TTL)); }; then
		cat "$answer"
		return
	fi
	[[ ${IGTVM_OFFLINE:-0} == 1 ]] && die "--offline, but kernel '$name' is not in the cache yet"
	if ! apt_refresh "$name" "$dir"; then
		[[ -s $answer ]] || die "cannot reach the Debian archive to resolve kernel '$name'"
		warn "archive unreachable: using the last known kernel for '$name'"
		cat "$answer"
		return
	fi
	local found
	found=$(newest_kernel_in_lists "$dir" "$(kernel_abi_filter "$name")") ||
		die "no amd64 kernel found for '$name' in $(kernel_suites "$name")"
	echo "$found" >"$answer"
	echo "$found"
}

kernel_packages() {
	local abi=$1 layout=$2 version=$3
	if [[ $layout == split ]]; then
		printf '%s\n' "linux-binary-$abi-amd64=$version" "linux-modules-$abi-amd64=$version" \
			"linux-base-$abi-amd64=$version"
	else
		printf '%s\n' "linux-image-$abi-amd64-unsigned=$version"
	fi
}

# Download, extract and normalise one Debian kernel into $IGTVM_CACHE/kernels/<abi>.
fetch_debian_kernel() {
	local name=$1 abi=$2 layout=$3 version=$4
	local kdir="$IGTVM_CACHE/kernels/$abi-$version" apt_dir="$IGTVM_CACHE/apt/$name"
	[[ -f $kdir/.complete ]] && return 0
	require_space "$IGTVM_CACHE" 1500
	local work="$kdir.tmp"
	rm -rf "$work" && mkdir -p "$work/debs" "$work/root"
	[[ -d $apt_dir/lists ]] && compgen -G "$apt_dir/lists/*_Packages*" >/dev/null || apt_refresh "$name" "$apt_dir" ||
		die "cannot reach the Debian archive to download kernel $abi"
	local -a opts pkgs
	mapfile -t opts < <(private_apt_opts "$apt_dir")
	mapfile -t pkgs < <(kernel_packages "$abi" "$layout" "$version")
	log "kernel $name: downloading ${pkgs[*]}"
	(cd "$work/debs" && apt-get "${opts[@]}" download "${pkgs[@]}") ||
		die "download of kernel $abi failed"
	local deb
	for deb in "$work"/debs/*.deb; do
		log "kernel $name: extracting $(basename "$deb")"
		dpkg-deb -x "$deb" "$work/root" || die "cannot extract $deb"
	done
	normalise_kernel_tree "$work/root" "$work" || die "unexpected layout in kernel packages of $abi"
	echo "Debian $name: $abi ($version, $layout)" >"$work/description"
	rm -rf "$work/debs" "$work/root"
	touch "$work/.complete"
	rm -rf "$kdir" && mv "$work" "$kdir"
}

# Move the bzImage and the modules tree of an extracted package root into
# the prepared-kernel layout; both Debian layouts are handled here.
normalise_kernel_tree() {
	local root=$1 out=$2 moddir kver image
	moddir=$(find "$root/lib/modules" "$root/usr/lib/modules" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1)
	[[ -n $moddir ]] || return 1
	kver=$(basename "$moddir")
	if [[ -f $moddir/vmlinuz ]]; then
		image=$moddir/vmlinuz
	else
		image=$(ls "$root"/boot/vmlinuz-"$kver" 2>/dev/null) || return 1
	fi
	mkdir -p "$out/modules"
	mv "$image" "$out/vmlinuz"
	mv "$moddir" "$out/modules/$kver"
	# Some layouts ship modules.order/builtin elsewhere (linux-base); collect them.
	local f
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[[ -e $out/modules/$kver/$f ]] && continue
		find "$root" -name "$f" -path "*$kver*" -exec cp {} "$out/modules/$kver/" \; -quit
	done
	echo "$kver" >"$out/kver"
	# 7.x packages ship no modules.dep; 6.12 builds it in a maintainer script.
	depmod_into "$out/modules" "$kver"
}

# depmod wants <base>/lib/modules/<kver>: give it one with a symlink.
depmod_into() {
	local modules=$1 kver=$2 base
	base=$(mktemp -d)
	mkdir -p "$base/lib"
	ln -s "$(cd "$modules" && pwd)" "$base/lib/modules"
	depmod -b "$base" "$kver"
	local rc=$?
	rm -rf "$base"
	return $rc
}

# A user's kernel: a bzImage and a modules dir from `make modules_install
# INSTALL_MOD_PATH=DIR` (DIR, DIR/lib/modules or DIR/lib/modules/<kver>).
# Nothing is copied: the modules dir is shared with the guest as it is.
prepare_own_kernel() {
	local image=$1 modules=$2 kdir kver
	[[ -f $image ]] || die "kernel image not found: $image"
	grep -q 'HdrS' "$image" 2>/dev/null || die "$image does not look like a bzImage"
	[[ -n $modules ]] || die "--kernel PATH needs --modules DIR (from make modules_install INSTALL_MOD_PATH=DIR)"
	[[ -d $modules ]] || die "modules directory not found: $modules"
	local tree
	tree=$(own_modules_tree "$modules") || tree=$(index_own_modules_tree "$modules")
	kver=$(basename "$tree")
	kdir="$IGTVM_CACHE/kernels/own-$(content_hash "$image" "$tree")"
	mkdir -p "$kdir"
	ln -sfn "$(realpath "$image")" "$kdir/vmlinuz"
	ln -sfn "$(dirname "$(realpath "$tree")")" "$kdir/modules"
	echo "$kver" >"$kdir/kver"
	echo "own kernel: $image ($kver)" >"$kdir/description"
	echo "$kdir"
}

# A tree unpacked from a Debian package (linux-modules-*, 7.x) has no
# modules.dep: build it in place, as make modules_install does. Prints the
# <kver> directory.
index_own_modules_tree() {
	local dir=$1 cand tree=""
	for cand in "$dir" "$dir"/* "$dir"/lib/modules/* "$dir"/usr/lib/modules/*; do
		[[ -d $cand/kernel ]] && { tree=$cand; break; }
	done
	[[ -n $tree ]] || die "no <kver>/modules.dep or <kver>/kernel/ under $dir (point --modules at INSTALL_MOD_PATH or an unpacked linux-modules package)"
	[[ -w $tree ]] || die "$tree has no modules.dep and is not writable: run depmod -b BASE $(basename "$tree") on it"
	log "kernel: no modules.dep in $tree (unpacked from a package?): running depmod there"
	depmod_into "$(dirname "$tree")" "$(basename "$tree")" || die "depmod failed on $tree"
	echo "$tree"
}

own_modules_tree() {
	local dir=$1 cand
	for cand in "$dir" "$dir"/* "$dir"/lib/modules/* "$dir"/usr/lib/modules/*; do
		[[ -f $cand/modules.dep ]] && { echo "$cand"; return 0; }
	done
	return 1
}

# Entry point: NAME or PATH -> prepared kernel directory on stdout.
prepare_kernel() {
	local spec=$1 modules=${2:-}
	if [[ $spec == */* || -f $spec ]]; then
		prepare_own_kernel "$spec" "$modules"
		return
	fi
	[[ $spec == default || $spec == newest ]] && spec=trixie-backports
	kernel_suites "$spec" >/dev/null ||
		die "unknown kernel '$spec' (choose one of: $KERNEL_NAMES, or a path to a bzImage with --modules)"
	[[ -z $modules ]] || die "--modules only goes with --kernel PATH"
	local abi layout version
	read -r abi layout version < <(with_lock "$IGTVM_CACHE/locks/apt-$spec" resolve_kernel_name "$spec")
	[[ -n $version ]] || die "could not resolve kernel '$spec'"
	with_lock "$IGTVM_CACHE/locks/kernel-$abi" fetch_debian_kernel "$spec" "$abi" "$layout" "$version" >&2
	echo "$IGTVM_CACHE/kernels/$abi-$version"
}
