// SPDX-License-Identifier: GPL-2.0
/*
 * adaptive: offload a batch only when it is big enough to be worth a DMA
 * setup.
 *
 * The reviews of the DMA migration RFCs measured it: a DMA transfer has a
 * fixed cost (descriptor setup, mapping, completion, an interrupt or a
 * poll) that small copies never earn back, and a batch of a few base
 * pages is copied faster by the CPU that already holds them in cache. So
 * the folios of a batch copy go to the migrator only while the batch
 * carries at least min_batch_bytes; otherwise the CPU copies them. The
 * size of a batch is at most /sys/kernel/mm/migrate_dma/batch_bytes.
 * Per-cgroup values (`migctl tune --cgroup`) take precedence for the
 * folios of that cgroup and of the cgroups below it.
 *
 * Tunables:
 *   min_batch_bytes  smallest batch offloaded, in bytes, up to 1 GiB
 *                    (default 2 MiB: one THP, or 512 base pages)
 * Counters:
 *   dma              folios of large enough batches, sent to the migrator
 *   cpu_small_batch  folios of smaller batches, copied by the CPU
 *
 * Works well for bulk migrations (move_pages/migrate_pages of large
 * ranges, demotion, mbind), which come in full batches, while the
 * trickle of NUMA balancing faults, one folio per batch, stays on the
 * CPU. Works badly when a workload migrates many small batches that
 * together are large (each is judged alone), and for a lone THP: a batch
 * of one 2 MiB folio passes the default limit.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("offload only batches of at least min_batch_bytes");

struct adaptive_tunables {
	__u64 min_batch_bytes MIGCTL_BYTES MIGCTL_RANGE(0, 1G)
		MIGCTL_HELP("smallest batch offloaded, bytes (K/M/G)");
};

struct adaptive_counters {
	__u64 dma;
	__u64 cpu_small_batch;
};

MIGCTL_TUNABLES(struct adaptive_tunables, .min_batch_bytes = 2 << 20);
MIGCTL_COUNTERS(struct adaptive_counters);

/*
 * Once per batch when its folios share a memory cgroup (and so one set of
 * tunables), as the batches of reclaim, demotion and a task's own
 * move_pages() do.
 */
SEC("struct_ops/decide_batch")
int BPF_PROG(adaptive_decide_batch, const struct migrate_dma_batch *batch)
{
	struct adaptive_tunables *t = migctl_batch_tunables(batch);

	if (!t)
		return MIGRATE_DMA_BATCH_PER_FOLIO;
	if (batch->nr_bytes < t->min_batch_bytes) {
		migctl_count_n(cpu_small_batch, batch->nr_folios);
		return MIGRATE_DMA_BATCH_CPU;
	}
	migctl_count_n(dma, batch->nr_folios);
	return MIGRATE_DMA_BATCH_OFFLOAD;
}

/* Folio by folio when they belong to several. */
SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(adaptive_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	struct adaptive_tunables *t = migctl_tunables(src);

	if (batch->nr_bytes < t->min_batch_bytes) {
		migctl_count(cpu_small_batch);
		return false;
	}
	migctl_count(dma);
	return true;
}

MIGRATOR_BATCH_POLICY(adaptive, adaptive_decide_batch, adaptive_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
