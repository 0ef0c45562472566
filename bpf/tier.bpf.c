// SPDX-License-Identifier: GPL-2.0
/*
 * tier: for tiered memory (CXL, slow NUMA nodes), decide by the direction a
 * folio moves between tiers.
 *
 * Demotion (MR_DEMOTION: kswapd, direct and memcg reclaim moving cold
 * folios to a slower tier) is offloaded: nobody waits for it but reclaim,
 * the folios are cold, so the cache-cold copy a DMA engine makes costs the
 * workload nothing, and every CPU cycle reclaim saves is one the workload
 * gets. Promotion (MR_NUMA_MISPLACED: NUMA balancing moving a hot folio
 * to the node of the task that faulted on it; with kernel.numa_balancing=2
 * that is how 6.12 promotes) stays on the CPU: the faulting task waits for
 * the copy, and the CPU's copy leaves the hot folio in its cache, where the
 * task reads it next. Only a large promotion batch (a THP: 2 MiB, more
 * than a last-level cache slice keeps warm anyway) is offloaded.
 * DAMON's migrate_hot and migrate_cold schemes (MR_DAMON) move folios in
 * bulk from a kernel thread, in either direction: offloaded. Any other
 * migration (move_pages(2), compaction, ...) is not tiering: left to the
 * CPU unless `other` says otherwise. Per-cgroup values (`migctl tune
 * --cgroup`) take precedence for the folios of that cgroup and of the
 * cgroups below it, e.g. a latency-critical service that wants its
 * demotions on the CPU too.
 *
 * Tunables:
 *   demote             offload demotions (0/1)                 (default 1)
 *   promote_min_bytes  offload a promotion batch of at least this many
 *                      bytes; 0: never                          (default 2M)
 *   damon              offload DAMON's migrations (0/1)        (default 1)
 *   other              offload other migrations (0/1)          (default 0)
 * Counters (folios): dma_demote, cpu_demote, dma_promote, cpu_promote,
 *   dma_damon, cpu_damon, dma_other, cpu_other.
 *
 * Works well where demotion is bulk and background (a tiering host under
 * reclaim pressure) and promotions are small and latency-bound. Works
 * badly when the engine is slower than the CPU for the folio sizes
 * demoted (base pages on an engine with a high per-descriptor cost: use
 * `size` for those), or when MR_NUMA_MISPLACED is not promotion but NUMA
 * balancing between DRAM nodes (kernel.numa_balancing=1), which this
 * policy treats the same way: on the CPU unless the batch is large.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("tiered memory: offload demotions, promotions only in large batches");

struct tier_tunables {
	__u8 demote MIGCTL_BOOL MIGCTL_HELP("offload demotions");
	__u64 promote_min_bytes MIGCTL_BYTES MIGCTL_RANGE(0, 1G)
		MIGCTL_HELP("smallest promotion batch offloaded, bytes (K/M/G; 0: never)");
	__u8 damon MIGCTL_BOOL MIGCTL_HELP("offload DAMON's migrations");
	__u8 other MIGCTL_BOOL MIGCTL_HELP("offload other migrations");
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

MIGCTL_TUNABLES(struct tier_tunables, .demote = 1, .promote_min_bytes = 2 << 20,
		.damon = 1, .other = 0);
MIGCTL_COUNTERS(struct tier_counters);

/* Count @n folios of direction @dir for the migrator (@dma) or the CPU. */
#define tier_count(dir, dma, n) do {						\
	if (dma)								\
		migctl_count_n(dma_##dir, n);					\
	else									\
		migctl_count_n(cpu_##dir, n);					\
} while (0)

/* The verdict for one batch (or folio) of @bytes, counted per direction. */
static __always_inline bool tier_offload(const struct tier_tunables *t, int reason,
					 __u64 bytes, __u64 n)
{
	bool dma;

	switch (reason) {
	case MR_DEMOTION:
		dma = t->demote;
		tier_count(demote, dma, n);
		break;
	case MR_NUMA_MISPLACED:
		dma = t->promote_min_bytes && bytes >= t->promote_min_bytes;
		tier_count(promote, dma, n);
		break;
	case MR_DAMON:
		dma = t->damon;
		tier_count(damon, dma, n);
		break;
	default:
		dma = t->other;
		tier_count(other, dma, n);
		break;
	}
	return dma;
}

/*
 * Once per batch when its folios share a memory cgroup, as the batches of
 * reclaim, demotion, promotion (one folio) and DAMON (one node's folios)
 * mostly do.
 */
SEC("struct_ops/decide_batch")
int BPF_PROG(tier_decide_batch, const struct migrate_dma_batch *batch)
{
	const struct tier_tunables *t = migctl_batch_tunables(batch);

	if (!t)
		return MIGRATE_DMA_BATCH_PER_FOLIO;
	return tier_offload(t, batch->reason, batch->nr_bytes, batch->nr_folios) ?
	       MIGRATE_DMA_BATCH_OFFLOAD : MIGRATE_DMA_BATCH_CPU;
}

/* Folio by folio when they belong to several: the batch's size still counts. */
SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(tier_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return tier_offload(migctl_tunables(src), batch->reason, batch->nr_bytes, 1);
}

MIGRATOR_BATCH_POLICY(tier, tier_decide_batch, tier_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
