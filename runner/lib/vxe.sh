# shellcheck shell=bash
# vxe's injected faults, as the module itself declares them: every
# fault_NAME module parameter of vxe.ko is a fault --fault NAME turns on.
# The runner keeps no list of its own; modinfo -p reads the module's.

# One "NAME<tab>description" line per fault_NAME parameter of the module
# KO (modinfo -p prints "fault_NAME:description (bool)").
vxe_module_faults() {
	local ko=$1 out
	out=$(modinfo -p "$ko" 2>&1) || die "modinfo -p $ko failed: $out"
	sed -n -E '/^fault_[a-z0-9_]+:/{ s/^fault_([a-z0-9_]+):(.*)$/\1\t\2/; s/ \([a-z]+\)$//; p; }' <<<"$out"
}

# The faults of KO, one per line, indented, for a message.
vxe_fault_list() {
	vxe_module_faults "$1" | awk -F'\t' '{ printf "    %-18s %s\n", $1, $2 }'
}

# check_vxe_faults KO NAME...: every NAME is one of KO's faults; otherwise
# stop (exit 2) naming the bad one and listing the module's faults.
check_vxe_faults() {
	local ko=$1 names f
	shift
	(($#)) || return 0
	names=$(vxe_module_faults "$ko" | cut -f1)
	[[ -n $names ]] || die "$ko declares no fault_* parameter (modinfo -p): is it vxe.ko?"
	for f; do
		grep -qxF -- "$f" <<<"$names" ||
			die "unknown --fault '$f': $ko offers these (modinfo -p):"$'\n'"$(vxe_fault_list "$ko")"
	done
}
