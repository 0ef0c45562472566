/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For authors of page-migration copy policies.
 *
 * A policy is a BPF struct_ops of type struct migrate_dma_policy_ops that
 * implements one or both of two callbacks and has a name (not empty):
 *
 *	int decide_batch(const struct migrate_dma_batch *batch);
 *	int can_migrate_dma(struct folio *dst, struct folio *src,
 *			    const struct migrate_dma_batch *batch);
 *
 * The kernel calls them while a migrator (a DMA backend) is active, for
 * each migration batch copy. decide_batch(), if the policy has one, first,
 * once per batch:
 *
 *   MIGRATE_DMA_BATCH_OFFLOAD    the migrator copies every folio of the
 *                                batch (typically with a DMA engine)
 *   MIGRATE_DMA_BATCH_CPU        the CPU copies every folio of the batch
 *   MIGRATE_DMA_BATCH_PER_FOLIO  decide folio by folio: can_migrate_dma()
 *                                if the policy has one, else the
 *                                migrator's own choice
 *
 * can_migrate_dma(), for each folio: 1 (true), the migrator copies it;
 * 0 (false), the CPU copies it, in the same batch. Any other value of
 * either is counted in /proc/vmstat's pgmigrate_dma_policy_invalid and the
 * CPU copies the folio (or the batch). A policy that decides on the batch alone (its reason,
 * size or cgroup) should do it in decide_batch(): one call per batch, not
 * one per folio. Neither may sleep, and neither can change the folios
 * (the verifier refuses writes). The copy always stays with a kernel
 * backend, which BPF does not see. Without an active migrator there is no
 * batch copy and the policy is not called.
 *
 * While attached, the policy's verdict replaces the migrator's own choice;
 * the migrator still hands back what its engine could not copy, and the CPU
 * copies that (pgmigrate_dma_fallback_copy_failed). Folios the architecture
 * must copy itself (arm64 MTE tags) never reach the policy.
 *
 * What a policy can decide on:
 *
 *   batch->reason      why the folios migrate, enum migrate_reason of
 *                      Linux 6.12 (in brackets: the REASON of the
 *                      pgmigrate_dma_REASON_* events of /proc/vmstat that
 *                      count its batch copies):
 *                      MR_DEMOTION        reclaim (kswapd, direct, memcg
 *                                         memory.reclaim and memory.max)
 *                                         moving cold folios to a slower
 *                                         memory tier [demotion]
 *                      MR_NUMA_MISPLACED  NUMA balancing; with
 *                                         kernel.numa_balancing=2 also the
 *                                         promotion of hot folios back to
 *                                         a faster tier: 6.12 has no
 *                                         MR_PROMOTION, tell the two apart
 *                                         by the nodes [numa]
 *                      MR_DAMON           DAMON's migrate_hot/migrate_cold
 *                                         schemes [damon]
 *                      MR_SYSCALL         move_pages(2), migrate_pages(2),
 *                                         cpuset moves [syscall]
 *                      MR_MEMPOLICY_MBIND mbind(2) [syscall]
 *                      MR_COMPACTION, MR_MEMORY_HOTPLUG, MR_CONTIG_RANGE,
 *                      MR_LONGTERM_PIN    (in the totals only)
 *                      (MR_MEMORY_FAILURE never reaches a batch copy.)
 *   batch->nr_folios   folios in the batch copy
 *   batch->nr_bytes    bytes in the batch copy
 *   batch->mixed_cgroups  the folios belong to more than one memory cgroup
 *   batch->cgroup_id   if not, the id of theirs (as below; 0 if none):
 *                      reclaim and demotion batches have one
 *   bpf_migrate_folio_order(src)      0 for a 4 KiB page, 9 for a 2 MiB THP
 *                                     (pages: 1 << order)
 *   bpf_migrate_folio_nid(src)        the node the folio is on
 *   bpf_migrate_folio_nid(dst)        the node it moves to
 *   bpf_migrate_folio_cgroup_id(src)  the id of the folio's memory cgroup,
 *                                     as bpf_get_current_cgroup_id() and the
 *                                     inode number of the cgroup directory
 *                                     give it; 0 if none
 *   bpf_get_current_cgroup_id()       the cgroup of the migrating task
 *
 * The kfuncs are for migration policies only; their arguments must be the
 * folios the kernel passed in.
 *
 * One policy is attached at a time (a second attach fails with EBUSY);
 * bpf_link__update_map() replaces it atomically; a detach returns once the
 * kernel stopped calling it. /sys/kernel/mm/migrate_dma/policy shows the
 * attached policy's name.
 *
 * A minimal policy:
 *
 *	#include "migrator.bpf.h"
 *
 *	SEC("struct_ops/can_migrate_dma")
 *	bool BPF_PROG(thp_only, struct folio *dst, struct folio *src,
 *		      const struct migrate_dma_batch *batch)
 *	{
 *		return bpf_migrate_folio_order(src) >= 9;
 *	}
 *
 *	MIGRATOR_POLICY(thp_only_policy, thp_only);
 *	char LICENSE[] SEC("license") = "GPL";
 *
 * and attach it with `bpftool struct_ops register POLICY.bpf.o /sys/fs/bpf`
 * (removing the pinned link detaches it).
 */
#ifndef __MIGRATOR_BPF_H
#define __MIGRATOR_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern unsigned int bpf_migrate_folio_order(struct folio *folio) __ksym;
extern int bpf_migrate_folio_nid(struct folio *folio) __ksym;
extern __u64 bpf_migrate_folio_cgroup_id(struct folio *folio) __ksym;

/* The THP order on x86-64 (2 MiB folios). */
#define MIGRATOR_PMD_ORDER	9

/*
 * Declare the struct_ops map of a policy named _name (the name shown in
 * /sys/kernel/mm/migrate_dma/policy) whose can_migrate_dma() is _fn.
 */
#define MIGRATOR_POLICY(_name, _fn)				\
	SEC(".struct_ops.link")					\
	struct migrate_dma_policy_ops _name = {			\
		.can_migrate_dma = (void *)_fn,			\
		.name = #_name,					\
	}

/*
 * The same for a policy whose decide_batch() is _batch_fn and whose
 * can_migrate_dma() is _fn; _fn may be NULL (the migrator then decides
 * for the batches _batch_fn leaves to a per-folio decision).
 */
#define MIGRATOR_BATCH_POLICY(_name, _batch_fn, _fn)		\
	SEC(".struct_ops.link")					\
	struct migrate_dma_policy_ops _name = {			\
		.decide_batch = (void *)_batch_fn,		\
		.can_migrate_dma = (void *)_fn,			\
		.name = #_name,					\
	}

#endif /* __MIGRATOR_BPF_H */
