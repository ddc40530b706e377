/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe's module parameters, all defined in vxe_module.c (as xe's
 * xe_module.h declares xe_modparam): fault injection, xe's branches, the
 * discrete personality and the engine's job timeout.
 */
#ifndef VXE_MODULE_H
#define VXE_MODULE_H

#include <linux/types.h>

/*
 * Fault injection (module parameters fault_NAME, bool, 0644). Each makes one
 * behaviour wrong on purpose so that the tests can be seen failing.
 */
extern bool vxe_fault_corrupt_restore;	/* flip one word of a BO after restore */
extern bool vxe_fault_zero_restore;	/* zero one page of a BO after restore */
extern bool vxe_fault_skip_scan;	/* scan frees nothing */
extern bool vxe_fault_half_backup;	/* never back up every other BO created */
extern bool vxe_fault_dropcaches_only;	/* shrink only from drop_caches */
extern bool vxe_fault_lose_willneed;	/* WILLNEED after a purge says retained */
extern bool vxe_fault_corrupt_evict;	/* flip one word of a BO evicted from VRAM */

/* Module parameter: when false, GEM-closed BOs are backed up, not purged. */
extern bool vxe_purge_unreferenced;

/* The discrete personality, read at load only (vxe_drv.c). */
extern bool vxe_discrete;
extern unsigned int vxe_vram_mb;
extern unsigned int vxe_visible_vram_mb;

/* Default of the job_timeout_ms module parameter: xe's default job timeout. */
#define VXE_JOB_TIMEOUT_MS	5000
#define VXE_JOB_TIMEOUT_MAX_MS	600000

extern unsigned int vxe_job_timeout_ms;

#endif
