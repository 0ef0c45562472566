// SPDX-License-Identifier: GPL-2.0
/*
 * A policy's tunables and counters, described by its BTF: the members of
 * the struct behind ".data.tunables" / "cgroup_tunables" and behind
 * "counters" (see bpf/migctl.bpf.h). migctl learns their names, offsets
 * and sizes here, so it tunes a third-party policy that follows the
 * convention as well as a built-in one; the built-in policies also get
 * ranges and one line of help from the table below.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <bpf/btf.h>

#include "migctl.h"

#define GiB (1ULL << 30)

const struct field_spec field_specs[] = {
	{ "size_tunables", "min_order", KIND_NUM, 0, 10,
	  "smallest folio order offloaded (9: 2 MiB THP)" },
	{ "size_tunables", "min_bytes", KIND_BYTES, 0, GiB,
	  "smallest folio size offloaded, bytes (K/M/G)" },
	{ "reason_tunables", "syscall", KIND_BOOL, 0, 1, "move_pages(2), migrate_pages(2)" },
	{ "reason_tunables", "mbind", KIND_BOOL, 0, 1, "mbind(2) MPOL_MF_MOVE" },
	{ "reason_tunables", "numa_balancing", KIND_BOOL, 0, 1, "NUMA balancing, promotion" },
	{ "reason_tunables", "demotion", KIND_BOOL, 0, 1, "demotion to a slower tier" },
	{ "reason_tunables", "damon", KIND_BOOL, 0, 1, "DAMON" },
	{ "reason_tunables", "compaction", KIND_BOOL, 0, 1, "compaction" },
	{ "reason_tunables", "hotplug", KIND_BOOL, 0, 1, "memory offlining" },
	{ "reason_tunables", "contig_range", KIND_BOOL, 0, 1, "alloc_contig_range (CMA)" },
	{ "reason_tunables", "longterm_pin", KIND_BOOL, 0, 1, "FOLL_LONGTERM pinning" },
	{ "workload_tunables", "offload", KIND_BOOL, 0, 1, "offload at all (0/1, on/off)" },
	{ "workload_tunables", "min_order", KIND_NUM, 0, 10,
	  "smallest folio order offloaded (9: 2 MiB THP)" },
	{ "adaptive_tunables", "min_batch_bytes", KIND_BYTES, 0, GiB,
	  "smallest batch offloaded, bytes (K/M/G)" },
	{ "tier_tunables", "demote", KIND_BOOL, 0, 1, "offload demotions" },
	{ "tier_tunables", "promote_min_bytes", KIND_BYTES, 0, GiB,
	  "smallest promotion batch offloaded, bytes (K/M/G; 0: never)" },
	{ "tier_tunables", "damon", KIND_BOOL, 0, 1, "offload DAMON's migrations" },
	{ "tier_tunables", "other", KIND_BOOL, 0, 1, "offload other migrations" },
};
const int nr_field_specs = sizeof(field_specs) / sizeof(field_specs[0]);

static int err_line(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int fields_from_btf(const struct btf *btf, unsigned int type_id, struct fields *fs,
		    char *err, size_t errlen)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;

	memset(fs, 0, sizeof(*fs));
	if (t && btf_is_datasec(t)) {
		const struct btf_var_secinfo *vs = btf_var_secinfos(t);
		const struct btf_type *var;

		if (btf_vlen(t) != 1)
			return err_line(err, errlen, "the tunables section must hold one variable, 'tunables'");
		var = btf__type_by_id(btf, vs->type);
		if (!var || !btf_is_var(var) || strcmp(btf__name_by_offset(btf, var->name_off), "tunables") != 0)
			return err_line(err, errlen, "the tunables section must hold one variable, 'tunables'");
		type_id = var->type;
		t = btf__type_by_id(btf, btf__resolve_type(btf, type_id));
	}
	if (!t || !btf_is_struct(t))
		return err_line(err, errlen, "tunables or counters are not a struct");
	snprintf(fs->type, sizeof(fs->type), "%s", btf__name_by_offset(btf, t->name_off));
	fs->size = t->size;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const struct btf_type *mt = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		const char *name = btf__name_by_offset(btf, m->name_off);
		struct field *f;

		if (fs->nr == MAX_FIELDS)
			return err_line(err, errlen, "%s: more than %d members", fs->type, MAX_FIELDS);
		if (!mt || !btf_is_int(mt) || (btf_int_encoding(mt) & BTF_INT_SIGNED) ||
		    btf_member_bitfield_size(t, i) || !name[0] ||
		    !(mt->size == 1 || mt->size == 2 || mt->size == 4 || mt->size == 8))
			return err_line(err, errlen, "%s: member '%s' is not an unsigned integer",
					fs->type, name);
		f = &fs->f[fs->nr++];
		snprintf(f->name, sizeof(f->name), "%s", name);
		f->off = btf_member_bit_offset(t, i) / 8;
		f->size = mt->size;
		f->kind = KIND_NUM;
		f->min = 0;
		f->max = mt->size == 8 ? ~0ULL : (1ULL << (8 * mt->size)) - 1;
		for (int s = 0; s < nr_field_specs; s++) {
			if (strcmp(field_specs[s].type, fs->type) != 0 || strcmp(field_specs[s].name, name) != 0)
				continue;
			f->kind = field_specs[s].kind;
			f->min = field_specs[s].min;
			if (field_specs[s].max < f->max)
				f->max = field_specs[s].max;
			f->help = field_specs[s].help;
		}
	}
	return 0;
}

const struct field *field_find(const struct fields *fs, const char *name)
{
	for (int i = 0; i < fs->nr; i++)
		if (!strcmp(fs->f[i].name, name))
			return &fs->f[i];
	return NULL;
}

unsigned long long field_get(const struct field *f, const void *data)
{
	const unsigned char *p = (const unsigned char *)data + f->off;
	__u8 v8;
	__u16 v16;
	__u32 v32;
	__u64 v64;

	switch (f->size) {
	case 1: memcpy(&v8, p, 1); return v8;
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

void field_put(const struct field *f, void *data, unsigned long long v)
{
	unsigned char *p = (unsigned char *)data + f->off;
	__u8 v8 = v;
	__u16 v16 = v;
	__u32 v32 = v;
	__u64 v64 = v;

	switch (f->size) {
	case 1: memcpy(p, &v8, 1); break;
	case 2: memcpy(p, &v16, 2); break;
	case 4: memcpy(p, &v32, 4); break;
	default: memcpy(p, &v64, 8); break;
	}
}

void fields_format(const struct fields *fs, const void *data, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (int i = 0; i < fs->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s=%llu", i ? " " : "", fs->f[i].name,
			      field_get(&fs->f[i], data));
}

void fields_names(const struct fields *fs, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (int i = 0; i < fs->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", fs->f[i].name);
}

static const char *kind_hint(const struct field *f, char *buf, size_t len)
{
	switch (f->kind) {
	case KIND_BOOL:
		return "0/1, on/off";
	case KIND_BYTES:
		snprintf(buf, len, "%llu..%llu bytes, K/M/G suffixes", f->min, f->max);
		return buf;
	default:
		snprintf(buf, len, "%llu..%llu", f->min, f->max);
		return buf;
	}
}

int fields_set(const struct fields *fs, void *data, const char *kv, char *err, size_t errlen)
{
	char key[NAME_LEN], hint[96];
	const struct field *f;
	unsigned long long v;
	const char *val;
	int e;

	if (split_kv(kv, key, sizeof(key), &val))
		return err_line(err, errlen, "'%s' is not KEY=VALUE", kv);
	f = field_find(fs, key);
	if (!f) {
		char names[512];

		if (!fs->nr)
			return err_line(err, errlen, "unknown tunable '%s': the policy has no tunables", key);
		fields_names(fs, names, sizeof(names));
		return err_line(err, errlen, "unknown tunable '%s' (tunables: %s)", key, names);
	}
	e = parse_value(val, f->kind, f->min, f->max, &v);
	if (e == -ERANGE)
		return err_line(err, errlen, "%s: '%s' out of range (%s)", key, val,
				kind_hint(f, hint, sizeof(hint)));
	if (e)
		return err_line(err, errlen, "%s: malformed value '%s' (%s)", key, val,
				kind_hint(f, hint, sizeof(hint)));
	field_put(f, data, v);
	return 0;
}
