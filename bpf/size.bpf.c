// SPDX-License-Identifier: GPL-2.0
/*
 * size: offload the folios that are large enough; copy the others with
 * the CPU.
 *
 * A folio goes to the migrator when its order is at least min_order and
 * its size in bytes at least min_bytes; both are lower bounds, the
 * stricter one decides. Per-cgroup values (`migctl tune --cgroup`) take
 * precedence over the global ones for the folios of that cgroup and of
 * the cgroups below it (the nearest cgroup with values wins).
 *
 * Tunables:
 *   min_order  smallest folio order offloaded, 0..10    (default 9: 2 MiB THPs)
 *   min_bytes  smallest folio size offloaded, in bytes (default 0: no limit)
 * Counters:
 *   dma        folios sent to the migrator
 *   cpu_order  folios copied by the CPU: order below min_order
 *   cpu_bytes  folios copied by the CPU: smaller than min_bytes
 *
 * Works well when the migrating memory mixes THPs and base pages: the
 * engine moves the 2 MiB folios, where a DMA transfer beats the CPU copy
 * and frees the CPU, and the 4 KiB pages, where the DMA setup costs more
 * than the copy, stay on the CPU. Works badly when many large folios
 * migrate one at a time (NUMA balancing faults): each waits for a DMA
 * completion; the adaptive policy looks at the batch instead.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("offload folios of at least min_order and min_bytes");

struct size_tunables {
	__u32 min_order MIGCTL_RANGE(0, 10)
		MIGCTL_HELP("smallest folio order offloaded (9: 2 MiB THP)");
	__u64 min_bytes MIGCTL_BYTES MIGCTL_RANGE(0, 1G)
		MIGCTL_HELP("smallest folio size offloaded, bytes (K/M/G)");
};

struct size_counters {
	__u64 dma;
	__u64 cpu_order;
	__u64 cpu_bytes;
};

MIGCTL_TUNABLES(struct size_tunables, .min_order = MIGRATOR_PMD_ORDER, .min_bytes = 0);
MIGCTL_COUNTERS(struct size_counters);

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(size_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	struct size_tunables *t = migctl_tunables(src);
	unsigned int order = bpf_migrate_folio_order(src);

	if (order < t->min_order) {
		migctl_count(cpu_order);
		return false;
	}
	if ((4096ULL << order) < t->min_bytes) {
		migctl_count(cpu_bytes);
		return false;
	}
	migctl_count(dma);
	return true;
}

MIGRATOR_POLICY(size, size_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
