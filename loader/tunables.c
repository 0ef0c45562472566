// SPDX-License-Identifier: GPL-2.0
/*
 * A policy's tunables and counters, described by its BTF: the members of
 * the struct behind ".data.tunables" / "cgroup_tunables" and behind
 * "counters" (see bpf/migctl.bpf.h). migctl learns their names, offsets
 * and sizes here, so it tunes a third-party policy that follows the
 * convention as well as a built-in one; how a member is parsed, its range
 * and one line of help come from its declaration tags.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <bpf/btf.h>

#include "migctl.h"

static int err_line(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Apply the "migctl:" declaration tags of member idx of struct struct_id
 * to f (bpf/migctl.bpf.h): "bytes", "bool", "range=LO..HI", "help=TEXT".
 * Other tags are not migctl's and are left alone.
 */
static int field_tags(const struct btf *btf, int struct_id, int idx, const char *type,
		      struct field *f, char *err, size_t errlen)
{
	const unsigned long long type_max = f->max;
	int n = btf__type_cnt(btf);

	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tag, *dots;
		char lo[32], hi[32];
		unsigned long long vlo, vhi;

		if (!btf_is_decl_tag(t) || (int)t->type != struct_id ||
		    btf_decl_tag(t)->component_idx != idx)
			continue;
		tag = btf__name_by_offset(btf, t->name_off);
		if (strncmp(tag, "migctl:", 7) != 0)
			continue;
		tag += 7;
		if (!strcmp(tag, "bytes")) {
			f->kind = KIND_BYTES;
		} else if (!strcmp(tag, "bool")) {
			f->kind = KIND_BOOL;
			f->max = 1;
		} else if (!strncmp(tag, "help=", 5)) {
			snprintf(f->help, sizeof(f->help), "%s", tag + 5);
		} else if (!strncmp(tag, "range=", 6) && (dots = strstr(tag + 6, "..")) &&
			   (size_t)(dots - tag - 6) < sizeof(lo) && strlen(dots + 2) < sizeof(hi)) {
			snprintf(lo, sizeof(lo), "%.*s", (int)(dots - tag - 6), tag + 6);
			snprintf(hi, sizeof(hi), "%s", dots + 2);
			if (parse_value(lo, KIND_BYTES, 0, type_max, &vlo) ||
			    parse_value(hi, KIND_BYTES, 0, type_max, &vhi) || vlo > vhi)
				return err_line(err, errlen, "%s.%s: bad range '%s' (within 0..%llu)",
						type, f->name, tag + 6, type_max);
			f->min = vlo;
			f->max = vhi;
		} else {
			return err_line(err, errlen, "%s.%s: unknown tag 'migctl:%s'", type, f->name, tag);
		}
	}
	return 0;
}

int fields_from_btf(const struct btf *btf, unsigned int type_id, struct fields *fs,
		    char *err, size_t errlen)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;
	int struct_id;

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
	struct_id = btf__resolve_type(btf, type_id);
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
		if (field_tags(btf, struct_id, i, fs->type, f, err, errlen))
			return -EINVAL;
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
