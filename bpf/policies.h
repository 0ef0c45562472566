/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tunables and counters of the built-in policies (always.bpf.c,
 * never.bpf.c, size.bpf.c, reason.bpf.c, workload.bpf.c, adaptive.bpf.c,
 * tier.bpf.c),
 * shared with migctl: its skeletons embed these structs. What each member
 * means and its default are in the policy's own file; migctl reads the
 * names, sizes and defaults from the objects' BTF.
 *
 * Include after vmlinux.h (BPF) or <linux/types.h> (userspace).
 */
#ifndef __MIGCTL_POLICIES_H
#define __MIGCTL_POLICIES_H

struct always_counters {
	__u64 dma;
};

struct never_counters {
	__u64 cpu;
};

struct size_tunables {
	__u32 min_order;
	__u64 min_bytes;
};

struct size_counters {
	__u64 dma;
	__u64 cpu_order;
	__u64 cpu_bytes;
};

struct reason_tunables {
	__u8 syscall;
	__u8 mbind;
	__u8 numa_balancing;
	__u8 demotion;
	__u8 damon;
	__u8 compaction;
	__u8 hotplug;
	__u8 contig_range;
	__u8 longterm_pin;
};

struct reason_counters {
	__u64 dma;
	__u64 cpu;
};

struct workload_tunables {
	__u8 offload;
	__u32 min_order;
};

struct workload_counters {
	__u64 dma_rule;
	__u64 cpu_rule;
	__u64 dma_default;
	__u64 cpu_default;
};

struct adaptive_tunables {
	__u64 min_batch_bytes;
};

struct adaptive_counters {
	__u64 dma;
	__u64 cpu_small_batch;
};

struct tier_tunables {
	__u8 demote;
	__u64 promote_min_bytes;
	__u8 damon;
	__u8 other;
};

struct tier_counters {
	__u64 dma_demote;
	__u64 cpu_demote;
	__u64 dma_promote;
	__u64 cpu_promote;
	__u64 dma_damon;
	__u64 cpu_damon;
	__u64 dma_other;
	__u64 cpu_other;
};

#endif /* __MIGCTL_POLICIES_H */
