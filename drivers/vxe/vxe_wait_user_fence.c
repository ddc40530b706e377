// SPDX-License-Identifier: GPL-2.0
/*
 * WAIT_USER_FENCE for vxe, as xe's xe_wait_user_fence.c: polls a user
 * fence value under a mask until it passes, the timeout ends or the queue
 * given gets banned.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_device_types.h"
#include "vxe_exec_queue.h"
#include "vxe_wait_user_fence.h"

/* Compares a user fence value under a mask (xe: do_compare()). */
static bool vxe_ufence_passed(u16 op, u64 val, u64 ref, u64 mask)
{
	val &= mask;
	ref &= mask;
	switch (op) {
	case DRM_XE_UFENCE_WAIT_OP_EQ:
		return val == ref;
	case DRM_XE_UFENCE_WAIT_OP_NEQ:
		return val != ref;
	case DRM_XE_UFENCE_WAIT_OP_GT:
		return val > ref;
	case DRM_XE_UFENCE_WAIT_OP_GTE:
		return val >= ref;
	case DRM_XE_UFENCE_WAIT_OP_LT:
		return val < ref;
	default:
		return val <= ref;
	}
}

static long vxe_ufence_timeout(const struct drm_xe_wait_user_fence *args)
{
	ktime_t t;

	if (args->timeout < 0)
		return MAX_SCHEDULE_TIMEOUT;
	if (!(args->flags & DRM_XE_UFENCE_WAIT_FLAG_ABSTIME))
		return nsecs_to_jiffies(args->timeout);
	t = ktime_sub(ns_to_ktime(args->timeout), ktime_get());
	return ktime_to_ns(t) <= 0 ? 0 : nsecs_to_jiffies(ktime_to_ns(t));
}

/*
 * WAIT_USER_FENCE: polls the user's u64 at @addr (a CPU address, as on xe)
 * once a jiffy until it passes, the timeout ends (-ETIME) or the queue
 * given gets banned (-EIO).
 */
int vxe_wait_user_fence_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_xe_wait_user_fence *args = data;
	u64 __user *addr = u64_to_user_ptr(args->addr);
	struct vxe_exec_queue *q = NULL;
	unsigned long end;
	long timeout;
	int err = 0;
	u64 val;

	if (args->extensions || args->pad || args->pad2 || args->reserved[0] ||
	    args->reserved[1] || args->flags & ~DRM_XE_UFENCE_WAIT_FLAG_ABSTIME ||
	    args->op > DRM_XE_UFENCE_WAIT_OP_LTE || args->addr & 0x7)
		return -EINVAL;

	if (args->exec_queue_id) {
		q = vxe_exec_queue_lookup(to_vxe_file(file), args->exec_queue_id);
		if (!q)
			return -ENOENT;
	}

	timeout = vxe_ufence_timeout(args);
	end = jiffies + (timeout == MAX_SCHEDULE_TIMEOUT ? 0 : timeout);
	for (;;) {
		if (get_user(val, addr)) {
			err = -EFAULT;
			break;
		}
		if (vxe_ufence_passed(args->op, val, args->value, args->mask))
			break;
		if (q && READ_ONCE(q->banned)) {
			err = -EIO;
			break;
		}
		if (timeout != MAX_SCHEDULE_TIMEOUT && time_after_eq(jiffies, end)) {
			err = -ETIME;
			break;
		}
		schedule_timeout_interruptible(1);
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
	}

	if (q)
		vxe_exec_queue_put(q);
	return err;
}
