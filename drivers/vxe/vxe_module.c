// SPDX-License-Identifier: GPL-2.0
/*
 * Every module parameter of vxe, as xe keeps its parameters in xe_module.c:
 * the fault switches (fault_NAME, bool, 0644, listed by `modinfo -p vxe.ko`),
 * purge_unreferenced, the discrete personality (read at load) and the
 * engine's job_timeout_ms. Only the values live here; the code that reads
 * them is in the files named beside each.
 */

#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "vxe_module.h"

/* ---- module parameters: fault injection and xe's branches --------------- */

bool vxe_fault_corrupt_restore;
module_param_named(fault_corrupt_restore, vxe_fault_corrupt_restore, bool, 0644);
MODULE_PARM_DESC(fault_corrupt_restore, "Fault: flip one word of a BO after each restore");

bool vxe_fault_zero_restore;
module_param_named(fault_zero_restore, vxe_fault_zero_restore, bool, 0644);
MODULE_PARM_DESC(fault_zero_restore, "Fault: zero one page of a BO after each restore");

bool vxe_fault_skip_scan;
module_param_named(fault_skip_scan, vxe_fault_skip_scan, bool, 0644);
MODULE_PARM_DESC(fault_skip_scan, "Fault: the shrinker's scan frees nothing");

bool vxe_fault_half_backup;
module_param_named(fault_half_backup, vxe_fault_half_backup, bool, 0644);
MODULE_PARM_DESC(fault_half_backup, "Fault: every other BO created is never backed up (the scans pass over it)");

bool vxe_fault_dropcaches_only;
module_param_named(fault_dropcaches_only, vxe_fault_dropcaches_only, bool, 0644);
MODULE_PARM_DESC(fault_dropcaches_only,
		 "Fault: shrink only from drop_caches (no reclaim_state), not kswapd, direct reclaim or memory.reclaim");

bool vxe_fault_lose_willneed;
module_param_named(fault_lose_willneed, vxe_fault_lose_willneed, bool, 0644);
MODULE_PARM_DESC(fault_lose_willneed, "Fault: MADVISE WILLNEED on a purged BO reports retained");

bool vxe_fault_corrupt_evict;
module_param_named(fault_corrupt_evict, vxe_fault_corrupt_evict, bool, 0644);
MODULE_PARM_DESC(fault_corrupt_evict,
		 "Fault: flip one word in the middle page of a BO after each copy out of VRAM (eviction)");

/* ---- the discrete personality (read at load only) ------------------------ */

bool vxe_discrete;
module_param_named(discrete, vxe_discrete, bool, 0444);
MODULE_PARM_DESC(discrete, "Answer as a discrete part (DG1) with a VRAM region (default: integrated Tiger Lake)");

unsigned int vxe_vram_mb;
module_param_named(vram_mb, vxe_vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "VRAM size in MiB with discrete=1 (default 0: RAM/16, 64 to 256 MiB)");

unsigned int vxe_visible_vram_mb;
module_param_named(visible_vram_mb, vxe_visible_vram_mb, uint, 0444);
MODULE_PARM_DESC(visible_vram_mb, "CPU-visible part of the VRAM in MiB (default 0: all of it)");

bool vxe_purge_unreferenced = true;
module_param_named(purge_unreferenced, vxe_purge_unreferenced, bool, 0644);
MODULE_PARM_DESC(purge_unreferenced,
		 "Purge BOs whose GEM refcount is 0 (mapped, handle closed) instead of backing them up, as xe_bo_shrink() does (default: true)");

/* ---- the software engine (vxe_engine.c) ---------------------------------- */

unsigned int vxe_job_timeout_ms = VXE_JOB_TIMEOUT_MS;

/* Bounded both ways: 0 would kill every job, a huge value none. */
static int vxe_job_timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;

	if (kstrtouint(val, 0, &ms) || ms < 1 || ms > VXE_JOB_TIMEOUT_MAX_MS) {
		pr_err("vxe: job_timeout_ms=%s: want 1..%u (milliseconds)\n", val,
		       VXE_JOB_TIMEOUT_MAX_MS);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops vxe_job_timeout_ops = {
	.set = vxe_job_timeout_set,
	.get = param_get_uint,
};
module_param_cb(job_timeout_ms, &vxe_job_timeout_ops, &vxe_job_timeout_ms, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "Jobs running longer are stopped, their queue banned (1..600000, default 5000 as xe)");
