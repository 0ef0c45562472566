// SPDX-License-Identifier: GPL-2.0
/*
 * reason: offload or not depending on why the folios migrate.
 *
 * One on/off tunable per migration reason (enum migrate_reason of Linux
 * 6.12). By default the bulk, throughput-bound migrations are offloaded
 * (move_pages/migrate_pages, mbind, demotion to a slower tier, DAMON) and
 * the latency-bound ones stay on the CPU: NUMA balancing (which also
 * promotes pages to a faster tier) migrates from a page fault, where the
 * faulting task waits for the copy, and compaction, hotplug, CMA and
 * longterm pinning are rare and want the CPU's predictable latency.
 * Per-cgroup values (`migctl tune --cgroup`) take precedence for the
 * folios of that cgroup and of the cgroups below it.
 *
 * Tunables (0: CPU copy, 1: offload):
 *   syscall          move_pages(2), migrate_pages(2), cpusets (default 1)
 *   mbind            mbind(2) with MPOL_MF_MOVE              (default 1)
 *   numa_balancing   NUMA balancing and tier promotion        (default 0)
 *   demotion         demotion to a slower memory tier         (default 1)
 *   damon            DAMON-driven migration                   (default 1)
 *   compaction       memory compaction                        (default 0)
 *   hotplug          memory offlining                         (default 0)
 *   contig_range     alloc_contig_range() (CMA, gigantic pages) (default 0)
 *   longterm_pin     FOLL_LONGTERM pinning                    (default 0)
 * Counters:
 *   dma              folios sent to the migrator
 *   cpu              folios copied by the CPU
 *
 * Works well when the workload's latency matters and its bulk moves do
 * not (tiering daemons demote cold memory through the engine while
 * faults stay fast). Works badly when a reason mixes both kinds of
 * traffic: the choice is per reason, not per folio size; combine with
 * care or use size/adaptive.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("offload or not per migration reason");

struct reason_tunables {
	__u8 syscall MIGCTL_BOOL MIGCTL_HELP("move_pages(2), migrate_pages(2)");
	__u8 mbind MIGCTL_BOOL MIGCTL_HELP("mbind(2) MPOL_MF_MOVE");
	__u8 numa_balancing MIGCTL_BOOL MIGCTL_HELP("NUMA balancing, promotion");
	__u8 demotion MIGCTL_BOOL MIGCTL_HELP("demotion to a slower tier");
	__u8 damon MIGCTL_BOOL MIGCTL_HELP("DAMON");
	__u8 compaction MIGCTL_BOOL MIGCTL_HELP("compaction");
	__u8 hotplug MIGCTL_BOOL MIGCTL_HELP("memory offlining");
	__u8 contig_range MIGCTL_BOOL MIGCTL_HELP("alloc_contig_range (CMA)");
	__u8 longterm_pin MIGCTL_BOOL MIGCTL_HELP("FOLL_LONGTERM pinning");
};

struct reason_counters {
	__u64 dma;
	__u64 cpu;
};

MIGCTL_TUNABLES(struct reason_tunables, .syscall = 1, .mbind = 1, .numa_balancing = 0,
		.demotion = 1, .damon = 1, .compaction = 0, .hotplug = 0,
		.contig_range = 0, .longterm_pin = 0);
MIGCTL_COUNTERS(struct reason_counters);

static __always_inline bool offload(const struct reason_tunables *t, int reason)
{
	switch (reason) {
	case MR_SYSCALL:		return t->syscall;
	case MR_MEMPOLICY_MBIND:	return t->mbind;
	case MR_NUMA_MISPLACED:		return t->numa_balancing;
	case MR_DEMOTION:		return t->demotion;
	case MR_DAMON:			return t->damon;
	case MR_COMPACTION:		return t->compaction;
	case MR_MEMORY_HOTPLUG:		return t->hotplug;
	case MR_CONTIG_RANGE:		return t->contig_range;
	case MR_LONGTERM_PIN:		return t->longterm_pin;
	default:			return false;
	}
}

/*
 * Once per batch when its folios share a memory cgroup (and so one set of
 * tunables), as the batches of reclaim, demotion and a task's own
 * move_pages() do.
 */
SEC("struct_ops/decide_batch")
int BPF_PROG(reason_decide_batch, const struct migrate_dma_batch *batch)
{
	const struct reason_tunables *t = migctl_batch_tunables(batch);

	if (!t)
		return MIGRATE_DMA_BATCH_PER_FOLIO;
	if (offload(t, batch->reason)) {
		migctl_count_n(dma, batch->nr_folios);
		return MIGRATE_DMA_BATCH_OFFLOAD;
	}
	migctl_count_n(cpu, batch->nr_folios);
	return MIGRATE_DMA_BATCH_CPU;
}

/* Folio by folio when they belong to several. */
SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(reason_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	if (offload(migctl_tunables(src), batch->reason)) {
		migctl_count(dma);
		return true;
	}
	migctl_count(cpu);
	return false;
}

MIGRATOR_BATCH_POLICY(reason, reason_decide_batch, reason_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
