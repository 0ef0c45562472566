/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For authors of page-migration copy policies.
 *
 * A policy is a BPF struct_ops of type struct migrate_dma_policy_ops that
 * implements one callback and has a name (not empty):
 *
 *	int can_migrate_dma(struct folio *dst, struct folio *src,
 *			    const struct migrate_dma_batch *batch);
 *
 * The kernel calls it for every folio of a migration batch copy while a
 * migrator (a DMA backend) is active. 1 (true): the migrator copies the
 * folio (typically with a DMA engine); 0 (false): the CPU copies it, in the
 * same batch; anything else is counted in stats/policy_invalid and the CPU
 * copies the folio. It must not sleep, and it cannot change the folios (the
 * verifier refuses writes). The copy always stays with a kernel backend,
 * which BPF does not see. Without an active migrator there is no batch
 * copy and the policy is not called.
 *
 * While attached, the policy's verdict replaces the migrator's own choice;
 * the migrator still hands back what its engine could not copy, and the CPU
 * copies that (stats/fallback_copy_failed). Folios the architecture must
 * copy itself (arm64 MTE tags) never reach the policy.
 *
 * What a policy can decide on:
 *
 *   batch->reason      why the folios migrate, enum migrate_reason:
 *                      MR_SYSCALL (move_pages, mbind, migrate_pages),
 *                      MR_NUMA_MISPLACED (NUMA balancing), MR_DEMOTION,
 *                      MR_PROMOTION (memory tiering), MR_COMPACTION, ...
 *   batch->nr_folios   folios in the batch copy
 *   batch->nr_bytes    bytes in the batch copy
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

#endif /* __MIGRATOR_BPF_H */
