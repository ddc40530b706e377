/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vxe software engine: jobs are interpreted on the CPU, asynchronously,
 * on the device's engine workqueue. A job's fence signals when its batches
 * ended, with -EIO after a GPU fault and -ETIME after the job timeout (the
 * errors xe's GuC backend sets), and the queue is then banned.
 */
#ifndef VXE_ENGINE_H
#define VXE_ENGINE_H

#include <linux/dma-fence.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct vxe_exec_queue;
struct vxe_vm;

struct vxe_job_dep {
	struct dma_fence_cb cb;
	struct dma_fence *fence;
	struct vxe_job *job;
};

struct vxe_job {
	struct dma_fence fence;		/* first: freed by dma_fence_free() */
	spinlock_t fence_lock;		/* in the job: the fence may outlive the queue */
	struct work_struct work;
	struct vxe_exec_queue *q;	/* reference held until the job ends */
	struct vxe_vm *vm;		/* reference held until the job ends */
	atomic_t pending;		/* unsignalled dependencies + 1 until pushed */
	unsigned int num_deps;
	unsigned int max_deps;
	struct vxe_job_dep *deps;
	/* Set for work other than batches (a deferred bind): run instead. */
	int (*run)(struct vxe_job *job);
	void *priv;
	void (*free_priv)(void *priv);
	u64 ufence_addr;		/* exec user fence: GPU address, or 0 */
	u64 ufence_value;
	unsigned int num_bb;
	u64 bb_addr[];
};

/**
 * vxe_job_create() - a job of a queue, not armed yet
 * @q: the queue
 * @bb_addr: GPU addresses of the batches, @num_bb of them (may be 0)
 * @num_bb: number of batches
 * @max_deps: room for dependencies (vxe_job_add_dep())
 *
 * Return: the job or an ERR_PTR().
 */
struct vxe_job *vxe_job_create(struct vxe_exec_queue *q, const u64 *bb_addr,
			       unsigned int num_bb, unsigned int max_deps);

/**
 * vxe_job_add_dep() - make a job wait for a fence before it runs
 * @job: a job not pushed yet
 * @fence: the fence; the job takes its own reference
 *
 * Return: 0 or -ENOSPC beyond the room given to vxe_job_create().
 */
int vxe_job_add_dep(struct vxe_job *job, struct dma_fence *fence);

/**
 * vxe_job_arm() - give the job its fence, after the queue's previous job
 * @job: the job, with the queue's lock held
 *
 * Adds the queue's last fence as a dependency and makes the job's fence the
 * queue's last fence. Return: 0 or -ENOSPC.
 */
int vxe_job_arm(struct vxe_job *job);

/** vxe_job_push() - let an armed job run once its dependencies signal */
void vxe_job_push(struct vxe_job *job);

/** vxe_job_free() - free a job that was never armed */
void vxe_job_free(struct vxe_job *job);

#endif
