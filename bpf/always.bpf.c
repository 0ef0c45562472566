// SPDX-License-Identifier: GPL-2.0
/*
 * always: hand the copy of every folio to the migrator (the DMA engine).
 *
 * A baseline for measurements: everything the batch copy sees is offloaded,
 * whatever its size, its reason or its workload.
 *
 * Tunables: none.
 * Counters: dma (folios sent to the migrator).
 *
 * Works well when the CPU is the scarce resource and the DMA engine is
 * fast for any size, or to measure the engine's best case on large
 * migrations. Works badly for small folios and small batches, where the
 * DMA setup and completion cost more than a 4 KiB CPU copy, and it adds
 * latency to NUMA balancing faults.
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("offload every folio (baseline)");

struct always_counters {
	__u64 dma;
};

MIGCTL_COUNTERS(struct always_counters);

/* One decision per batch: no call per folio. */
SEC("struct_ops/decide_batch")
int BPF_PROG(always_decide_batch, const struct migrate_dma_batch *batch)
{
	migctl_count_n(dma, batch->nr_folios);
	return MIGRATE_DMA_BATCH_OFFLOAD;
}

MIGRATOR_BATCH_POLICY(always, always_decide_batch, NULL);

char LICENSE[] SEC("license") = "GPL";
