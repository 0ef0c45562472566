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
#include "policies.h"

MIGCTL_COUNTERS(struct always_counters);

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(always_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	migctl_count(struct always_counters, dma);
	return true;
}

MIGRATOR_POLICY(always, always_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
