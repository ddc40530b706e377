/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device and file structs every vxe file works on, and the identity
 * vxe answers with; no functions but inline accessors (as xe's
 * xe_device_types.h).
 */
#ifndef VXE_DEVICE_TYPES_H
#define VXE_DEVICE_TYPES_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/ttm/ttm_device.h>
#include <uapi/drm/xe_drm.h>

/* MADVISE's purgeable states, for kernel headers from before 7.1. */
#ifndef DRM_XE_VMA_PURGEABLE_STATE_WILLNEED
#define DRM_XE_VMA_PURGEABLE_STATE_WILLNEED	0
#define DRM_XE_VMA_PURGEABLE_STATE_DONTNEED	1
#endif

/*
 * The identity vxe answers with: a Tiger Lake GT2 (integrated, graphics
 * 12.0, no flat CCS: PAT indices 0..3, WB = 0, UC = 3, WT = 2).
 */
#define VXE_DEVICE_ID		0x9a49
/*
 * With discrete=1: a DG1 (0x4905, graphics 12.10, discrete, no flat CCS,
 * 4 KiB VRAM pages, the same PAT table as Tiger Lake).
 */
#define VXE_DG1_DEVICE_ID	0x4905
#define VXE_REVISION_ID		0
#define VXE_VA_BITS		48
#define VXE_PAT_MAX_INDEX	3

struct faux_device;
struct shrinker;
struct dentry;

/*
 * What a test needs to see what happened, as `name value` lines of the
 * debugfs stats file. Counts are pages or events; "since load" unless the
 * comment says "now".
 */
struct vxe_stats {
	atomic_long_t bos;		/* now: live BOs */
	atomic_long_t shrinkable;	/* now: populated pages the shrinker may take */
	atomic_long_t purgeable;	/* now: populated pages of DONTNEED BOs */
	atomic_long_t backed_up;	/* now: pages held in shmem backups */
	atomic_long_t backups;		/* BOs backed up */
	atomic_long_t backup_pages;	/* pages backed up */
	atomic_long_t writebacks;	/* backups asking for immediate writeback */
	atomic_long_t reclaim_backups;	/* backups from real reclaim, not drop_caches */
	atomic_long_t restores;		/* BOs restored from a backup */
	atomic_long_t restored_pages;	/* pages of the backups restored */
	atomic_long_t scans;		/* calls to the shrinker's scan */
	atomic_long_t kswapd_scans;	/* of which from kswapd */
	atomic_long_t scanned_pages;	/* pages of the BOs the scans tried */
	atomic_long_t purges;		/* BOs purged (DONTNEED, or GEM-closed) */
	atomic_long_t purged_pages;	/* pages of the BOs purged */
	atomic_long_t busy_skips;	/* BOs a scan left because they were busy */
	atomic_long_t shrink_errors;	/* BOs whose backup failed, ending the walk */
	atomic_long_t jobs;		/* jobs run by the engine (vxe-gpu) */
	atomic_long_t job_timeouts;	/* jobs killed at the timeout (vxe-gpu) */
	atomic_long_t gpu_faults;	/* jobs ended by a GPU fault (vxe-gpu) */
	atomic_long_t bans;		/* exec queues banned (vxe-gpu) */
	atomic_long_t vram_evictions;	/* BOs TTM evicted out of VRAM */
	atomic_long_t vram_evicted_pages; /* pages of those, copied out */
	atomic_long_t vram_moves_in;	/* BOs moved into VRAM from TT/SYSTEM */
	atomic_long_t vram_moved_in_pages; /* pages of those, copied in */
	atomic_long_t vram_moves_out;	/* other moves out of VRAM (pin, CPU fault) */
	atomic_long_t vram_moved_out_pages; /* pages of those */
};

struct vxe_vram;

struct vxe_device {
	struct drm_device drm;
	struct ttm_device ttm;
	struct faux_device *faux;
	struct shrinker *shrinker;
	struct dentry *debugfs;
	struct vxe_stats stats;
	/* The VRAM region of the discrete personality; NULL when integrated. */
	struct vxe_vram *vram;
	/* Created by vxe_drv.c at init, used by the software engine. */
	struct workqueue_struct *engine_wq;
	/* dma_fence_context_alloc(1); queues may allocate their own. */
	u64 fence_context;
	/*
	 * As xe's xe_validation_device: an exec validates holding it for
	 * read; one that ran out of memory retries holding it for write, so
	 * that no other validation keeps BOs locked while it evicts.
	 */
	struct rw_semaphore validation_lock;
};

/* drm_file->driver_priv */
struct vxe_file {
	struct vxe_device *vxe;
	struct drm_file *drm;
	struct xarray vms;	/* id -> struct vxe_vm *, XA_FLAGS_ALLOC1 */
	struct xarray queues;	/* id -> struct vxe_exec_queue *, XA_FLAGS_ALLOC1 */
	struct mutex lock;
};

static inline bool vxe_is_discrete(const struct vxe_device *vxe)
{
	return vxe->vram;
}

static inline u16 vxe_device_id(const struct vxe_device *vxe)
{
	return vxe_is_discrete(vxe) ? VXE_DG1_DEVICE_ID : VXE_DEVICE_ID;
}

static inline struct vxe_device *to_vxe(struct drm_device *drm)
{
	return container_of(drm, struct vxe_device, drm);
}

static inline struct vxe_device *ttm_to_vxe(struct ttm_device *ttm)
{
	return container_of(ttm, struct vxe_device, ttm);
}

static inline struct vxe_file *to_vxe_file(struct drm_file *file)
{
	return file->driver_priv;
}

#endif
