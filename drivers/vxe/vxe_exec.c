// SPDX-License-Identifier: GPL-2.0
/*
 * EXEC for vxe, following xe_exec_ioctl() (7.3, xe_exec.c): syncs checked
 * as xe_sync_entry_parse() does (vxe_sync.c), the VM's resv and its
 * external BOs locked with drm_exec, every BO of the VM validated
 * (restored from a shmem backup if the shrinker took it) before the job's
 * fence is armed, and that fence added to the VM's resv and the external
 * BOs' resvs as BOOKKEEP, so that the shrinker sees the BOs busy until the
 * job ends. Userptr bindings are re-pinned first when their CPU mapping
 * changed.
 */

#include <linux/dma-resv.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <uapi/drm/xe_drm.h>

#include "vxe_device_types.h"
#include "vxe_engine.h"
#include "vxe_exec.h"
#include "vxe_exec_queue.h"
#include "vxe_sync.h"
#include "vxe_userptr.h"
#include "vxe_validation.h"
#include "vxe_vm.h"
#include "vxe_vram.h"

/* A queue's width is at most xe's XE_HW_ENGINE_MAX_INSTANCE placements. */
#define VXE_MAX_BB		9
/* Userptr re-pins an exec tries before -EAGAIN goes back to userspace. */
#define VXE_EXEC_TRIES		4

static int vxe_exec_check_args(const struct drm_xe_exec *args)
{
	if (args->extensions || args->pad[0] || args->pad[1] || args->pad[2] ||
	    args->reserved[0] || args->reserved[1] || args->num_syncs > DRM_XE_MAX_SYNCS)
		return -EINVAL;
	return 0;
}

/* Batch addresses: the address itself for width 1, else a user array. */
static int vxe_exec_batches(const struct drm_xe_exec *args, u16 width, u64 *bb)
{
	if (!args->num_batch_buffer)
		return 0;
	if (width == 1) {
		bb[0] = args->address;
		return 0;
	}
	if (copy_from_user(bb, u64_to_user_ptr(args->address), width * sizeof(*bb)))
		return -EFAULT;
	return 0;
}

/* Locks the VM's resv (VM-private BOs) and the external BOs, one fence slot each. */
static int vxe_exec_lock(struct vxe_vm *vm, struct drm_exec *exec)
{
	int err;

	drm_exec_until_all_locked(exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (err)
			return err;
		err = drm_gpuvm_prepare_objects(&vm->gpuvm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (err)
			return err;
	}
	return 0;
}

static int vxe_job_add_in_fences(struct vxe_job *job, struct vxe_sync *syncs, u32 num)
{
	int err;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!syncs[i].fence)
			continue;
		err = vxe_job_add_dep(job, syncs[i].fence);
		if (err)
			return err;
	}
	return 0;
}

static void vxe_job_set_ufence(struct vxe_job *job, struct vxe_sync *syncs, u32 num)
{
	u32 i;

	for (i = 0; i < num; i++) {
		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE) {
			job->ufence_addr = syncs[i].addr;
			job->ufence_value = syncs[i].timeline_value;
		}
	}
}

/*
 * With the VM's lock (read) and its BOs locked: validate, arm, fence the
 * resvs, signal the out-syncs and push the job. Nothing may fail after
 * vxe_job_arm(): an armed fence must signal.
 */
static int vxe_exec_submit(struct vxe_exec_queue *q, struct drm_exec *exec,
			   struct vxe_job *job, struct vxe_sync *syncs, u32 num_syncs)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int err;

	err = vxe_vm_validate(q->vm, &ctx);
	if (err)
		return err;

	err = mutex_lock_interruptible(&q->lock);
	if (err)
		return err;
	err = vxe_vm_userptr_begin(q->vm);
	if (err)
		goto unlock;
	err = vxe_job_arm(job);
	if (!err) {
		drm_gpuvm_resv_add_fence(&q->vm->gpuvm, exec, &job->fence,
					 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
		vxe_syncs_signal(syncs, num_syncs, &job->fence);
		vxe_job_push(job);
	}
	vxe_vm_userptr_end(q->vm);
unlock:
	mutex_unlock(&q->lock);
	return err;
}

struct vxe_exec_call {
	struct vxe_exec_queue *q;
	struct vxe_job *job;
	struct vxe_sync *syncs;
	u32 num_syncs;
};

/* One locking and validation transaction; -EAGAIN: a userptr moved again */
static int vxe_exec_transaction(void *arg)
{
	struct vxe_exec_call *c = arg;
	struct drm_exec exec;
	int tries, err = 0;

	/* A userptr invalidated between the re-pin and the arm: pin again. */
	for (tries = 0; tries < VXE_EXEC_TRIES; tries++) {
		err = vxe_vm_userptr_revalidate(c->q->vm);
		if (err)
			break;
		drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
		err = vxe_exec_lock(c->q->vm, &exec);
		if (!err)
			err = vxe_exec_submit(c->q, &exec, c->job, c->syncs, c->num_syncs);
		drm_exec_fini(&exec);
		if (err != -EAGAIN)
			break;
	}
	return err;
}

/*
 * An exec that found no room even holding the validation lock exclusively:
 * what VRAM held then, for whoever reads the failure (a test's ENOMEM).
 */
static void vxe_exec_report_no_room(struct vxe_device *vxe)
{
	struct vxe_vram_sizes s;

	if (!vxe_is_discrete(vxe))
		return;
	vxe_vram_sizes(vxe, &s);
	dev_info_ratelimited(vxe->drm.dev,
			     "exec: -ENOMEM after the exclusive retry: VRAM %llu of %llu KiB used, visible %llu of %llu KiB\n",
			     s.used / SZ_1K, s.total / SZ_1K, s.visible_used / SZ_1K,
			     s.visible / SZ_1K);
}

/*
 * As xe_exec_ioctl() with its validation guard: a transaction that runs out
 * of memory (other execs holding the BOs it would evict) is redone once with
 * the validation lock held exclusively. TTM's -ENOSPC (vxe propagates it for
 * GEM_CREATE) goes back as xe's -ENOMEM.
 */
static int vxe_exec_locked(struct vxe_exec_queue *q, struct vxe_job *job,
			   struct vxe_sync *syncs, u32 num_syncs)
{
	struct vxe_exec_call c = { .q = q, .job = job, .syncs = syncs, .num_syncs = num_syncs };
	struct vxe_vm *vm = q->vm;
	int err;

	err = down_read_interruptible(&vm->lock);
	if (err)
		return err;
	if (vm->closed)
		err = -ECANCELED;
	else
		err = vxe_validation_guard(vm->vxe, vxe_exec_transaction, &c);
	up_read(&vm->lock);
	if (err == -ENOSPC || err == -ENOMEM) {
		vxe_exec_report_no_room(vm->vxe);
		err = -ENOMEM;
	}
	return err;
}

int vxe_exec_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct vxe_file *xef = to_vxe_file(file);
	struct drm_xe_exec *args = data;
	struct vxe_sync *syncs = NULL;
	struct vxe_exec_queue *q;
	u64 bb[VXE_MAX_BB];
	struct vxe_job *job;
	unsigned int flags = VXE_SYNC_EXEC;
	int err;

	err = vxe_exec_check_args(args);
	if (err)
		return err;

	q = vxe_exec_queue_lookup(xef, args->exec_queue_id);
	if (!q)
		return -ENOENT;
	if (vxe_exec_queue_is_bind(q) ||
	    (args->num_batch_buffer && args->num_batch_buffer != q->width)) {
		err = -EINVAL;
		goto put_queue;
	}
	if (READ_ONCE(q->banned) || READ_ONCE(q->killed)) {
		err = -ECANCELED;
		goto put_queue;
	}

	if (q->vm->flags & DRM_XE_VM_CREATE_FLAG_LR_MODE)
		flags |= VXE_SYNC_LR;
	err = vxe_syncs_parse(file, args->syncs, args->num_syncs, flags, &syncs);
	if (err)
		goto put_queue;

	err = vxe_exec_batches(args, q->width, bb);
	if (err)
		goto free_syncs;

	job = vxe_job_create(q, bb, args->num_batch_buffer ? q->width : 0, args->num_syncs);
	if (IS_ERR(job)) {
		err = PTR_ERR(job);
		goto free_syncs;
	}
	err = vxe_job_add_in_fences(job, syncs, args->num_syncs);
	if (!err) {
		vxe_job_set_ufence(job, syncs, args->num_syncs);
		err = vxe_exec_locked(q, job, syncs, args->num_syncs);
	}
	if (err)
		vxe_job_free(job);

free_syncs:
	vxe_syncs_free(syncs, args->num_syncs);
put_queue:
	vxe_exec_queue_put(q);
	return err;
}
