/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For policies that migctl (loader/) tunes and reports on.
 *
 * migctl attaches any policy written against migrator.bpf.h. A policy that
 * also follows the conventions below gets run-time tuning (`migctl tune`),
 * per-cgroup tuning (`migctl tune --cgroup`) and its own counters in
 * `migctl status` and `migctl stats`, with no change to migctl: migctl
 * finds the names, sizes and defaults of tunables and counters in the
 * object's BTF.
 *
 *   MIGCTL_TUNABLES(struct NAME_tunables, .key = default, ...);
 *	The global tunables: one variable `tunables` in the section
 *	".data.tunables" (an array map of one element, the defaults are its
 *	initial value), and a hash map `cgroup_tunables` from a memory
 *	cgroup id to a struct of the same type, for per-workload values.
 *	Members are unsigned integers (__u8 to __u64); migctl pins both maps
 *	and writes them at run time.
 *   migctl_tunables(src)
 *	the tunables in force for the folio src: its cgroup's entry in
 *	cgroup_tunables if there is one, the global ones otherwise.
 *   migctl_batch_tunables(batch)
 *	the same for every folio of a batch, in decide_batch(); NULL when
 *	its folios belong to more than one memory cgroup (return
 *	MIGRATE_DMA_BATCH_PER_FOLIO and decide with migctl_tunables() then).
 *   MIGCTL_COUNTERS(struct NAME_counters);
 *	a per-CPU array `counters` of one struct of __u64 counters, one per
 *	verdict (names starting with "dma" count folios sent to the
 *	migrator, "cpu" folios left to the CPU).
 *   migctl_count(struct NAME_counters, member)
 *	add one to a counter.
 *   migctl_count_n(struct NAME_counters, member, n)
 *	add n (a batch's nr_folios, in decide_batch()).
 *
 * Give the structs names unique to the policy (size_tunables, not
 * tunables). The built-in policies define theirs in policies.h, which
 * migctl includes with their skeletons.
 */
#ifndef __MIGCTL_BPF_H
#define __MIGCTL_BPF_H

#include "migrator.bpf.h"

/* How many cgroups can have their own tunables. */
#define MIGCTL_MAX_CGROUPS	1024

#define MIGCTL_TUNABLES(_type, ...)					\
	_type tunables SEC(".data.tunables") = { __VA_ARGS__ };		\
	struct {							\
		__uint(type, BPF_MAP_TYPE_HASH);			\
		__uint(max_entries, MIGCTL_MAX_CGROUPS);		\
		__type(key, __u64);					\
		__type(value, _type);					\
	} cgroup_tunables SEC(".maps")

#define migctl_tunables(_src) ({					\
	__u64 __cgid = bpf_migrate_folio_cgroup_id(_src);		\
	typeof(tunables) *__t;						\
									\
	__t = bpf_map_lookup_elem(&cgroup_tunables, &__cgid);		\
	__t ? __t : &tunables;						\
})

#define migctl_batch_tunables(_batch) ({				\
	typeof(tunables) *__t = NULL;					\
	__u64 __cgid;							\
									\
	if (!(_batch)->mixed_cgroups) {					\
		__cgid = (_batch)->cgroup_id;				\
		__t = bpf_map_lookup_elem(&cgroup_tunables, &__cgid);	\
		if (!__t)						\
			__t = &tunables;				\
	}								\
	__t;								\
})

#define MIGCTL_COUNTERS(_type)						\
	struct {							\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);		\
		__uint(max_entries, 1);					\
		__type(key, __u32);					\
		__type(value, _type);					\
	} counters SEC(".maps")

#define migctl_count_n(_type, _member, _n) ({			\
	__u32 __zero = 0;						\
	_type *__c = bpf_map_lookup_elem(&counters, &__zero);		\
									\
	if (__c)							\
		__c->_member += (_n);					\
})

#define migctl_count(_type, _member) migctl_count_n(_type, _member, 1)

#endif /* __MIGCTL_BPF_H */
