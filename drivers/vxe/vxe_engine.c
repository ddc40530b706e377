// SPDX-License-Identifier: GPL-2.0
/*
 * The vxe software engine: a CPU interpreter of the MI commands that simple
 * xe batches use, reading and writing memory only through the VM's bindings,
 * with the few registers upstream IGT's spinners use (GPRs, CTX_TIMESTAMP,
 * MI_MATH).
 *
 * A job is queued on the device's engine workqueue once its dependencies
 * (in-fences and the previous job of its queue) have signalled, so jobs of a
 * queue run in order. What ends a job other than its batch:
 *  - an unbound address, a write to a read-only binding or a command the
 *    engine does not know: a GPU fault, fence error -EIO;
 *  - running longer than job_timeout_ms (xe's default job timeout, 5 s):
 *    fence error -ETIME;
 * both ban the queue, as xe's GuC backend does (guc_exec_queue_timedout_job()).
 * A queue destroyed while its job runs stops it with -ECANCELED.
 *
 * In xe the same ground is covered by xe_sched_job.c (jobs and their
 * fences), xe_guc_submit.c (timeout, ban) and the hardware; the
 * job_timeout_ms parameter is in vxe_module.c, the address translation
 * through the bindings in vxe_pt.c (vxe_vm_access()).
 */

#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <drm/drm_print.h>

#include "vxe_device_types.h"
#include "vxe_engine.h"
#include "vxe_exec_queue.h"
#include "vxe_module.h"
#include "vxe_pt.h"
#include "vxe_vm_types.h"

/* Command header fields (xe's instructions/xe_instr_defs.h, xe_mi_commands.h). */
#define CMD_TYPE(dw)		((dw) >> 29)
#define CMD_TYPE_MI		0
#define CMD_TYPE_GFX		3
#define MI_OPCODE(dw)		(((dw) >> 23) & 0x3f)
#define CMD_LEN8(dw)		(((dw) & 0xff) + 2)	/* dwords, 8-bit length field */

#define OP_NOOP			0x00
#define OP_USER_INTERRUPT	0x02
#define OP_ARB_CHECK		0x05
#define OP_ARB_ON_OFF		0x08
#define OP_BATCH_BUFFER_END	0x0a
#define OP_STORE_DATA_IMM	0x20
#define OP_MATH			0x1a
#define OP_LOAD_REGISTER_IMM	0x22
#define OP_STORE_REGISTER_MEM	0x24
#define OP_LOAD_REGISTER_MEM	0x29
#define OP_LOAD_REGISTER_REG	0x2a
#define OP_FLUSH_DW		0x26
#define OP_COPY_MEM_MEM		0x2e
#define OP_ATOMIC		0x2f
#define OP_BATCH_BUFFER_START	0x31
#define OP_COND_BB_END		0x36

#define SDI_GGTT		BIT(22)
#define SDI_LEN(dw)		(((dw) & 0x3ff) + 2)
#define COPY_MEM_MEM_GGTT	(BIT(22) | BIT(21))
#define FLUSH_DW_STORE_INDEX	BIT(21)
#define FLUSH_DW_OP(dw)		(((dw) >> 14) & 3)
#define FLUSH_DW_LEN(dw)	(((dw) & 0x3f) + 2)
#define BBS_SECOND_LEVEL	BIT(22)
#define COND_BBE_COMPARE	BIT(21)		/* MI_DO_COMPARE */
#define COND_BBE_OP(dw)		(((dw) >> 12) & 7)
#define SRM_LRM_GGTT		BIT(22)
#define ATOMIC_GGTT		BIT(22)
#define ATOMIC_INLINE		BIT(18)
#define ATOMIC_OP(dw)		(((dw) >> 8) & 0xff)
#define ATOMIC_OP_MOVE		0x04
#define ATOMIC_OP_INC		0x05
#define ATOMIC_OP_DEC		0x06
#define ATOMIC_OP_ADD		0x07

/* 3D PIPE_CONTROL: (3 << 29) | (3 << 27) | (2 << 24) | (len - 2) */
#define PIPE_CONTROL_MASK	0xffff0000
#define PIPE_CONTROL_HDR	0x7a000000
#define PC_STORE_DATA_INDEX	BIT(21)
#define PC_POST_SYNC(dw1)	(((dw1) >> 14) & 3)
#define POST_SYNC_IMM		1		/* write immediate data */

#define ADDR_LO_MASK		(~(u64)3)	/* dword addresses: bits 1:0 are not address */

/*
 * Registers: the command streamer's general purpose registers (CS_GPR(n) at
 * engine base + 0x600 + 8 * n, 64 bits each) and CTX_TIMESTAMP (base +
 * 0x3a8), which upstream's spinners read; others read 0 and ignore writes.
 * The engine base is dropped: offsets are taken modulo 4 KiB.
 */
#define REG_OFFSET(r)		((r) & 0xffc)
#define REG_GPR0		0x600
#define REG_NUM_GPR		16
#define REG_CTX_TIMESTAMP	0x3a8
/* Tiger Lake's command streamer clock, 19.2 MHz: 12 ticks per 625 ns. */
#define TS_TICKS(ns)		div_u64((ns) * 12, 625)

/* MI_MATH ALU (i915's intel_gpu_commands.h names the same encoding). */
#define ALU_OPCODE(dw)		(((dw) >> 20) & 0xfff)
#define ALU_OP1(dw)		(((dw) >> 10) & 0x3ff)
#define ALU_OP2(dw)		((dw) & 0x3ff)
#define ALU_NOOP		0x000
#define ALU_LOAD		0x080
#define ALU_LOADINV		0x480
#define ALU_LOAD0		0x081
#define ALU_LOAD1		0x481
#define ALU_ADD			0x100
#define ALU_SUB			0x101
#define ALU_AND			0x102
#define ALU_OR			0x103
#define ALU_XOR			0x104
#define ALU_STORE		0x180
#define ALU_STOREINV		0x580
#define ALU_SRCA		0x20
#define ALU_SRCB		0x21
#define ALU_ACCU		0x31
#define ALU_ZF			0x32
#define ALU_CF			0x33

/* Second-level batches nest as on hardware: one level. */
#define VXE_CS_DEPTH		2
/* After this many jumps a looping batch sleeps a little per jump. */
#define VXE_SPIN_JUMPS		1024

struct vxe_cs {
	struct vxe_job *job;
	struct vxe_vm *vm;
	u64 ip;			/* GPU address of the next command */
	u64 ret[VXE_CS_DEPTH];
	unsigned int depth;
	unsigned long deadline;
	unsigned long jumps;
	u32 dw[12];		/* the command being run */
	u64 fault_addr;
	u64 gpr[REG_NUM_GPR];
	u64 alu_a, alu_b, alu_accu, alu_zf, alu_cf;
	u64 start_ns;
};

enum { CS_CONTINUE = 1, CS_END = 0 };

static const char *vxe_fence_driver_name(struct dma_fence *fence)
{
	return "vxe";
}

static const char *vxe_fence_timeline_name(struct dma_fence *fence)
{
	return "vxe-engine";
}

static const struct dma_fence_ops vxe_job_fence_ops = {
	.get_driver_name = vxe_fence_driver_name,
	.get_timeline_name = vxe_fence_timeline_name,
};

static int cs_read(struct vxe_cs *cs, u64 addr, void *buf, size_t len)
{
	int err = vxe_vm_access(cs->vm, addr, buf, len, false);

	if (err)
		cs->fault_addr = addr;
	return err;
}

static int cs_write(struct vxe_cs *cs, u64 addr, const void *buf, size_t len)
{
	int err = vxe_vm_access(cs->vm, addr, (void *)buf, len, true);

	if (err)
		cs->fault_addr = addr;
	return err;
}

static u64 cs_addr(u32 lo, u32 hi)
{
	return ((u64)hi << 32 | lo) & ADDR_LO_MASK;
}

/* Fetches the rest of a command of @len dwords (the header is dw[0]). */
static int cs_fetch(struct vxe_cs *cs, unsigned int len)
{
	if (len > ARRAY_SIZE(cs->dw))
		return -EIO;
	if (len > 1 && cs_read(cs, cs->ip + 4, &cs->dw[1], (len - 1) * 4))
		return -EIO;
	cs->ip += len * 4;
	return 0;
}

/* MI_STORE_DATA_IMM, GEN4 form with a 64-bit address: dwords 3.. are data. */
static int cs_store_data_imm(struct vxe_cs *cs)
{
	unsigned int len = SDI_LEN(cs->dw[0]);

	if (cs->dw[0] & SDI_GGTT || len < 4 || cs_fetch(cs, len))
		return -EIO;
	if (cs_write(cs, cs_addr(cs->dw[1], cs->dw[2]), &cs->dw[3], (len - 3) * 4))
		return -EIO;
	return CS_CONTINUE;
}

/* MI_COPY_MEM_MEM: one dword from dw[3..4] to dw[1..2]. */
static int cs_copy_mem_mem(struct vxe_cs *cs)
{
	u32 val;

	if (cs->dw[0] & COPY_MEM_MEM_GGTT || CMD_LEN8(cs->dw[0]) != 5 || cs_fetch(cs, 5))
		return -EIO;
	if (cs_read(cs, cs_addr(cs->dw[3], cs->dw[4]), &val, 4) ||
	    cs_write(cs, cs_addr(cs->dw[1], cs->dw[2]), &val, 4))
		return -EIO;
	return CS_CONTINUE;
}

/* MI_FLUSH_DW: only its post-sync immediate write has an effect here. */
static int cs_flush_dw(struct vxe_cs *cs)
{
	unsigned int len = FLUSH_DW_LEN(cs->dw[0]);
	unsigned int op = FLUSH_DW_OP(cs->dw[0]);

	if (cs_fetch(cs, len))
		return -EIO;
	if (!op)
		return CS_CONTINUE;
	if (op != POST_SYNC_IMM || cs->dw[0] & FLUSH_DW_STORE_INDEX || len < 4)
		return -EIO;
	if (cs_write(cs, cs_addr(cs->dw[1], cs->dw[2]), &cs->dw[3], len >= 5 ? 8 : 4))
		return -EIO;
	return CS_CONTINUE;
}

/* PIPE_CONTROL: flushes are no-ops; the post-sync immediate write is done. */
static int cs_pipe_control(struct vxe_cs *cs)
{
	unsigned int len = CMD_LEN8(cs->dw[0]);
	unsigned int op;

	if (len < 2 || cs_fetch(cs, len))
		return -EIO;
	op = PC_POST_SYNC(cs->dw[1]);
	if (!op)
		return CS_CONTINUE;
	/* Timestamps, depth counts and HWSP indices are not emulated. */
	if (op != POST_SYNC_IMM || cs->dw[1] & PC_STORE_DATA_INDEX || len < 5)
		return -EIO;
	if (cs_write(cs, cs_addr(cs->dw[2], cs->dw[3]), &cs->dw[4], len >= 6 ? 8 : 4))
		return -EIO;
	return CS_CONTINUE;
}

/* MI_ATOMIC on a dword: move, increment, decrement, add of inline data. */
static int cs_atomic(struct vxe_cs *cs)
{
	unsigned int len = CMD_LEN8(cs->dw[0]);
	unsigned int op = ATOMIC_OP(cs->dw[0]);
	bool inline_data = cs->dw[0] & ATOMIC_INLINE;
	u64 addr;
	u32 val;

	if (cs->dw[0] & ATOMIC_GGTT || len < 3 || cs_fetch(cs, len))
		return -EIO;
	if ((op == ATOMIC_OP_MOVE || op == ATOMIC_OP_ADD) && (!inline_data || len < 4))
		return -EIO;

	addr = cs_addr(cs->dw[1], cs->dw[2]);
	if (cs_read(cs, addr, &val, 4))
		return -EIO;
	switch (op) {
	case ATOMIC_OP_MOVE:
		val = cs->dw[3];
		break;
	case ATOMIC_OP_INC:
		val++;
		break;
	case ATOMIC_OP_DEC:
		val--;
		break;
	case ATOMIC_OP_ADD:
		val += cs->dw[3];
		break;
	default:
		return -EIO;
	}
	if (cs_write(cs, addr, &val, 4))
		return -EIO;
	return CS_CONTINUE;
}

static u32 cs_reg_read(struct vxe_cs *cs, u32 reg)
{
	u32 off = REG_OFFSET(reg);

	if (off >= REG_GPR0 && off < REG_GPR0 + 8 * REG_NUM_GPR) {
		u64 v = cs->gpr[(off - REG_GPR0) / 8];

		return off & 4 ? upper_32_bits(v) : lower_32_bits(v);
	}
	if (off == REG_CTX_TIMESTAMP)
		return TS_TICKS(ktime_get_ns() - cs->start_ns);
	return 0;
}

static void cs_reg_write(struct vxe_cs *cs, u32 reg, u32 val)
{
	u32 off = REG_OFFSET(reg);
	u64 *gpr;

	if (off < REG_GPR0 || off >= REG_GPR0 + 8 * REG_NUM_GPR)
		return;
	gpr = &cs->gpr[(off - REG_GPR0) / 8];
	if (off & 4)
		*gpr = (u64)val << 32 | lower_32_bits(*gpr);
	else
		*gpr = (*gpr & ~(u64)U32_MAX) | val;
}

/* MI_LOAD_REGISTER_IMM: (register, value) pairs, read one pair at a time. */
static int cs_lri(struct vxe_cs *cs)
{
	unsigned int len = CMD_LEN8(cs->dw[0]), i;
	u32 pair[2];

	if (!(len & 1))
		return -EIO;
	for (i = 1; i < len; i += 2) {
		if (cs_read(cs, cs->ip + 4 * i, pair, sizeof(pair)))
			return -EIO;
		cs_reg_write(cs, pair[0], pair[1]);
	}
	cs->ip += 4 * len;
	return CS_CONTINUE;
}

/* MI_LOAD_REGISTER_REG: dw1 source, dw2 destination. */
static int cs_lrr(struct vxe_cs *cs)
{
	if (CMD_LEN8(cs->dw[0]) != 3 || cs_fetch(cs, 3))
		return -EIO;
	cs_reg_write(cs, cs->dw[2], cs_reg_read(cs, cs->dw[1]));
	return CS_CONTINUE;
}

/* MI_STORE_REGISTER_MEM and MI_LOAD_REGISTER_MEM, 64-bit address. */
static int cs_srm_lrm(struct vxe_cs *cs, bool store)
{
	u64 addr;
	u32 val;

	if (cs->dw[0] & SRM_LRM_GGTT || CMD_LEN8(cs->dw[0]) != 4 || cs_fetch(cs, 4))
		return -EIO;
	addr = cs_addr(cs->dw[2], cs->dw[3]);
	if (store) {
		val = cs_reg_read(cs, cs->dw[1]);
		return cs_write(cs, addr, &val, 4) ? -EIO : CS_CONTINUE;
	}
	if (cs_read(cs, addr, &val, 4))
		return -EIO;
	cs_reg_write(cs, cs->dw[1], val);
	return CS_CONTINUE;
}

static u64 *cs_alu_reg(struct vxe_cs *cs, u32 op)
{
	if (op < REG_NUM_GPR)
		return &cs->gpr[op];
	switch (op) {
	case ALU_SRCA:
		return &cs->alu_a;
	case ALU_SRCB:
		return &cs->alu_b;
	case ALU_ACCU:
		return &cs->alu_accu;
	case ALU_ZF:
		return &cs->alu_zf;
	case ALU_CF:
		return &cs->alu_cf;
	default:
		return NULL;
	}
}

static void cs_alu_result(struct vxe_cs *cs, u64 res, bool carry)
{
	cs->alu_accu = res;
	cs->alu_zf = !res;
	cs->alu_cf = carry;
}

static int cs_alu(struct vxe_cs *cs, u32 instr)
{
	u64 *r1 = cs_alu_reg(cs, ALU_OP1(instr)), *r2 = cs_alu_reg(cs, ALU_OP2(instr));
	u64 a = cs->alu_a, b = cs->alu_b;

	switch (ALU_OPCODE(instr)) {
	case ALU_NOOP:
		return 0;
	case ALU_LOAD:
	case ALU_LOADINV:
	case ALU_STORE:
	case ALU_STOREINV:
		if (!r1 || !r2)
			return -EIO;
		*r1 = ALU_OPCODE(instr) & 0x400 ? ~*r2 : *r2;
		return 0;
	case ALU_LOAD0:
	case ALU_LOAD1:
		if (!r1)
			return -EIO;
		*r1 = ALU_OPCODE(instr) == ALU_LOAD1 ? ~0ull : 0;
		return 0;
	case ALU_ADD:
		cs_alu_result(cs, a + b, a + b < a);
		return 0;
	case ALU_SUB:
		cs_alu_result(cs, a - b, b > a);
		return 0;
	case ALU_AND:
		cs_alu_result(cs, a & b, false);
		return 0;
	case ALU_OR:
		cs_alu_result(cs, a | b, false);
		return 0;
	case ALU_XOR:
		cs_alu_result(cs, a ^ b, false);
		return 0;
	default:
		return -EIO;
	}
}

/* MI_MATH: one ALU instruction per dword after the header. */
static int cs_math(struct vxe_cs *cs)
{
	unsigned int len = CMD_LEN8(cs->dw[0]), i;
	u32 instr;

	for (i = 1; i < len; i++) {
		if (cs_read(cs, cs->ip + 4 * i, &instr, 4) || cs_alu(cs, instr))
			return -EIO;
	}
	cs->ip += 4 * len;
	return CS_CONTINUE;
}

static int cs_batch_end(struct vxe_cs *cs)
{
	if (!cs->depth)
		return CS_END;
	cs->ip = cs->ret[--cs->depth];
	return CS_CONTINUE;
}

/* MI_BATCH_BUFFER_START, 64-bit address: a jump, or a call (second level). */
static int cs_batch_start(struct vxe_cs *cs)
{
	if (CMD_LEN8(cs->dw[0]) != 3 || cs_fetch(cs, 3))
		return -EIO;
	if (cs->dw[0] & BBS_SECOND_LEVEL) {
		if (cs->depth >= VXE_CS_DEPTH)
			return -EIO;
		cs->ret[cs->depth++] = cs->ip;
	}
	cs->ip = cs_addr(cs->dw[1], cs->dw[2]);

	/* A spinner loops here: let the CPU that will end it run. */
	if (++cs->jumps > VXE_SPIN_JUMPS)
		usleep_range(50, 100);
	else
		cond_resched();
	return CS_CONTINUE;
}

/*
 * MI_CONDITIONAL_BATCH_BUFFER_END with MI_DO_COMPARE: the batch goes on
 * while (memory dword OP inline data) holds, OP in bits 14:12 encoded as
 * MI_SEMAPHORE_WAIT's (0 >, 1 >=, 2 <, 3 <=, 4 ==, 5 !=), and ends
 * otherwise. Upstream's spinner relies on op 0: it ends once its end
 * dword drops to 0.
 */
static int cs_cond_batch_end(struct vxe_cs *cs)
{
	unsigned int len = CMD_LEN8(cs->dw[0]);
	bool cont;
	u32 mem;

	if (!(cs->dw[0] & COND_BBE_COMPARE) || len < 3 || cs_fetch(cs, len))
		return -EIO;
	if (cs_read(cs, cs_addr(cs->dw[2], len >= 4 ? cs->dw[3] : 0), &mem, 4))
		return -EIO;

	switch (COND_BBE_OP(cs->dw[0])) {
	case 0:
		cont = mem > cs->dw[1];
		break;
	case 1:
		cont = mem >= cs->dw[1];
		break;
	case 2:
		cont = mem < cs->dw[1];
		break;
	case 3:
		cont = mem <= cs->dw[1];
		break;
	case 4:
		cont = mem == cs->dw[1];
		break;
	case 5:
		cont = mem != cs->dw[1];
		break;
	default:
		return -EIO;
	}
	return cont ? CS_CONTINUE : cs_batch_end(cs);
}

static int cs_mi(struct vxe_cs *cs)
{
	switch (MI_OPCODE(cs->dw[0])) {
	case OP_NOOP:
	case OP_USER_INTERRUPT:
	case OP_ARB_ON_OFF:
		cs->ip += 4;
		return CS_CONTINUE;
	case OP_ARB_CHECK:
		cs->ip += 4;
		cond_resched();
		return CS_CONTINUE;
	case OP_BATCH_BUFFER_END:
		cs->ip += 4;
		return cs_batch_end(cs);
	case OP_LOAD_REGISTER_IMM:
		return cs_lri(cs);
	case OP_LOAD_REGISTER_REG:
		return cs_lrr(cs);
	case OP_STORE_REGISTER_MEM:
		return cs_srm_lrm(cs, true);
	case OP_LOAD_REGISTER_MEM:
		return cs_srm_lrm(cs, false);
	case OP_MATH:
		return cs_math(cs);
	case OP_STORE_DATA_IMM:
		return cs_store_data_imm(cs);
	case OP_FLUSH_DW:
		return cs_flush_dw(cs);
	case OP_COPY_MEM_MEM:
		return cs_copy_mem_mem(cs);
	case OP_ATOMIC:
		return cs_atomic(cs);
	case OP_BATCH_BUFFER_START:
		return cs_batch_start(cs);
	case OP_COND_BB_END:
		return cs_cond_batch_end(cs);
	default:
		return -EIO;
	}
}

/* One command at cs->ip. Return: CS_CONTINUE, CS_END or -EIO. */
static int cs_step(struct vxe_cs *cs)
{
	if (cs_read(cs, cs->ip, &cs->dw[0], 4))
		return -EIO;

	if (CMD_TYPE(cs->dw[0]) == CMD_TYPE_MI)
		return cs_mi(cs);
	if ((cs->dw[0] & PIPE_CONTROL_MASK) == PIPE_CONTROL_HDR)
		return cs_pipe_control(cs);
	return -EIO;
}

static int cs_run(struct vxe_cs *cs, u64 bb)
{
	unsigned long n = 0;
	int ret;

	cs->ip = bb;
	cs->depth = 0;
	do {
		if (time_after(jiffies, cs->deadline))
			return -ETIME;
		if (READ_ONCE(cs->job->q->killed))
			return -ECANCELED;
		ret = cs_step(cs);
		if (!(++n % 256))
			cond_resched();
	} while (ret == CS_CONTINUE);

	return ret;
}

/* The user fence of an exec is written by the ring after the batch, as xe's. */
static int vxe_job_write_ufence(struct vxe_cs *cs)
{
	u64 val = cs->job->ufence_value;

	if (!cs->job->ufence_addr)
		return 0;
	return cs_write(cs, cs->job->ufence_addr, &val, sizeof(val)) ? -EIO : 0;
}

static int vxe_job_execute(struct vxe_job *job)
{
	struct vxe_cs cs = {
		.job = job,
		.vm = job->vm,
		.deadline = jiffies + msecs_to_jiffies(READ_ONCE(vxe_job_timeout_ms)),
		.start_ns = ktime_get_ns(),
	};
	struct vxe_device *vxe = job->q->vxe;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < job->num_bb; i++)
		err = cs_run(&cs, job->bb_addr[i]);
	if (!err)
		err = vxe_job_write_ufence(&cs);

	if (err == -EIO)
		dev_info_ratelimited(vxe->drm.dev,
				     "GPU fault: queue context %llu job %llu, command 0x%08x near 0x%llx, address 0x%llx\n",
				     job->fence.context, job->fence.seqno, cs.dw[0], cs.ip,
				     cs.fault_addr);
	else if (err == -ETIME)
		dev_info_ratelimited(vxe->drm.dev,
				     "job timeout: queue context %llu job %llu after %u ms\n",
				     job->fence.context, job->fence.seqno, vxe_job_timeout_ms);
	return err;
}

static void vxe_job_release_deps(struct vxe_job *job)
{
	unsigned int i;

	for (i = 0; i < job->num_deps; i++)
		dma_fence_put(job->deps[i].fence);
	kfree(job->deps);
	job->deps = NULL;
	job->num_deps = 0;
}

static void vxe_job_finish(struct vxe_job *job, int err)
{
	struct vxe_exec_queue *q = job->q;
	struct vxe_stats *stats = &q->vxe->stats;

	if (err)
		dma_fence_set_error(&job->fence, err);
	if (err && !job->run) {
		if (err == -ETIME)
			atomic_long_inc(&stats->job_timeouts);
		else if (err == -EIO)
			atomic_long_inc(&stats->gpu_faults);
		if (err != -ECANCELED)
			vxe_exec_queue_ban(q);
	}
	dma_fence_signal(&job->fence);

	if (job->free_priv)
		job->free_priv(job->priv);
	vxe_job_release_deps(job);
	vxe_vm_put(job->vm);
	vxe_exec_queue_put(q);
	dma_fence_put(&job->fence);
}

static void vxe_job_work(struct work_struct *work)
{
	struct vxe_job *job = container_of(work, struct vxe_job, work);
	struct vxe_exec_queue *q = job->q;
	int err;

	/* Jobs queued behind a fault or a timeout are cancelled, as on xe. */
	if (READ_ONCE(q->banned) || READ_ONCE(q->killed)) {
		vxe_job_finish(job, -ECANCELED);
		return;
	}

	if (job->run) {
		vxe_job_finish(job, job->run(job));
		return;
	}
	err = vxe_job_execute(job);
	atomic_long_inc(&q->vxe->stats.jobs);
	vxe_job_finish(job, err);
}

static void vxe_job_dep_signalled(struct vxe_job *job)
{
	if (atomic_dec_and_test(&job->pending))
		queue_work(job->q->vxe->engine_wq, &job->work);
}

static void vxe_job_dep_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct vxe_job_dep *dep = container_of(cb, struct vxe_job_dep, cb);

	vxe_job_dep_signalled(dep->job);
}

struct vxe_job *vxe_job_create(struct vxe_exec_queue *q, const u64 *bb_addr,
			       unsigned int num_bb, unsigned int max_deps)
{
	struct vxe_job *job;

	job = kzalloc(struct_size(job, bb_addr, num_bb), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);

	/* One more slot: vxe_job_arm() adds the queue's previous job. */
	job->max_deps = max_deps + 1;
	job->deps = kcalloc(job->max_deps, sizeof(*job->deps), GFP_KERNEL);
	if (!job->deps) {
		kfree(job);
		return ERR_PTR(-ENOMEM);
	}

	spin_lock_init(&job->fence_lock);
	INIT_WORK(&job->work, vxe_job_work);
	job->q = vxe_exec_queue_get(q);
	job->vm = vxe_vm_get(q->vm);
	atomic_set(&job->pending, 1);
	job->num_bb = num_bb;
	memcpy(job->bb_addr, bb_addr, num_bb * sizeof(*bb_addr));
	return job;
}

int vxe_job_add_dep(struct vxe_job *job, struct dma_fence *fence)
{
	if (job->num_deps >= job->max_deps)
		return -ENOSPC;
	job->deps[job->num_deps].fence = dma_fence_get(fence);
	job->deps[job->num_deps].job = job;
	job->num_deps++;
	return 0;
}

int vxe_job_arm(struct vxe_job *job)
{
	struct vxe_exec_queue *q = job->q;
	int err;

	lockdep_assert_held(&q->lock);
	if (q->last_fence) {
		err = vxe_job_add_dep(job, q->last_fence);
		if (err)
			return err;
	}

	dma_fence_init(&job->fence, &vxe_job_fence_ops, &job->fence_lock,
		       q->fence_context, ++q->seqno);
	dma_fence_put(q->last_fence);
	q->last_fence = dma_fence_get(&job->fence);
	return 0;
}

void vxe_job_push(struct vxe_job *job)
{
	unsigned int i;

	for (i = 0; i < job->num_deps; i++) {
		atomic_inc(&job->pending);
		if (dma_fence_add_callback(job->deps[i].fence, &job->deps[i].cb,
					   vxe_job_dep_cb))
			atomic_dec(&job->pending);	/* signalled already */
	}
	vxe_job_dep_signalled(job);
}

void vxe_job_free(struct vxe_job *job)
{
	if (job->free_priv)
		job->free_priv(job->priv);
	vxe_job_release_deps(job);
	vxe_vm_put(job->vm);
	vxe_exec_queue_put(job->q);
	kfree(job);
}
