# shellcheck shell=bash
# Kernels built from source for the VM: Debian's linux-source-X.Y package
# (fetched with the private apt setup of kernel.sh, unpacked into the cache)
# or a kernel tree of the user's, with an optional directory of patches,
# configured as x86_64 defconfig + kvm_guest.config + runner/kconfig/, built
# with ccache out of tree (O=), and cached by (source, config, patches).
#
# Cache layout under $KBUILD_CACHE (default $IGTVM_CACHE; a separate one
# gives a cold kernel build without touching the rest of the cache):
#   ksrc/<package>_<version>/   the unpacked package source (never written after)
#   kbuild/<key>/src            a hard-linked copy (of a package, or of a
#                               user's tree afresh every run), patches applied
#   kbuild/<key>/src/igt-build  the O= build directory (drivers build against it)
#   kbuild/<key>/out            the O= directory of a user's tree on another
#                               file system (built from where it is)
#   kernels/build-<key>/        the prepared kernel (vmlinuz, modules/, kver, ...)
#   ccache/                     compiler cache shared by all of these

KBUILD_CACHE=${KBUILD_CACHE:-$IGTVM_CACHE}
KBUILD_FRAGMENT_DIR=${KBUILD_FRAGMENT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../kconfig" && pwd)}
# The package a version name builds from, and the suite holding it.
KBUILD_SOURCE_SUITE=${KBUILD_SOURCE_SUITE:-trixie-backports}
KBUILD_JOBS=${KBUILD_JOBS:-$(nproc)}
# Not niced by default: a niced build starves behind any other load (two
# busy loops on a 2-core host left a nice 15 build 3 objects a minute),
# while the guests beside it size their work from the speed they measure.
KBUILD_NICE=${KBUILD_NICE:-0}
is_nice_level "$KBUILD_NICE" || die "KBUILD_NICE must be a nice level (-20 to 19), not '$KBUILD_NICE'"

# A build failure: exit status 4, so callers can tell it from bad options (2).
kbuild_fail() {
	printf '[igt-vm] error: %s\n' "$*" >&2
	exit 4
}

# --kernel-src SPEC: "linux-source-X.Y" (Debian package) or a directory.
kbuild_source_is_package() {
	[[ $1 =~ ^linux-source-[0-9]+\.[0-9]+$ ]]
}

# Newest version of a source package in the private lists of the suite.
kbuild_package_version() {
	local pkg=$1 dir=$2 f
	for f in "$dir"/lists/*_Packages*; do
		/usr/lib/apt/apt-helper cat-file "$f"
	done 2>/dev/null | awk -v want="$pkg" '
		/^Package: / { pkg = $2 }
		/^Version: / && pkg == want { print $2 }' | sort -u |
		while read -r v; do echo "$v"; done | {
		local best="" v
		while read -r v; do
			if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
		done
		[[ -n $best ]] && echo "$best"
	}
}

# Download and unpack linux-source-X.Y once; print the tree's path.
kbuild_fetch_package_source() {
	local pkg=$1 apt_dir="$KBUILD_CACHE/apt/ksrc-$KBUILD_SOURCE_SUITE" version
	if [[ ${IGTVM_OFFLINE:-0} != 1 ]] &&
		{ [[ ! -d $apt_dir/lists ]] || (($(date +%s) - $(stat -c %Y "$apt_dir/lists") > KERNEL_RESOLVE_TTL)); }; then
		apt_refresh "$KBUILD_SOURCE_SUITE" "$apt_dir" >&2 || warn "archive unreachable: using the last package lists"
		touch "$apt_dir/lists"
	fi
	version=$(kbuild_package_version "$pkg" "$apt_dir") ||
		die "no package $pkg in $KBUILD_SOURCE_SUITE (the Debian source packages are linux-source-X.Y)"
	local tree="$KBUILD_CACHE/ksrc/${pkg}_$version"
	if [[ ! -f $tree/.complete ]]; then
		with_lock "$KBUILD_CACHE/locks/ksrc-$pkg" kbuild_unpack_package "$pkg" "$version" "$apt_dir" "$tree" >&2 ||
			die "could not unpack $pkg $version"
	fi
	echo "$tree"
}

kbuild_unpack_package() {
	local pkg=$1 version=$2 apt_dir=$3 tree=$4 work="$4.tmp" tarball t
	[[ -f $tree/.complete ]] && return 0
	require_space "$KBUILD_CACHE" 3000
	rm -rf "$work" && mkdir -p "$work/deb"
	local -a opts
	mapfile -t opts < <(private_apt_opts "$apt_dir")
	log "kernel source: downloading $pkg=$version"
	(cd "$work/deb" && apt-get "${opts[@]}" -q download "$pkg=$version" >/dev/null) ||
		die "download of $pkg=$version failed"
	t=$(now)
	dpkg-deb -x "$work"/deb/*.deb "$work/deb/root" || die "cannot extract the $pkg package"
	tarball=$(find "$work/deb/root/usr/src" -maxdepth 1 -name "$pkg.tar.*" | head -n 1)
	[[ -n $tarball ]] || die "no /usr/src/$pkg.tar.* in the $pkg package"
	log "kernel source: unpacking $(basename "$tarball")"
	mkdir -p "$work/tree"
	tar -xf "$tarball" -C "$work/tree" --strip-components=1 || die "cannot unpack $tarball"
	rm -rf "$work/deb"
	echo "Debian $pkg $version" >"$work/tree/.igt-source"
	touch "$work/tree/.complete"
	rm -rf "$tree" && mv "$work/tree" "$tree" && rmdir "$work"
	log "kernel source: $pkg $version ready in $(elapsed "$t") s"
}

# What identifies a source tree for the cache key: the package version, or
# for a user's git tree its HEAD and uncommitted changes (make then rebuilds
# what changed; the key only separates unrelated trees).
kbuild_source_id() {
	local tree=$1
	if [[ -f $tree/.igt-source ]]; then
		cat "$tree/.igt-source"
	else
		realpath "$tree"
	fi
}

# The same, for people: a git tree's commit too (not part of the key, so
# that a new commit rebuilds incrementally in the same build directory).
kbuild_source_desc() {
	local tree=$1 head
	if [[ ! -f $tree/.igt-source ]] && kbuild_is_git_tree "$tree"; then
		head=$(git -C "$tree" describe --always --dirty 2>/dev/null) || head=""
		echo "$(kbuild_source_id "$tree")${head:+ at $head}"
	else
		kbuild_source_id "$tree"
	fi
}

kbuild_config_files() {
	local f
	for f in "$KBUILD_FRAGMENT_DIR"/*.config; do
		[[ -f $f ]] && echo "$f"
	done
}

# The patches of a directory in the order they apply: a "series" file if
# there is one (quilt's format), else *.patch sorted by name.
kbuild_patch_list() {
	local dir=$1 p
	if [[ -f $dir/series ]]; then
		while read -r p _; do
			[[ -z $p || $p == \#* ]] && continue
			[[ -f $dir/$p ]] || die "$dir/series names $p, which is not there"
			echo "$dir/$p"
		done <"$dir/series"
	else
		for p in "$dir"/*.patch; do
			[[ -f $p ]] && echo "$p"
		done
	fi
}

# Hard-linked copy of a tree: cheap, and `patch` replaces the files it
# changes instead of writing through the links into the original.
kbuild_patched_copy() {
	local tree=$1 patches=$2 dst=$3
	rm -rf "$dst.tmp"
	cp -al "$tree" "$dst.tmp" || die "cannot copy $tree"
	rm -f "$dst.tmp/.complete"
	kbuild_apply_patches "$dst.tmp" "$patches" "$tree"
	rm -rf "$dst" && mv "$dst.tmp" "$dst"
}

kbuild_make() {
	nice -n "$KBUILD_NICE" make -C "$KB_SRC" O="$KB_OUT" -j"$KBUILD_JOBS" \
		CC="ccache gcc" KBUILD_BUILD_USER=igt-shrink KBUILD_BUILD_HOST=igt-vm \
		KBUILD_BUILD_TIMESTAMP="@$KB_EPOCH" "$@"
}

# One build step: its output goes to the log; a failure names the step.
kbuild_step() {
	local step=$1
	shift
	echo "=== step $step: make $*" >>"$KB_LOG"
	if ! kbuild_make "$@" >>"$KB_LOG" 2>&1; then
		grep -E 'error|Error' "$KB_LOG" | tail -n 10 | sed 's/^/[igt-vm]   /' >&2
		kbuild_fail "kernel build failed at step '$step' (full log: $KB_LOG)"
	fi
}

# The compile step with a progress line every 30 s: objects compiled so far,
# against the count of the last build in this cache when there is one.
kbuild_compile() {
	local expect=$1 t=$2
	echo "=== step compile: make bzImage modules" >>"$KB_LOG"
	kbuild_make bzImage modules >>"$KB_LOG" 2>&1 &
	local pid=$! n rc=0 last=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		(($(date +%s) - last >= 30)) || continue
		last=$(date +%s)
		n=$(grep -c '^  CC ' "$KB_LOG")
		if ((expect > 0)); then
			log "kernel build: $n of about $expect objects compiled ($((100 * n / expect))%, $(elapsed "$t") s)"
		else
			log "kernel build: $n objects compiled ($(elapsed "$t") s; about 2500 for this config)"
		fi
	done
	wait "$pid" || rc=$?
	if ((rc)); then
		grep -E 'error|Error' "$KB_LOG" | tail -n 10 | sed 's/^/[igt-vm]   /' >&2
		kbuild_fail "kernel build failed at step 'compile' (full log: $KB_LOG)"
	fi
}

# Merge the fragments and say which requested options did not survive
# (a dependency missing in this kernel version): the build goes on.
kbuild_configure() {
	local -a frags
	mapfile -t frags < <(kbuild_config_files)
	((${#frags[@]})) || die "no config fragment in $KBUILD_FRAGMENT_DIR"
	kbuild_step defconfig x86_64_defconfig
	echo "=== step config: merge kvm_guest.config ${frags[*]}" >>"$KB_LOG"
	(cd "$KB_OUT" && KCONFIG_CONFIG=.config "$KB_SRC/scripts/kconfig/merge_config.sh" -m -O "$KB_OUT" \
		.config "$KB_SRC/kernel/configs/kvm_guest.config" "${frags[@]}") >>"$KB_LOG" 2>&1 ||
		kbuild_fail "kernel build failed at step 'config' (full log: $KB_LOG)"
	kbuild_step olddefconfig olddefconfig
	local line opt want got
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]]; then
			opt=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set ]]; then
			opt=${BASH_REMATCH[1]} want=n
		else
			continue
		fi
		got=$(grep -E "^$opt=" "$KB_OUT/.config" | cut -d= -f2-)
		[[ -n $got ]] || got=n
		[[ $got == "$want" ]] || warn "kernel config: $opt=$want requested, $got in this kernel"
	done < <(cat "${frags[@]}")
}

# What a kernel build needs from Debian: the compiler and build tools,
# ccache for the cache, and the headers objtool (libelf) and the certificate
# tools (libssl) build against.
KBUILD_PACKAGES=(ccache make gcc flex bison bc patch cpio libelf-dev libssl-dev)

# Build (or take from the cache) a kernel; print the prepared kernel dir.
#   $1  linux-source-X.Y or a kernel source directory
#   $2  a patch directory, or empty
prepare_built_kernel() {
	local spec=$1 patches=${2:-} tree
	setup_missing "building a kernel" missing_packages "${KBUILD_PACKAGES[@]}"
	if kbuild_source_is_package "$spec"; then
		tree=$(kbuild_fetch_package_source "$spec") || exit
	else
		[[ -f $spec/Makefile && -d $spec/mm && -f $spec/Kbuild ]] || die "--kernel-src $spec: not a kernel source tree (no Makefile, Kbuild, mm/)"
		tree=$(realpath "$spec")
		# A git tree is mirrored without its ignored files (kbuild_layout),
		# so one built in place is fine; any other tree is used as it is.
		kbuild_is_git_tree "$tree" || [[ ! -f $tree/.config && ! -d $tree/include/config ]] ||
			die "--kernel-src $spec: the tree was configured in place (.config) and is not a git tree; the runner builds out of tree: run 'make mrproper' there, or build it yourself and use --kernel/--modules"
	fi
	if [[ -n $patches ]]; then
		[[ -d $patches ]] || die "--patches $patches: not a directory"
		patches=$(realpath "$patches")
	fi
	local key
	key=$(kbuild_key "$tree" "$patches")
	# Builds of one source take turns: the second then mostly hits ccache
	# (a patched and an unpatched build of one package differ in a few files).
	kbuild_with_lock "$KBUILD_CACHE/locks/kbuild-source-$(basename "$tree")" kbuild_run "$tree" "$patches" "$key" >&2 || exit
	echo "$KBUILD_CACHE/kernels/build-$key"
}

# with_lock, with a wait long enough for another run's cold build (CI's
# 90 min limit is the real bound).
kbuild_with_lock() {
	local lockfile=$1
	shift
	mkdir -p "$(dirname "$lockfile")"
	(
		if ! flock -n 9; then
			log "kernel build: waiting for another build of this source to finish"
			flock -w "${KBUILD_LOCK_WAIT:-5400}" 9 || die "timed out waiting for lock $lockfile"
		fi
		"$@"
	) 9>"$lockfile"
}

kbuild_key() {
	local tree=$1 patches=$2
	local -a files
	mapfile -t files < <(kbuild_config_files)
	[[ -z $patches ]] || mapfile -t -O "${#files[@]}" files < <(kbuild_patch_list "$patches")
	content_hash <(kbuild_source_id "$tree") "${files[@]}" <(declare -f kbuild_configure kbuild_make)
}

kbuild_is_git_tree() {
	[[ $(git -C "$1" rev-parse --show-toplevel 2>/dev/null) == "$1" ]]
}

# Whether the cache can hard-link the tree's files (same file system).
kbuild_can_link() {
	local tree=$1 base=$2 rc=0
	mkdir -p "$base"
	ln "$tree/Makefile" "$base/.link-test" 2>/dev/null || rc=1
	rm -f "$base/.link-test"
	return $rc
}

# A user's tree, hard-linked afresh into $dst on every run (cheap: no data
# is copied) while $dst/igt-build, the build directory, is kept: links keep
# the files' mtimes, so make rebuilds what changed since the last run. Of a
# git tree only the tracked and the untracked but not ignored files are
# taken: a tree built in place (its .config, objects and generated files
# are ignored by the kernel's .gitignore files) is mirrored clean.
kbuild_mirror_tree() {
	local tree=$1 dst=$2 new="$2.new" t
	t=$(now)
	rm -rf "$new" && mkdir -p "$new"
	if kbuild_is_git_tree "$tree"; then
		# Files deleted but not yet `git rm`ed are listed too: cpio
		# complains about them and goes on (the checks below catch worse).
		(cd "$tree" && git ls-files -z --cached --others --exclude-standard --deduplicate |
			cpio -0 -pdl --quiet "$new" 2>"$new.err") ||
			warn "mirroring $tree: $(head -n 1 "$new.err")"
	else
		cp -al "$tree/." "$new" || die "cannot mirror $tree into $new"
	fi
	rm -f "$new.err"
	[[ -f $new/Makefile && -f $new/Kbuild ]] || {
		rm -rf "$new"
		die "--kernel-src $tree: its git tree does not track Makefile and Kbuild (an ignore rule such as Debian's '/*' in .gitignore?)"
	}
	[[ ! -d $dst/igt-build ]] || mv "$dst/igt-build" "$new/igt-build"
	rm -rf "$dst" && mv "$new" "$dst"
	log "kernel build: $tree mirrored (hard links) in $(elapsed "$t") s"
}

# Apply a patch directory to a tree whose files are hard links: `patch`
# writes each changed file anew, so the links' targets stay untouched.
kbuild_apply_patches() {
	local dst=$1 patches=$2 tree=${3:-$1} p n=0
	while read -r p; do
		n=$((n + 1))
		if ! patch -d "$dst" -p1 -s -N --no-backup-if-mismatch <"$p" >"$dst.patch.log" 2>&1; then
			sed 's/^/[igt-vm]   /' "$dst.patch.log" | tail -n 15 >&2
			kbuild_fail "kernel build failed at step 'patch': $(basename "$p") does not apply to $(kbuild_source_id "$tree")"
		fi
	done < <(kbuild_patch_list "$patches")
	((n)) || die "no patches in $patches (*.patch, or a series file)"
	log "kernel build: applied $n patches from $patches"
}

# Where a build's sources and objects go. A package source is copied (hard
# links) to kbuild/<key>/src and built in its subdirectory igt-build: the
# kernel then uses relative paths (srctree = ..), so every variant of one
# package compiles to identical command lines and ccache serves a patched
# build from the unpatched one's objects. A user's tree is mirrored the
# same way (kbuild_mirror_tree, every run), so its files that match the
# package's hit ccache too; when the cache is on another file system it is
# built from where it is, out of tree in kbuild/<key>/out.
kbuild_layout() {
	local tree=$1 patches=$2 base=$3
	if [[ -f $tree/.igt-source ]]; then
		if [[ ! -f $base/src/.igt-ready ]]; then
			rm -rf "$base/src"
			mkdir -p "$base"
			if [[ -n $patches ]]; then
				kbuild_patched_copy "$tree" "$patches" "$base/src"
			else
				cp -al "$tree" "$base/src" || die "cannot copy $tree"
			fi
			touch "$base/src/.igt-ready"
		fi
		KB_SRC="$base/src" KB_OUT="$base/src/igt-build"
	elif kbuild_can_link "$tree" "$base"; then
		kbuild_mirror_tree "$tree" "$base/src"
		[[ -z $patches ]] || kbuild_apply_patches "$base/src" "$patches" "$tree"
		KB_SRC="$base/src" KB_OUT="$base/src/igt-build"
	elif [[ -n $patches ]]; then
		kbuild_patched_copy "$tree" "$patches" "$base/src"
		KB_SRC="$base/src" KB_OUT="$base/out"
	else
		KB_SRC=$tree KB_OUT="$base/out"
	fi
	mkdir -p "$KB_OUT"
}

kbuild_run() {
	local tree=$1 patches=$2 key=$3
	local base="$KBUILD_CACHE/kbuild/$key" kdir="$KBUILD_CACHE/kernels/build-$key"
	# A package build is final once done; a user's tree is rebuilt (make is
	# incremental) every time, since its sources change under the same key.
	if [[ -f $tree/.igt-source && -f $kdir/.complete ]]; then
		log "kernel build: cached ($(cat "$kdir/description"))"
		return 0
	fi
	require_space "$KBUILD_CACHE" 6000
	mkdir -p "$base"
	KB_LOG="$base/build.log"
	: >"$KB_LOG"
	kbuild_layout "$tree" "$patches" "$base"
	# The patch directory's name in the release tells the kernels apart.
	export LOCALVERSION=${patches:+-$(basename "$patches")}
	# A fixed build timestamp keeps ccache hits across identical trees.
	KB_EPOCH=$(stat -c %Y "$tree/Makefile")
	export CCACHE_DIR="$KBUILD_CACHE/ccache" CCACHE_NOHASHDIR=1
	mkdir -p "$CCACHE_DIR"
	ccache -M 5G >/dev/null
	ccache -z >/dev/null
	local t
	t=$(now)
	log "kernel build: $(kbuild_source_desc "$tree")${patches:+ + $patches} in $KB_OUT (log: $KB_LOG)"
	kbuild_configure
	local expect
	expect=$(cat "$KBUILD_CACHE/kbuild/objects" 2>/dev/null || echo 0)
	kbuild_compile "$expect" "$t"
	local n
	n=$(grep -c '^  CC ' "$KB_LOG")
	# An incremental build, or one resumed after a stop, compiles only part:
	# keep the largest count, which is a whole build's.
	((n < 1000 || n <= expect)) || echo "$n" >"$KBUILD_CACHE/kbuild/objects"
	kbuild_install "$tree" "$patches" "$kdir"
	log "kernel build: $(cat "$kdir/kver") ready in $(elapsed "$t") s (ccache: $(kbuild_ccache_hits))"
}

kbuild_ccache_hits() {
	ccache --print-stats 2>/dev/null | awk -F'\t' '
		$1 ~ /^(direct|preprocessed)_cache_hit$/ { hit += $2 }
		$1 == "cache_miss" { miss = $2 }
		END { printf "%d hits, %d misses", hit, miss }'
}

# The prepared-kernel layout of kernel.sh, from the build directory.
kbuild_install() {
	local tree=$1 patches=$2 kdir=$3 kver
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
	kbuild_step modules_install modules_install INSTALL_MOD_PATH="$kdir.tmp/root" INSTALL_MOD_STRIP=1 DEPMOD=true
	kver=$(kbuild_make -s kernelrelease 2>/dev/null | tail -n 1)
	[[ -d $kdir.tmp/root/lib/modules/$kver ]] || kbuild_fail "kernel build failed at step 'modules_install': no lib/modules/$kver"
	cp "$KB_OUT/arch/x86/boot/bzImage" "$kdir.tmp/vmlinuz"
	mkdir -p "$kdir.tmp/modules"
	mv "$kdir.tmp/root/lib/modules/$kver" "$kdir.tmp/modules/$kver"
	rm -rf "$kdir.tmp/root"
	rm -f "$kdir.tmp/modules/$kver/build" "$kdir.tmp/modules/$kver/source"
	depmod_into "$kdir.tmp/modules" "$kver" || kbuild_fail "kernel build failed at step 'depmod'"
	echo "$kver" >"$kdir.tmp/kver"
	echo "$KB_OUT" >"$kdir.tmp/build-dir"
	echo "built from source: $(kbuild_source_desc "$tree")${patches:+ + patches $(basename "$patches")} ($kver)" >"$kdir.tmp/description"
	touch "$kdir.tmp/.complete"
	rm -rf "$kdir" && mv "$kdir.tmp" "$kdir"
}
