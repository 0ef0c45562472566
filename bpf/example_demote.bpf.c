// SPDX-License-Identifier: GPL-2.0
/*
 * example_demote: offload the demotions to a slower memory tier that come
 * in batches of at least min_batch_bytes; copy every other migration with
 * the CPU. The second example of the policy author's guide (README,
 * "Writing a policy"): a tunable, counters and per-cgroup values, written
 * against migrator.bpf.h and migctl.bpf.h alone.
 *
 * Build (vmlinux.h from 'bpftool btf dump file /sys/kernel/btf/vmlinux
 * format c', the headers of libbpf and of this directory on the path;
 * -g because migctl reads the tunables from BTF):
 *	clang -g -O2 --target=bpf -D__TARGET_ARCH_x86 -I. \
 *		-c example_demote.bpf.c -o example_demote.bpf.o
 * Attach, tune, set a per-cgroup value, read the counters:
 *	migctl attach ./example_demote.bpf.o --set min_batch_bytes=1M
 *	migctl tune min_batch_bytes=512K
 *	migctl tune --cgroup system.slice min_batch_bytes=0
 *	migctl stats		(example_demote.dma, example_demote.cpu)
 *
 * Works well where reclaim demotes cold memory in large batches (kswapd,
 * memory.reclaim): the engine copies them while the CPU goes on. Small
 * demotion batches, and every promotion, stay on the CPU.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("offload demotions in batches of at least min_batch_bytes");

struct example_demote_tunables {
	__u64 min_batch_bytes MIGCTL_BYTES MIGCTL_RANGE(0, 1G)
		MIGCTL_HELP("smallest demotion batch offloaded, bytes (K/M/G)");
};

/* One counter per verdict: "dma..." offloaded, "cpu..." left to the CPU. */
struct example_demote_counters {
	__u64 dma;
	__u64 cpu;
};

MIGCTL_TUNABLES(struct example_demote_tunables, .min_batch_bytes = 256 << 10);
MIGCTL_COUNTERS(struct example_demote_counters);

/* Once per batch: its reason, its size and its cgroup's values decide. */
SEC("struct_ops/decide_batch")
int BPF_PROG(example_demote_decide_batch, const struct migrate_dma_batch *batch)
{
	struct example_demote_tunables *t = migctl_batch_tunables(batch);

	/* Folios of several cgroups: decide folio by folio, below. */
	if (!t)
		return MIGRATE_DMA_BATCH_PER_FOLIO;
	if (batch->reason == MR_DEMOTION && batch->nr_bytes >= t->min_batch_bytes) {
		migctl_count_n(dma, batch->nr_folios);
		return MIGRATE_DMA_BATCH_OFFLOAD;
	}
	migctl_count_n(cpu, batch->nr_folios);
	return MIGRATE_DMA_BATCH_CPU;
}

/* Each folio by the values of its own cgroup. */
SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(example_demote_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	struct example_demote_tunables *t = migctl_tunables(src);

	if (batch->reason == MR_DEMOTION && batch->nr_bytes >= t->min_batch_bytes) {
		migctl_count(dma);
		return true;
	}
	migctl_count(cpu);
	return false;
}

MIGRATOR_BATCH_POLICY(example_demote, example_demote_decide_batch,
		      example_demote_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
