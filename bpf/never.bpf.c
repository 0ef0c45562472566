// SPDX-License-Identifier: GPL-2.0
/*
 * never: leave the copy of every folio to the CPU, even with a migrator
 * loaded.
 *
 * A baseline for measurements (the batched CPU copy with the migrator's
 * overhead of being asked) and an off switch that keeps the migrator
 * loaded: `migctl replace never` stops all offload at once, `migctl
 * replace size` resumes it.
 *
 * Tunables: none.
 * Counters: cpu (folios left to the CPU).
 *
 * Works well as a reference point. Works badly whenever large folios
 * migrate in bulk: the CPU does all the copying.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("copy every folio with the CPU (baseline, off switch)");

struct never_counters {
	__u64 cpu;
};

MIGCTL_COUNTERS(struct never_counters);

/* One decision per batch: no call per folio. */
SEC("struct_ops/decide_batch")
int BPF_PROG(never_decide_batch, const struct migrate_dma_batch *batch)
{
	migctl_count_n(cpu, batch->nr_folios);
	return MIGRATE_DMA_BATCH_CPU;
}

MIGRATOR_BATCH_POLICY(never, never_decide_batch, NULL);

char LICENSE[] SEC("license") = "GPL";
