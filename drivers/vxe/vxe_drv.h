/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vxe - a virtual xe device: the xe uAPI over TTM system memory and a
 * software engine, to run xe shrinker tests without Intel hardware.
 */
#ifndef VXE_DRV_H
#define VXE_DRV_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/ttm/ttm_device.h>
#include <uapi/drm/xe_drm.h>

#define VXE_DRIVER_NAME		"xe"
#define VXE_DRIVER_DESC		"Virtual Intel Xe device (vxe) for shrinker tests"

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

int vxe_validation_guard(struct vxe_device *vxe, int (*validate)(void *arg), void *arg);
struct vm_fault;

vm_fault_t vxe_validation_fault_lock(struct vxe_device *vxe, struct vm_fault *vmf);
int vxe_validation_lock_shared(struct vxe_device *vxe);
void vxe_validation_unlock_shared(struct vxe_device *vxe);

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

/* vxe_query.c: the engines vxe has (render and copy, GT 0) */

extern const struct drm_xe_engine_class_instance vxe_engines[];
extern const unsigned int vxe_num_engines;
bool vxe_engine_exists(const struct drm_xe_engine_class_instance *eci);
int vxe_query_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

/* vxe_shrinker.c */
int vxe_shrinker_init(struct vxe_device *vxe);
void vxe_shrinker_fini(struct vxe_device *vxe);
unsigned long vxe_shrinker_count_pages(struct vxe_device *vxe);

/* vxe-gpu's ioctl handlers (vxe_vm.c, vxe_exec_queue.c, vxe_exec.c) */
int vxe_vm_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_vm_bind_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_madvise_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_queue_create_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_queue_destroy_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_queue_get_property_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_exec_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int vxe_wait_user_fence_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
/* Destroys the file's exec queues and VMs; called from postclose. */
void vxe_gpu_file_close(struct vxe_file *xef);

#endif
