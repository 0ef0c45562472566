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
 *	cgroup id to a struct of the same type, for per-workload values:
 *	those of a cgroup apply to the cgroups below it too.
 *	Members are unsigned integers (__u8 to __u64); migctl pins both maps
 *	and writes them at run time.
 *   migctl_tunables(src)
 *	the tunables in force for the folio src: the entry in
 *	cgroup_tunables of its memory cgroup or, if it has none, of the
 *	nearest ancestor that has one (a rule on a cgroup covers the
 *	cgroups below it, also those created after the rule); the global
 *	ones if no cgroup on the way up to the root has an entry. The walk
 *	up is bounded: the folio's cgroup and its MIGCTL_CGROUP_DEPTH (16)
 *	nearest ancestors are looked at, which is every ancestor, the root
 *	included, for a cgroup up to 16 levels below the root; an entry
 *	further up than that is not seen by a deeper cgroup, whose folios
 *	then follow the global tunables.
 *   migctl_cgroup_tunables(src)
 *	the same, but NULL where migctl_tunables() gives the global ones
 *	(for a policy that counts rules and the default apart).
 *   migctl_batch_tunables(batch)
 *	the same as migctl_tunables() for every folio of a batch, in
 *	decide_batch(), from the batch's cgroup; NULL when its folios
 *	belong to more than one memory cgroup (return
 *	MIGRATE_DMA_BATCH_PER_FOLIO and decide with migctl_tunables() then).
 *
 *	Their cost per decision: a hit on the folio's own cgroup is one
 *	hash lookup; with cgroup_tunables empty (no per-cgroup rule), one
 *	hash lookup and bpf_map_sum_elem_count() (a load per possible CPU,
 *	no lock, no atomic); otherwise, when the own cgroup has no entry,
 *	bpf_cgroup_from_id() and bpf_cgroup_release() (an IDR lookup under
 *	RCU and reference counting) and one hash lookup per ancestor until
 *	the first entry, the ancestors read from the cgroup's kernfs nodes.
 *   MIGCTL_COUNTERS(struct NAME_counters);
 *	a per-CPU array `counters` of one struct of __u64 counters, one per
 *	verdict (names starting with "dma" count folios sent to the
 *	migrator, "cpu" folios left to the CPU).
 *   migctl_count(member)
 *	add one to a counter (of this CPU's struct in `counters`).
 *   migctl_count_n(member, n)
 *	add n (a batch's nr_folios, in decide_batch()).
 *
 * Give the structs names unique to the policy (size_tunables, not
 * tunables).
 *
 * How migctl shows and parses a tunable, from BTF declaration tags on its
 * member (clang -g keeps them; migctl reads them from the object or, for
 * an attached policy, from the kernel):
 *   MIGCTL_BYTES          a size: takes K, M, G (KiB, MiB, GiB) suffixes
 *   MIGCTL_BOOL           on/off: 0/1, on/off, yes/no, true/false
 *   MIGCTL_RANGE(lo, hi)  the values taken, integers with an optional
 *                         K/M/G suffix (e.g. MIGCTL_RANGE(0, 1G)); without
 *                         it, the whole range of the member's type
 *   MIGCTL_HELP("text")   one line for 'migctl list POLICY'
 * e.g.
 *	struct my_tunables {
 *		__u64 min_bytes MIGCTL_BYTES MIGCTL_RANGE(0, 1G)
 *			MIGCTL_HELP("smallest folio offloaded, bytes");
 *	};
 *
 *   MIGCTL_SUMMARY("text");
 *	what the policy does, in one line, for 'migctl list'.
 */
#ifndef __MIGCTL_BPF_H
#define __MIGCTL_BPF_H

#include "migrator.bpf.h"

#define MIGCTL_BYTES		__attribute__((btf_decl_tag("migctl:bytes")))
#define MIGCTL_BOOL		__attribute__((btf_decl_tag("migctl:bool")))
#define MIGCTL_RANGE(_lo, _hi)	\
	__attribute__((btf_decl_tag("migctl:range=" #_lo ".." #_hi)))
#define MIGCTL_HELP(_text)	__attribute__((btf_decl_tag("migctl:help=" _text)))
#define MIGCTL_SUMMARY(_text)	const volatile char migctl_summary[] = _text

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

/*
 * How many ancestors of a folio's memory cgroup are looked at for an entry
 * in cgroup_tunables: all of them up to the root for a cgroup up to this
 * many levels below it.
 */
#define MIGCTL_CGROUP_DEPTH	16

extern struct cgroup *bpf_cgroup_from_id(__u64 cgid) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
extern __s64 bpf_map_sum_elem_count(const struct bpf_map *map) __ksym;

/*
 * The entry of cgroup @cgid in @map (cgroup_tunables), or of its nearest
 * ancestor that has one; NULL if none of them has.
 *
 * The ancestors' ids are those of their kernfs nodes, which a cgroup's
 * node reaches through ->parent (a cgroup2 directory never moves to
 * another parent, and the reference taken on the cgroup keeps its
 * ancestors and their nodes alive). Reading them costs loads, where
 * bpf_cgroup_ancestor() would cost two kfunc calls and two atomics per
 * level.
 */
static __always_inline void *migctl_cgroup_lookup(void *map, __u64 cgid)
{
	struct kernfs_node *kn;
	struct cgroup *cgrp;
	void *t;
	int i;

	t = bpf_map_lookup_elem(map, &cgid);
	if (t || !cgid)
		return t;
	/* No per-cgroup entry at all: no walk. */
	if (!bpf_map_sum_elem_count(map))
		return NULL;
	cgrp = bpf_cgroup_from_id(cgid);
	if (!cgrp)
		return NULL;
	kn = cgrp->kn;
	for (i = 0; i < MIGCTL_CGROUP_DEPTH && kn; i++) {
		kn = kn->parent;
		if (!kn)
			break;
		cgid = kn->id;
		t = bpf_map_lookup_elem(map, &cgid);
		if (t)
			break;
	}
	bpf_cgroup_release(cgrp);
	return t;
}

#define migctl_cgroup_tunables(_src) ((typeof(tunables) *)		\
	migctl_cgroup_lookup(&cgroup_tunables, bpf_migrate_folio_cgroup_id(_src)))

#define migctl_tunables(_src) ({					\
	typeof(tunables) *__t = migctl_cgroup_tunables(_src);		\
									\
	__t ? __t : &tunables;						\
})

#define migctl_batch_tunables(_batch) ({				\
	typeof(tunables) *__t = NULL;					\
									\
	if (!(_batch)->mixed_cgroups) {					\
		__t = migctl_cgroup_lookup(&cgroup_tunables,		\
					   (_batch)->cgroup_id);	\
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

/* The type comes from the map: __type(value, T) declares `T *value`. */
#define migctl_count_n(_member, _n) ({					\
	__u32 __zero = 0;						\
	typeof(*counters.value) *__c =					\
		bpf_map_lookup_elem(&counters, &__zero);		\
									\
	if (__c)							\
		__c->_member += (_n);					\
})

#define migctl_count(_member) migctl_count_n(_member, 1)

#endif /* __MIGCTL_BPF_H */
