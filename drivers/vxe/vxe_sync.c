// SPDX-License-Identifier: GPL-2.0
/*
 * The in and out syncs of VM_BIND and EXEC (struct drm_xe_sync), as xe's
 * xe_sync.c: checked with xe_sync_entry_parse()'s rules, syncobj
 * in-fences taken, out-fences installed in binary and timeline syncobjs.
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_sync.h"

static int vxe_sync_parse_one(struct drm_file *file, const struct drm_xe_sync *in,
			      unsigned int flags, struct vxe_sync *sync)
{
	bool signal = in->flags & DRM_XE_SYNC_FLAG_SIGNAL;
	int err;

	if (in->extensions || in->flags & ~DRM_XE_SYNC_FLAG_SIGNAL ||
	    in->reserved[0] || in->reserved[1])
		return -EINVAL;

	switch (in->type) {
	case DRM_XE_SYNC_TYPE_SYNCOBJ:
	case DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ:
		if (signal && (flags & VXE_SYNC_LR))
			return -EOPNOTSUPP;
		if (upper_32_bits(in->addr))
			return -EINVAL;
		if (in->type == DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ && !in->timeline_value)
			return -EINVAL;
		sync->syncobj = drm_syncobj_find(file, in->handle);
		if (!sync->syncobj)
			return -ENOENT;
		if (signal) {
			if (in->type == DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ) {
				sync->chain = dma_fence_chain_alloc();
				if (!sync->chain)
					return -ENOMEM;
			}
			break;
		}
		sync->fence = drm_syncobj_fence_get(sync->syncobj);
		if (!sync->fence)
			return -EINVAL;
		if (in->type == DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ) {
			err = dma_fence_chain_find_seqno(&sync->fence, in->timeline_value);
			if (err)
				return err;
		}
		break;
	case DRM_XE_SYNC_TYPE_USER_FENCE:
		if (!signal)
			return -EOPNOTSUPP;
		if (in->addr & 0x7)
			return -EINVAL;
		sync->addr = in->addr;
		break;
	default:
		return -EINVAL;
	}

	sync->type = in->type;
	sync->flags = in->flags;
	sync->timeline_value = in->timeline_value;
	return 0;
}

int vxe_syncs_parse(struct drm_file *file, u64 user, u32 num, unsigned int flags,
		    struct vxe_sync **syncs)
{
	struct drm_xe_sync __user *usyncs = u64_to_user_ptr(user);
	struct drm_xe_sync in;
	u32 i, ufences = 0;
	int err = 0;

	*syncs = NULL;
	if (!num)
		return 0;
	*syncs = kcalloc(num, sizeof(**syncs), GFP_KERNEL);
	if (!*syncs)
		return -ENOMEM;

	for (i = 0; i < num; i++) {
		if (copy_from_user(&in, &usyncs[i], sizeof(in))) {
			err = -EFAULT;
			break;
		}
		err = vxe_sync_parse_one(file, &in, flags, &(*syncs)[i]);
		if (err)
			break;
		ufences += in.type == DRM_XE_SYNC_TYPE_USER_FENCE;
	}
	/* xe takes one user fence per exec or bind. */
	if (!err && ufences > 1)
		err = -EINVAL;
	if (err) {
		vxe_syncs_free(*syncs, num);
		*syncs = NULL;
	}
	return err;
}

void vxe_syncs_free(struct vxe_sync *syncs, u32 num)
{
	u32 i;

	if (!syncs)
		return;
	for (i = 0; i < num; i++) {
		if (syncs[i].syncobj)
			drm_syncobj_put(syncs[i].syncobj);
		dma_fence_put(syncs[i].fence);
		dma_fence_chain_free(syncs[i].chain);
	}
	kfree(syncs);
}

void vxe_syncs_signal(struct vxe_sync *syncs, u32 num, struct dma_fence *fence)
{
	u32 i;

	for (i = 0; i < num; i++) {
		struct vxe_sync *s = &syncs[i];

		if (!(s->flags & DRM_XE_SYNC_FLAG_SIGNAL) || !s->syncobj)
			continue;
		if (s->chain) {
			drm_syncobj_add_point(s->syncobj, s->chain, fence, s->timeline_value);
			s->chain = NULL;	/* the syncobj owns it now */
		} else {
			drm_syncobj_replace_fence(s->syncobj, fence);
		}
	}
}
