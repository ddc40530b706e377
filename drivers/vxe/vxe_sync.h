/* SPDX-License-Identifier: GPL-2.0 */
/* In and out syncs of VM_BIND and EXEC (vxe_sync.c, as xe's xe_sync.h). */
#ifndef VXE_SYNC_H
#define VXE_SYNC_H

#include <linux/bits.h>
#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_syncobj;

/* One struct drm_xe_sync, parsed. */
struct vxe_sync {
	u32 type;			/* DRM_XE_SYNC_TYPE_* */
	u32 flags;			/* DRM_XE_SYNC_FLAG_SIGNAL */
	struct drm_syncobj *syncobj;
	struct dma_fence *fence;	/* in-fence */
	struct dma_fence_chain *chain;	/* timeline out-point */
	u64 timeline_value;
	u64 addr;			/* user fence address */
};

#define VXE_SYNC_EXEC		BIT(0)	/* a user fence address is a GPU address */
#define VXE_SYNC_LR		BIT(1)	/* long-running VM: no syncobj out-fences */

/**
 * vxe_syncs_parse() - copy and check an array of struct drm_xe_sync
 * @file: the DRM file the syncobj handles belong to
 * @user: user pointer to the array
 * @num: number of entries (already checked against DRM_XE_MAX_SYNCS)
 * @flags: VXE_SYNC_*
 * @syncs: out: a kcalloc'ed array of @num entries (vxe_syncs_free())
 *
 * Applies xe's rules (xe_sync_entry_parse()). Return: 0 or an errno.
 */
int vxe_syncs_parse(struct drm_file *file, u64 user, u32 num, unsigned int flags,
		    struct vxe_sync **syncs);

/** vxe_syncs_free() - release what vxe_syncs_parse() took */
void vxe_syncs_free(struct vxe_sync *syncs, u32 num);

/**
 * vxe_syncs_signal() - install @fence in the out-syncobjs of @syncs
 * @syncs: parsed syncs
 * @num: number of entries
 * @fence: the fence to install (binary and timeline syncobjs)
 */
void vxe_syncs_signal(struct vxe_sync *syncs, u32 num, struct dma_fence *fence);

#endif
