# shellcheck shell=bash
# Shared helpers for the igt-shrink VM runner: logging, cache layout,
# host tool checks and the Debian mirror the host already uses.

IGTVM_CACHE=${IGTVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/igt-shrink}

log()  { printf '[igt-vm] %s\n' "$*" >&2; }
warn() { printf '[igt-vm] warning: %s\n' "$*" >&2; }
die()  { printf '[igt-vm] error: %s\n' "$*" >&2; exit "${2:-2}"; }

# Seconds since the epoch with sub-second precision, for the timing figures.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root inside the project's notion of "root": as root it
# runs directly; as a normal user it runs in a user namespace where the user
# is mapped to uid 0, so files it creates look root-owned to mke2fs -d.
as_fake_root() {
	if is_root; then
		"$@"
	else
		unshare --map-root-user "$@"
	fi
}

# Host packages (bookworm) that provide the tools the runner calls.
declare -A HOST_TOOL_PACKAGE=(
	[qemu-system-x86_64]=qemu-system-x86
	[mmdebstrap]=mmdebstrap
	[mke2fs]=e2fsprogs
	[busybox]=busybox-static
	[xz]=xz-utils
	[zstd]=zstd
	[cpio]=cpio
	[depmod]=kmod
	[modinfo]=kmod
	[apt-get]=apt
	[dpkg-deb]=dpkg
	[python3]=python3
	[mkswap]=util-linux
	[unshare]=util-linux
	[sha256sum]=coreutils
	[pgrep]=procps
)

find_tool() {
	PATH=$PATH:/usr/sbin:/sbin command -v "$1" 2>/dev/null
}

# Host packages the runner needs that are not installed, one per line.
missing_host_packages() {
	local tool missing=()
	for tool in "${!HOST_TOOL_PACKAGE[@]}"; do
		find_tool "$tool" >/dev/null || missing+=("${HOST_TOOL_PACKAGE[$tool]}")
	done
	# busybox must be the static build: it runs inside the guest's initramfs.
	if find_tool busybox >/dev/null && ! file_is_static "$(find_tool busybox)"; then
		missing+=(busybox-static)
	fi
	((${#missing[@]})) || return 0
	printf '%s\n' "${missing[@]}" | sort -u
}

# Install whatever host tool is missing, from the host's own suite only.
# As a normal user, name the packages and stop: installing needs root.
setup_host_tools() {
	setup_missing "the runner" missing_host_packages
}

# The Debian packages among the arguments that dpkg has not installed.
missing_packages() {
	local pkg
	for pkg; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || echo "$pkg"
	done
}

# Install, from the host's own suite, the packages that the command LIST
# (with its arguments) names as missing; as a normal user, name them and
# stop: installing needs root. WHY says what needs them.
setup_missing() {
	local why=$1 missing
	shift
	mapfile -t missing < <("$@")
	((${#missing[@]})) || return 0
	if ! is_root; then
		die "$why needs packages that are missing: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
	fi
	# The matrix starts several runs at once on a fresh machine: one installs,
	# the others wait for it and then find nothing missing.
	with_lock /run/lock/igt-shrink-apt.lock install_missing "$@"
}

# apt's output goes to stderr: callers print their results on stdout.
install_missing() {
	local missing
	mapfile -t missing < <("$@")
	((${#missing[@]})) || return 0
	log "installing host packages: ${missing[*]}"
	apt_get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		die "could not install: ${missing[*]}"
}

# apt-get that waits for another apt or dpkg (ours or the system's) to finish
# instead of failing at once on its lock.
apt_get() {
	apt-get -o DPkg::Lock::Timeout=900 "$@"
}

file_is_static() {
	# ldd fails on a binary without a program interpreter.
	! ldd "$1" >/dev/null 2>&1
}

# True when $1 is a level nice(1) takes as given (-20 to 19).
is_nice_level() {
	[[ $1 =~ ^(-?)([0-9]{1,2})$ ]] || return 1
	local n=$((10#${BASH_REMATCH[2]}))
	if [[ -n ${BASH_REMATCH[1]} ]]; then ((n <= 20)); else ((n <= 19)); fi
}

# The pids below $1, each before its own children, leaving out the subshell
# that lists them.
descendants_of() {
	local child
	for child in $(pgrep -P "$1"); do
		[[ $child != "$BASHPID" ]] || continue
		echo "$child"
		descendants_of "$child"
	done
}

# Sends SIGTERM to every process below $1: a stopped run must not leave a
# kernel build's make and compilers, or mmdebstrap, running on. All pids
# are read before any is signalled, so that none escapes by being reparented
# to init when its parent dies first.
kill_descendants() {
	local pids
	mapfile -t pids < <(descendants_of "$1")
	((${#pids[@]} == 0)) || kill -TERM "${pids[@]}" 2>/dev/null || true
}

export PATH=$PATH:/usr/sbin:/sbin

# The archive host of the host's own apt sources: other suites are fetched
# from the same place, so a machine behind a local mirror keeps using it.
# Prints two lines: main archive URI, security archive URI.
host_mirrors() {
	local main=${IGTVM_MIRROR:-} security=${IGTVM_SECURITY_MIRROR:-} uri
	while read -r uri; do
		uri=${uri%/}
		case $uri in
		*-security) [[ -n $security ]] || security=$uri ;;
		*) [[ -n $main ]] || main=$uri ;;
		esac
	done < <(host_source_uris)
	[[ -n $main ]] || die "no Debian archive found in the host's apt sources; set IGTVM_MIRROR"
	[[ -n $security ]] || security=${main%/debian}/debian-security
	printf '%s\n%s\n' "$main" "$security"
}

# URIs of enabled deb entries that serve Debian suites, in either format.
host_source_uris() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" |
			grep -E '/debian(-security)?/?$' || true
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
			grep -E '/debian(-security)?/?$' || true
	done
}

# Free space check before large writes: a clear message beats a half-written image.
require_space() {
	local dir=$1 need_mb=$2 avail_mb
	mkdir -p "$dir" || die "cannot create $dir"
	avail_mb=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
	if [[ -n $avail_mb ]] && ((avail_mb < need_mb)); then
		die "not enough space in $dir: ${avail_mb} MiB free, ${need_mb} MiB needed (set XDG_CACHE_HOME elsewhere)"
	fi
}

# Hash of files and directory trees, used to key cache entries by content.
content_hash() {
	local p
	for p in "$@"; do
		if [[ -d $p ]]; then
			# Trees (a modules directory) are keyed by names, sizes and
			# mtimes: hashing every module would cost seconds per run.
			(cd "$p" && find . \( -type f -o -type l \) -printf '%P %s %T@\n' | LC_ALL=C sort)
		elif [[ -e $p ]]; then
			sha256sum <"$p"
		else
			printf '%s\n' "$p"
		fi
	done | sha256sum | cut -c1-16
}

# An exclusive lock per cache entry, so two runs (the matrix runs several at
# once) never build the same entry twice or read it half-written.
with_lock() {
	local lockfile=$1
	shift
	mkdir -p "$(dirname "$lockfile")"
	(
		flock -w 1800 9 || die "timed out waiting for lock $lockfile"
		"$@"
	) 9>"$lockfile"
}
