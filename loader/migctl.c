// SPDX-License-Identifier: GPL-2.0
/*
 * migctl: attach, tune, replace and detach the BPF policies that decide
 * which migrating folios a migrator (a DMA engine) copies.
 *
 * The policy is a struct_ops link pinned under /sys/fs/bpf/migrator/ with
 * its maps, so it stays after migctl exits; every later migctl finds it
 * there. Built-in policies are embedded as skeletons (policies.c); a
 * third-party FILE.bpf.o is attached the same way. See README.md.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json_writer.h"
#include "migctl.h"

#define MD		"/sys/kernel/mm/migrate_dma"
#define PIN_LINK	PIN_DIR "/link"
#define PIN_TUNABLES	PIN_DIR "/tunables"
#define PIN_CGROUPS	PIN_DIR "/cgroup_tunables"
#define PIN_COUNTERS	PIN_DIR "/counters"
#define DMA_DIR		"/sys/kernel/mm/migrate_dma/dma_migrator"
#define DMA_CHANS	DMA_DIR "/channels"
#define DMA_STATE	DMA_DIR "/state"
#define DMA_RETIRED	DMA_DIR "/retired"
#define DMA_SHARED	DMA_DIR "/shared"

static bool verbose;
static volatile sig_atomic_t exiting;
/* "FILE:LINE: " while 'migctl apply' checks a line: error() names it. */
static char err_where[4200];

/*
 * libbpf's messages: on stderr with -v; always kept, the last LOG_KEEP
 * bytes of them, so that a refused load can say why in one line.
 */
#define LOG_KEEP	65536
static char bpf_log[LOG_KEEP];
static size_t bpf_log_len;

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char buf[4096];
	size_t n;
	va_list copy;

	(void)level;
	va_copy(copy, args);
	vsnprintf(buf, sizeof(buf), fmt, copy);
	va_end(copy);
	n = strlen(buf);
	if (bpf_log_len + n >= sizeof(bpf_log)) {
		/* Keep the newer half. */
		memmove(bpf_log, bpf_log + sizeof(bpf_log) / 2, bpf_log_len - sizeof(bpf_log) / 2);
		bpf_log_len -= sizeof(bpf_log) / 2;
	}
	if (n < sizeof(bpf_log) / 2) {
		memcpy(bpf_log + bpf_log_len, buf, n + 1);
		bpf_log_len += n;
	}
	return verbose ? fputs(buf, stderr) : 0;
}

/*
 * Why libbpf could not load a policy, from its messages: the verifier's
 * verdict (the last line of its log before its statistics) and the
 * program it refused; or, without a log, libbpf's last line.
 */
static void load_failure(char *buf, size_t len)
{
	const char *begin = NULL, *end = NULL, *prog = NULL, *p, *line, *last = NULL;

	buf[0] = 0;
	for (p = bpf_log; (p = strstr(p, "-- BEGIN PROG LOAD LOG --")); p++)
		begin = p;
	if (begin)
		end = strstr(begin, "-- END PROG LOAD LOG --");
	if (begin && end) {
		char name[128] = "";

		for (p = begin; p > bpf_log && p[-1] != '\n'; p--)
			;
		prog = strstr(p, "prog '");
		if (prog && prog < begin)
			sscanf(prog, "prog '%127[^']'", name);
		for (line = strchr(begin, '\n'); line && line < end; line = strchr(line, '\n')) {
			line++;
			if (line >= end || !strncmp(line, "processed ", 10) ||
			    !strncmp(line, "verification time", 17) ||
			    !strncmp(line, "stack depth", 11) || line[0] == '\n')
				continue;
			last = line;
		}
		if (last) {
			int n = strcspn(last, "\n");

			snprintf(buf, len, "the verifier refused %s%s%s: %.*s", name[0] ? "program '" : "",
				 name, name[0] ? "'" : "it", n, last);
			return;
		}
	}
	/* No verifier log: libbpf's last message says what went wrong. */
	last = NULL;
	for (line = bpf_log; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, "libbpf: ", 8))
			last = line;
	if (last)
		snprintf(buf, len, "%.*s", (int)strcspn(last + 8, "\n"), last + 8);
}

static void sigint_handler(int sig)
{
	(void)sig;
	exiting = 1;
}

/* The one error line, then exit status 1 through the caller. */
__attribute__((format(printf, 1, 2)))
static int error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "migctl: %s", err_where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* A JSON array of the space-separated words of @words (which it cuts up). */
static void jsonw_words(json_writer_t *jw, char *words)
{
	char *save = NULL;

	jsonw_start_array(jw);
	for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
		jsonw_string(jw, w);
	jsonw_end_array(jw);
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = -EIO;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = 0;
	return err;
}

static unsigned long long read_ull(const char *path)
{
	char buf[64];

	if (read_line(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 10);
}

/* The name in /sys/kernel/mm/migrate_dma/policy: "none" or the policy's. */
static void attached_policy(char *buf, size_t len)
{
	if (read_line(MD "/policy", buf, len))
		snprintf(buf, len, "none");
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- the environment ------------------------------------------------------ */

static int check_env(bool need_bpffs)
{
	struct statfs sfs;

	if (geteuid() != 0)
		return error("must be run as root (attaching and reading BPF policies needs CAP_BPF and CAP_SYS_ADMIN)");
	if (!exists(MD))
		return error("kernel without the migrate_dma patch series (" MD " missing)");
	if (!exists(MD "/policy"))
		return error("kernel without BPF migration policies (CONFIG_DMA_MIGRATION_BPF; " MD "/policy missing)");
	if (!exists("/sys/kernel/btf/vmlinux"))
		return error("kernel without BTF (CONFIG_DEBUG_INFO_BTF; /sys/kernel/btf/vmlinux missing)");
	if (!need_bpffs)
		return 0;
	if (statfs(BPFFS, &sfs) == 0 && sfs.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", BPFFS, "bpf", 0, "mode=0700"))
		return error("bpffs is not mounted on " BPFFS " and mounting it failed: %s "
			     "(mount -t bpf bpf " BPFFS ")", strerror(errno));
	fprintf(stderr, "migctl: mounted bpffs on " BPFFS "\n");
	return 0;
}

/* ---- a policy object: built-in skeleton or FILE.bpf.o ----------------------- */

/* The tunables of one cgroup, as 'migctl apply' computes them. */
struct cg_value {
	unsigned long long id;
	const char *path;		/* as the configuration names it */
	int line;
	int parent;			/* the nearest rule above it, or -1 */
	bool missing;			/* no such cgroup: not applied */
	unsigned char val[256];
};

struct policy {
	const char *name;		/* for messages */
	const struct builtin *builtin;	/* or NULL: a FILE.bpf.o */
	const void *bytes;		/* the object file, as opened */
	size_t size;
	void *file_bytes;		/* bytes, when read from a file */
	struct bpf_object *obj;
	struct bpf_map *st_map;		/* the struct_ops map of the policy type */
	struct bpf_map *tun_map;	/* .data.tunables, or NULL */
	struct bpf_map *cg_map;		/* cgroup_tunables, or NULL */
	struct bpf_map *cnt_map;	/* counters, or NULL */
	struct fields tun, cnt;
	void *tun_data;			/* the tunables' initial value */
	char summary[160];		/* MIGCTL_SUMMARY(), or "" */
	struct cg_value *cgv;		/* per-cgroup values to write before attaching */
	int ncgv;
};

static void policy_close(struct policy *p)
{
	bpf_object__close(p->obj);
	free(p->file_bytes);
	free(p->cgv);
	memset(p, 0, sizeof(*p));
}

/* A whole file in a malloc()ed buffer; NULL with errno set. */
static void *read_file(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	do {
		if (len == cap) {
			unsigned char *nbuf = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nbuf) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*size = len;
	return buf;
}

static bool is_migrator_struct_ops(const struct bpf_object *obj, const struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;

	if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || !btf)
		return false;
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	return t && !strcmp(btf__name_by_offset(btf, t->name_off), "migrate_dma_policy_ops");
}

/* MIGCTL_SUMMARY(): the string migctl_summary in the object's .rodata. */
static void policy_summary(struct policy *p, const struct btf *btf)
{
	struct bpf_map *map = bpf_object__find_map_by_name(p->obj, ".rodata");
	int id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	const char *data;
	size_t size;

	p->summary[0] = 0;
	if (!map || id <= 0)
		return;
	data = bpf_map__initial_value(map, &size);
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; data && i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (!var || strcmp(btf__name_by_offset(btf, var->name_off), "migctl_summary") != 0 ||
		    vs->offset + vs->size > size)
			continue;
		snprintf(p->summary, sizeof(p->summary), "%.*s", (int)vs->size, data + vs->offset);
	}
}

/* Open (not load) the policy named by arg; 0, or 1 after the error line. */
static int policy_open(const char *arg, struct policy *p)
{
	char err[256], names[256] = "";
	const struct btf *btf;
	struct bpf_map *map;
	int n = 0;

	memset(p, 0, sizeof(*p));
	p->name = arg;
	p->builtin = builtin_find(arg);
	if (p->builtin) {
		p->obj = builtin_open(p->builtin, &p->bytes, &p->size);
		if (!p->obj)
			return error("%s: cannot open the built-in policy: %s", arg, strerror(errno));
	} else if (strchr(arg, '/') || strstr(arg, ".o")) {
		char objname[64], *dot;
		LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = objname);

		p->bytes = p->file_bytes = read_file(arg, &p->size);
		if (!p->bytes)
			return error("%s: %s", arg, errno == ENOENT ? "no such file" : strerror(errno));
		/* Named as bpf_object__open_file() would: the file's name. */
		snprintf(objname, sizeof(objname), "%s", strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg);
		dot = strchr(objname, '.');
		if (dot && dot != objname)
			*dot = 0;
		p->obj = bpf_object__open_mem(p->bytes, p->size, &opts);
		if (!p->obj) {
			char msg[128];

			libbpf_strerror(errno, msg, sizeof(msg));
			return error("%s: not a BPF object file (%s)", arg, msg);
		}
	} else {
		for (int i = 0; i < nr_builtins; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", builtins[i].name);
		return error("unknown policy '%s' (built-in: %s; or a FILE.bpf.o)", arg, names);
	}

	bpf_object__for_each_map(map, p->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (!is_migrator_struct_ops(p->obj, map))
			return error("%s: not a migrator policy (struct_ops '%s' is not of type struct migrate_dma_policy_ops)",
				     arg, bpf_map__name(map));
		p->st_map = map;
		n++;
	}
	if (!n)
		return error("%s: not a migrator policy (no struct_ops of type struct migrate_dma_policy_ops)", arg);
	if (n > 1)
		return error("%s: more than one migrate_dma_policy_ops struct_ops in one object", arg);
	if (!(bpf_map__map_flags(p->st_map) & BPF_F_LINK))
		return error("%s: the policy is in SEC(\".struct_ops\"); migctl pins and replaces "
			     "links: use SEC(\".struct_ops.link\") (MIGRATOR_POLICY() does)", arg);

	btf = bpf_object__btf(p->obj);
	policy_summary(p, btf);
	p->tun_map = bpf_object__find_map_by_name(p->obj, ".data.tunables");
	if (p->tun_map) {
		int id;
		size_t sz;

		id = btf__find_by_name_kind(btf, ".data.tunables", BTF_KIND_DATASEC);
		if (id <= 0 || fields_from_btf(btf, id, &p->tun, err, sizeof(err)))
			return error("%s: bad tunables: %s", arg, id <= 0 ? "no BTF" : err);
		p->tun_data = bpf_map__initial_value(p->tun_map, &sz);
		if (!p->tun_data || sz < p->tun.size)
			return error("%s: bad tunables: no initial value", arg);
	}
	p->cg_map = bpf_object__find_map_by_name(p->obj, "cgroup_tunables");
	if (p->cg_map && (!p->tun_map || bpf_map__type(p->cg_map) != BPF_MAP_TYPE_HASH ||
			  bpf_map__key_size(p->cg_map) != 8 ||
			  bpf_map__value_size(p->cg_map) != p->tun.size))
		return error("%s: cgroup_tunables must be a hash from __u64 to the tunables' struct", arg);
	p->cnt_map = bpf_object__find_map_by_name(p->obj, "counters");
	if (p->cnt_map) {
		if (bpf_map__type(p->cnt_map) != BPF_MAP_TYPE_PERCPU_ARRAY ||
		    fields_from_btf(btf, bpf_map__btf_value_type_id(p->cnt_map), &p->cnt,
				    err, sizeof(err)))
			return error("%s: counters must be a per-CPU array of a struct of __u64: %s",
				     arg, err);
	}
	return 0;
}

static int policy_set(struct policy *p, const struct cmd *cmd)
{
	char err[512];

	for (int i = 0; i < cmd->nkv; i++) {
		if (!p->tun_map)
			return error("%s: --set %s: the policy has no tunables", p->name, cmd->kv[i]);
		if (fields_set(&p->tun, p->tun_data, cmd->kv[i], err, sizeof(err)))
			return error("%s: %s", p->name, err);
	}
	return 0;
}

/* ---- pins ------------------------------------------------------------------- */

static void unpin_maps(void)
{
	unlink(PIN_TUNABLES);
	unlink(PIN_CGROUPS);
	unlink(PIN_COUNTERS);
}

static int pin_maps(const struct policy *p)
{
	int err = 0;

	if (p->tun_map)
		err = bpf_map__pin(p->tun_map, PIN_TUNABLES);
	if (!err && p->cg_map)
		err = bpf_map__pin(p->cg_map, PIN_CGROUPS);
	if (!err && p->cnt_map)
		err = bpf_map__pin(p->cnt_map, PIN_COUNTERS);
	return err;
}

/* ---- list ------------------------------------------------------------------- */

static void list_one(const struct policy *p, json_writer_t *jw, bool details)
{
	const char *summary = p->summary[0] ? p->summary : NULL;
	char buf[1024] = "-";

	if (jw) {
		jsonw_start_object(jw);
		jsonw_string_field(jw, "name", p->name);
		if (summary)
			jsonw_string_field(jw, "summary", summary);
		jsonw_name(jw, "tunables");
		jsonw_start_array(jw);
		for (int i = 0; p->tun_map && i < p->tun.nr; i++) {
			const struct field *f = &p->tun.f[i];

			jsonw_start_object(jw);
			jsonw_string_field(jw, "name", f->name);
			jsonw_uint_field(jw, "default", field_get(f, p->tun_data));
			jsonw_uint_field(jw, "min", f->min);
			jsonw_uint_field(jw, "max", f->max);
			if (f->help[0])
				jsonw_string_field(jw, "help", f->help);
			jsonw_end_object(jw);
		}
		jsonw_end_array(jw);
		jsonw_bool_field(jw, "per_cgroup", p->cg_map != NULL);
		jsonw_name(jw, "counters");
		jsonw_start_array(jw);
		for (int i = 0; p->cnt_map && i < p->cnt.nr; i++)
			jsonw_string(jw, p->cnt.f[i].name);
		jsonw_end_array(jw);
		jsonw_end_object(jw);
		return;
	}
	if (p->tun_map)
		fields_format(&p->tun, p->tun_data, buf, sizeof(buf));
	if (!details) {
		printf("%-9s %-55s %s\n", p->name, summary ? summary : "", buf);
		return;
	}
	printf("%s%s%s\n", p->name, summary ? ": " : "", summary ? summary : "");
	if (!p->tun_map)
		printf("  no tunables\n");
	for (int i = 0; p->tun_map && i < p->tun.nr; i++) {
		const struct field *f = &p->tun.f[i];
		char range[64];

		snprintf(range, sizeof(range), "%s", f->kind == KIND_BOOL ? "0/1" : "");
		if (f->kind != KIND_BOOL)
			snprintf(range, sizeof(range), "%llu..%llu%s", f->min, f->max,
				 f->kind == KIND_BYTES ? " bytes" : "");
		snprintf(buf, sizeof(buf), "%s=%llu", f->name, field_get(f, p->tun_data));
		printf("  %-22s %-20s %s\n", buf, range, f->help);
	}
	printf("  per-cgroup tunables: %s\n", p->cg_map ? "yes" : "no");
	if (p->cnt_map) {
		fields_names(&p->cnt, buf, sizeof(buf));
		printf("  counters: %s\n", buf);
	}
}

int do_list(const struct cmd *cmd)
{
	json_writer_t *jw = cmd->json ? jsonw_new(stdout) : NULL;
	struct policy p;
	int rc = 0;

	if (cmd->policy) {
		rc = policy_open(cmd->policy, &p);
		if (!rc)
			list_one(&p, jw, true);
		policy_close(&p);
	} else {
		if (jw)
			jsonw_start_array(jw);
		for (int i = 0; i < nr_builtins && !rc; i++) {
			rc = policy_open(builtins[i].name, &p);
			if (!rc)
				list_one(&p, jw, false);
			policy_close(&p);
		}
		if (jw)
			jsonw_end_array(jw);
	}
	if (jw)
		jsonw_destroy(&jw);
	return rc;
}

/* ---- attach, replace, detach --------------------------------------------------- */

/*
 * What the pinned link runs, recorded by migctl under RUN_DIR: the policy
 * as named to migctl (a built-in name or a FILE.bpf.o's absolute path),
 * the struct_ops map it was attached with, and a copy of the object. It is
 * how 'migctl apply' knows the attached policy is the one asked for (same
 * map still attached, same bytes) and what 'show --config' names it. A
 * tmpfs, like bpffs: both start empty at boot.
 */
#define RUN_DIR		"/run/migctl"
#define RUN_SOURCE	RUN_DIR "/source"
#define RUN_OBJ		RUN_DIR "/policy.bpf.o"

/* The struct_ops map the pinned link runs, or 0. */
static __u32 link_map_id(void)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(PIN_LINK);

	if (fd < 0)
		return 0;
	if (bpf_link_get_info_by_fd(fd, &info, &len) || info.type != BPF_LINK_TYPE_STRUCT_OPS)
		info.struct_ops.map_id = 0;
	close(fd);
	return info.struct_ops.map_id;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	char tmp[256];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return -errno;
	ok = fwrite(buf, 1, len, f) == len;
	ok = !fclose(f) && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

static void record_remove(void)
{
	unlink(RUN_SOURCE);
	unlink(RUN_OBJ);
	rmdir(RUN_DIR);
}

/* After p was attached or swapped in: a warning only if it cannot be recorded. */
static void record_write(const struct policy *p, const char *source)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char line[4200];
	int err;

	record_remove();
	if (bpf_map_get_info_by_fd(bpf_map__fd(p->st_map), &info, &len))
		return;
	snprintf(line, sizeof(line), "%u %s\n", info.id, source);
	err = mkdir(RUN_DIR, 0700) && errno != EEXIST ? -errno : 0;
	err = err ?: write_file(RUN_OBJ, p->bytes, p->size);
	err = err ?: write_file(RUN_SOURCE, line, strlen(line));
	if (err) {
		fprintf(stderr, "migctl: warning: cannot record the policy under %s (%s): "
			"'migctl apply' will replace it even if unchanged\n", RUN_DIR, strerror(-err));
		record_remove();
	}
}

/* The recorded source of the attached policy; false if none or stale. */
static bool record_read(char *source, size_t len)
{
	char line[4200], *sp;
	__u32 id = link_map_id();

	if (!id || read_line(RUN_SOURCE, line, sizeof(line)))
		return false;
	sp = strchr(line, ' ');
	if (!sp || strtoul(line, NULL, 10) != id || !sp[1])
		return false;
	snprintf(source, len, "%s", sp + 1);
	return true;
}

/* Is p, as opened, the policy the pinned link runs? */
static bool record_matches(const struct policy *p)
{
	char source[4096];
	void *bytes;
	size_t size;
	bool same;

	if (!record_read(source, sizeof(source)))
		return false;
	bytes = read_file(RUN_OBJ, &size);
	same = bytes && p->bytes && size == p->size && !memcmp(bytes, p->bytes, size);
	free(bytes);
	return same;
}

/* How a policy is named in the record: FILE.bpf.o's absolute path. */
static void policy_source(const struct policy *p, char *buf, size_t len)
{
	char *abs = p->builtin ? NULL : realpath(p->name, NULL);

	snprintf(buf, len, "%s", abs ? abs : p->name);
	free(abs);
}

/* Load p (its tunables set) and write its per-cgroup values. */
static int policy_load(struct policy *p)
{
	int err;

	bpf_log_len = 0;
	bpf_log[0] = 0;
	err = bpf_object__load(p->obj);
	if (err) {
		char why[512];

		load_failure(why, sizeof(why));
		/* ENOTSUPP (524), kernel-internal: a member or kfunc this kernel lacks. */
		return error("%s: loading the policy failed: %s%s%s", p->name,
			     why[0] ? why : err == -524 ? "not supported by this kernel"
						: strerror(-err),
			     err == -524 && why[0] ? " (not supported by this kernel)" : "",
			     verbose ? "" : " (migctl -v shows the whole log)");
	}
	for (int i = 0; i < p->ncgv; i++) {
		if (bpf_map_update_elem(bpf_map__fd(p->cg_map), &p->cgv[i].id, p->cgv[i].val,
					BPF_ANY))
			return error("%s: writing the tunables of cgroup %s: %s", p->name,
				     p->cgv[i].path, strerror(errno));
	}
	return 0;
}

/* Load p and attach it, no policy being attached; pin it and record it. */
static int attach_policy(struct policy *p)
{
	char cur[64], source[4096];
	struct bpf_link *link;
	int rc, err;

	rc = check_env(true);
	if (rc)
		return rc;
	attached_policy(cur, sizeof(cur));
	if (strcmp(cur, "none") != 0)
		return error("a policy is already attached (%s); use 'migctl replace' or 'migctl detach'",
			     cur);
	if (exists(PIN_LINK)) {
		/* A link detached behind migctl's back: stale pins. */
		unlink(PIN_LINK);
		unpin_maps();
	}
	rc = policy_load(p);
	if (rc)
		return rc;

	link = bpf_map__attach_struct_ops(p->st_map);
	if (!link) {
		err = errno;
		return err == EBUSY ? error("another policy was attached meanwhile (EBUSY)")
				    : error("%s: attach failed: %s", p->name, strerror(err));
	}
	if (mkdir(PIN_DIR, 0700) && errno != EEXIST) {
		rc = error("mkdir %s: %s", PIN_DIR, strerror(errno));
		goto undo;
	}
	err = bpf_link__pin(link, PIN_LINK);
	err = err ?: pin_maps(p);
	if (err) {
		rc = error("pinning under %s failed: %s", PIN_DIR, strerror(-err));
		goto undo;
	}
	policy_source(p, source, sizeof(source));
	record_write(p, source);
	/* Closes our fd only: the pin keeps the link attached. */
	bpf_link__destroy(link);
	return 0;
undo:
	bpf_link_detach(bpf_link__fd(link));
	bpf_link__destroy(link);
	unlink(PIN_LINK);
	unpin_maps();
	rmdir(PIN_DIR);
	return rc;
}

/*
 * Load p and swap it for the policy migctl attached, with no moment
 * without a policy: the kernel's link update unregisters the old one and
 * registers p under its lock, and returns once the old one is no longer
 * called. Then pin p's maps in place of the old one's and record it.
 *
 * libbpf has no call that only writes a struct_ops map's value (the
 * programs): bpf_map__attach_struct_ops() writes it and then attaches.
 * The attach fails with EBUSY, the old policy being attached, but the
 * value is written, which is all bpf_link_update() needs.
 */
static int replace_policy(struct policy *p)
{
	char cur[64], source[4096];
	struct bpf_link *link;
	int rc, err, old_fd;

	rc = check_env(true);
	if (rc)
		return rc;
	attached_policy(cur, sizeof(cur));
	if (!strcmp(cur, "none"))
		return error("no policy is attached; use 'migctl attach'");
	old_fd = bpf_obj_get(PIN_LINK);
	if (old_fd < 0)
		return error("policy '%s' was not attached by migctl (no %s)", cur, PIN_LINK);
	rc = policy_load(p);
	if (rc)
		goto out;

	link = bpf_map__attach_struct_ops(p->st_map);
	if (link) {
		bpf_link__destroy(link);
		rc = error("the attached policy went away meanwhile; nothing replaced");
		goto out;
	}
	if (errno != EBUSY) {
		rc = error("%s: preparing the policy failed: %s", p->name, strerror(errno));
		goto out;
	}
	if (bpf_link_update(old_fd, bpf_map__fd(p->st_map), NULL)) {
		rc = error("%s: replacing '%s' failed: %s", p->name, cur, strerror(errno));
		goto out;
	}
	unpin_maps();
	err = pin_maps(p);
	if (err)
		rc = error("%s replaced %s, but pinning its maps failed: %s", p->name, cur,
			   strerror(-err));
	policy_source(p, source, sizeof(source));
	record_write(p, source);
out:
	close(old_fd);
	return rc;
}

/* The policy of the command line, its tunables set, to attach or replace. */
static int with_policy(const struct cmd *cmd, int (*install)(struct policy *p))
{
	struct policy p;
	int rc;

	rc = policy_open(cmd->policy, &p);
	rc = rc ?: policy_set(&p, cmd);
	rc = rc ?: install(&p);
	policy_close(&p);
	return rc;
}

int do_attach(const struct cmd *cmd)
{
	return with_policy(cmd, attach_policy);
}

int do_replace(const struct cmd *cmd)
{
	return with_policy(cmd, replace_policy);
}

int do_detach(const struct cmd *cmd)
{
	char cur[64];
	int fd, rc;

	(void)cmd;
	rc = check_env(true);
	if (rc)
		return rc;
	attached_policy(cur, sizeof(cur));
	fd = bpf_obj_get(PIN_LINK);
	if (fd < 0) {
		if (strcmp(cur, "none") != 0)
			return error("policy '%s' was not attached by migctl (no %s); remove its bpffs pin to detach it",
				     cur, PIN_LINK);
		return error("no policy is attached");
	}
	/* Detaching the link unregisters the policy and waits for its callers. */
	if (bpf_link_detach(fd) && errno != ENOLINK) {
		rc = error("detaching '%s' failed: %s", cur, strerror(errno));
		close(fd);
		return rc;
	}
	close(fd);
	unlink(PIN_LINK);
	unpin_maps();
	rmdir(PIN_DIR);
	record_remove();
	attached_policy(cur, sizeof(cur));
	if (strcmp(cur, "none") != 0)
		return error("detached, but " MD "/policy still says '%s'", cur);
	return 0;
}

/* ---- pinned maps: tunables, counters ------------------------------------------ */

struct pinned {
	int fd;
	struct bpf_map_info info;
	struct fields fs;
};

/* Open a pinned map of the attached policy and describe its value. */
static int pinned_open(const char *path, struct pinned *pm, char *err, size_t errlen)
{
	__u32 len = sizeof(pm->info);
	struct btf *btf;
	int e;

	memset(pm, 0, sizeof(*pm));
	pm->fd = bpf_obj_get(path);
	if (pm->fd < 0)
		return -errno;
	if (bpf_map_get_info_by_fd(pm->fd, &pm->info, &len) || !pm->info.btf_id) {
		snprintf(err, errlen, "%s: no BTF", path);
		close(pm->fd);
		return -EINVAL;
	}
	btf = btf__load_from_kernel_by_id(pm->info.btf_id);
	if (!btf) {
		snprintf(err, errlen, "%s: cannot load its BTF: %s", path, strerror(errno));
		close(pm->fd);
		return -EINVAL;
	}
	e = fields_from_btf(btf, pm->info.btf_value_type_id, &pm->fs, err, errlen);
	btf__free(btf);
	if (e)
		close(pm->fd);
	return e;
}

/* The per-CPU counters, summed: sums[i] for pm->fs.f[i]. */
static int counters_read(const struct pinned *pm, unsigned long long *sums)
{
	int ncpus = libbpf_num_possible_cpus();
	size_t stride = (pm->info.value_size + 7) & ~7UL;
	unsigned char *buf;
	__u32 zero = 0;

	memset(sums, 0, sizeof(*sums) * pm->fs.nr);
	if (ncpus <= 0 || !stride)
		return -EINVAL;
	buf = calloc(ncpus, stride);
	if (!buf)
		return -ENOMEM;
	if (bpf_map_lookup_elem(pm->fd, &zero, buf)) {
		free(buf);
		return -errno;
	}
	for (int c = 0; c < ncpus; c++)
		for (int i = 0; i < pm->fs.nr; i++)
			sums[i] += field_get(&pm->fs.f[i], buf + c * stride);
	free(buf);
	return 0;
}

struct cgroup_find {
	unsigned long long id;
	char path[4096];
};
static struct cgroup_find *cg_find;

static int cgroup_walk(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && st->st_ino == cg_find->id) {
		snprintf(cg_find->path, sizeof(cg_find->path), "%s", path);
		return 1;
	}
	return 0;
}

/* The path of the cgroup with this id, or "" if none. */
static void cgroup_path(unsigned long long id, char *buf, size_t len)
{
	struct cgroup_find f = { .id = id };

	cg_find = &f;
	buf[0] = 0;
	if (nftw(CGROUP_ROOT, cgroup_walk, 16, FTW_PHYS | FTW_MOUNT) == 1)
		snprintf(buf, len, "%s", f.path);
	cg_find = NULL;
}

/* Is directory a strictly below directory b? */
static bool path_below(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && a[n] == '/';
}

/* A memory cgroup directory: its id (the inode number) and its path. */
static int cgroup_resolve(const char *arg, unsigned long long *id, char *path, size_t len)
{
	char ctl[4200], controllers[512] = "";
	struct statfs sfs;
	struct stat st;

	if (arg[0] == '/')
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, CGROUP_ROOT "/%s", arg);
	if (stat(path, &st))
		return error("cgroup '%s' does not exist (%s: %s)", arg, path, strerror(errno));
	if (!S_ISDIR(st.st_mode) || statfs(path, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return error("'%s' is not a cgroup v2 directory", arg);
	snprintf(ctl, sizeof(ctl), "%s/cgroup.controllers", path);
	read_line(ctl, controllers, sizeof(controllers));
	snprintf(ctl, sizeof(ctl), " %s ", controllers);
	if (!strstr(ctl, " memory "))
		return error("cgroup '%s' has no memory controller (its folios are charged to "
			     "an ancestor): enable it with +memory in its parent's cgroup.subtree_control", arg);
	*id = st.st_ino;
	return 0;
}

/* ---- tune --------------------------------------------------------------------- */

int do_tune(const struct cmd *cmd)
{
	char cur[64], err[512], path[4096];
	unsigned long long cgid = 0;
	struct pinned tun;
	int rc, cg_fd = -1;
	unsigned char *buf = NULL;
	__u32 zero = 0;

	rc = check_env(true);
	if (rc)
		return rc;
	attached_policy(cur, sizeof(cur));
	if (!exists(PIN_LINK)) {
		if (strcmp(cur, "none") != 0)
			return error("policy '%s' was not attached by migctl (no %s)", cur, PIN_LINK);
		return error("no policy is attached");
	}
	rc = pinned_open(PIN_TUNABLES, &tun, err, sizeof(err));
	if (rc == -ENOENT)
		return error("policy '%s' has no tunables", cur);
	if (rc)
		return error("%s", err);
	if (cmd->cgroup) {
		rc = cgroup_resolve(cmd->cgroup, &cgid, path, sizeof(path));
		if (rc)
			goto out;
		cg_fd = bpf_obj_get(PIN_CGROUPS);
		if (cg_fd < 0) {
			rc = error("policy '%s' has no per-cgroup tunables", cur);
			goto out;
		}
	}
	buf = calloc(1, tun.info.value_size > tun.fs.size ? tun.info.value_size : tun.fs.size ?: 1);
	if (!buf) {
		rc = error("out of memory");
		goto out;
	}
	if (cmd->clear) {
		if (bpf_map_delete_elem(cg_fd, &cgid))
			rc = error("cgroup '%s' has no tunables of its own", cmd->cgroup);
		goto out;
	}
	/* Start from the cgroup's values, or from the global ones. */
	if (cg_fd < 0 || bpf_map_lookup_elem(cg_fd, &cgid, buf)) {
		if (bpf_map_lookup_elem(tun.fd, &zero, buf)) {
			rc = error("reading the tunables: %s", strerror(errno));
			goto out;
		}
	}
	for (int i = 0; i < cmd->nkv; i++) {
		if (fields_set(&tun.fs, buf, cmd->kv[i], err, sizeof(err))) {
			rc = error("%s: %s", cur, err);
			goto out;
		}
	}
	if (cg_fd >= 0 ? bpf_map_update_elem(cg_fd, &cgid, buf, BPF_ANY)
		       : bpf_map_update_elem(tun.fd, &zero, buf, BPF_ANY))
		rc = error("writing the tunables: %s", strerror(errno));
out:
	free(buf);
	if (cg_fd >= 0)
		close(cg_fd);
	close(tun.fd);
	return rc;
}

/* ---- status and stats ------------------------------------------------------------ */

#define MAX_STATS 32

/* The kernel's counters: the pgmigrate_dma_* events of /proc/vmstat. */
#define VMSTAT "/proc/vmstat"
#define KSTAT_PREFIX "pgmigrate_dma_"

/*
 * The batch copies by migration reason: the pgmigrate_dma_<reason>_<item>
 * events of /proc/vmstat, for the reasons the kernel counts apart (the
 * others are in the totals only).
 */
static const char *const reasons[] = { "demotion", "numa", "damon", "syscall" };
#define NR_REASONS	(sizeof(reasons) / sizeof(reasons[0]))

static const char *const reason_items[] = {
	"offloaded_folios", "offloaded_bytes", "cpu_folios", "cpu_bytes",
	"fallback_folios", "fallback_bytes",
};

enum { RS_OFFLOADED_FOLIOS, RS_OFFLOADED_BYTES, RS_CPU_FOLIOS, RS_CPU_BYTES,
       RS_FALLBACK_FOLIOS, RS_FALLBACK_BYTES, NR_RS };

struct rstats {
	bool have;	/* the kernel counts by reason */
	unsigned long long v[NR_REASONS][NR_RS];
};

/* The reason a kernel counter (named without KSTAT_PREFIX) is of, or -1. */
static int kstat_reason(const char *name)
{
	for (size_t r = 0; r < NR_REASONS; r++) {
		size_t len = strlen(reasons[r]);

		if (!strncmp(name, reasons[r], len) && name[len] == '_')
			return r;
	}
	return -1;
}

struct kstats {
	int nr;
	struct kstat_entry {
		char name[NAME_LEN];	/* without KSTAT_PREFIX */
		unsigned long long v;
	} e[MAX_STATS];
};

static int kstat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kstat_entry *)a)->name,
		      ((const struct kstat_entry *)b)->name);
}

/* A per-reason counter NAME (without KSTAT_PREFIX) into @rs; false if not one. */
static bool rstat_add(struct rstats *rs, const char *name, unsigned long long v)
{
	int r = kstat_reason(name);

	if (r < 0)
		return false;
	for (int i = 0; i < NR_RS; i++) {
		if (!strcmp(name + strlen(reasons[r]) + 1, reason_items[i])) {
			rs->v[r][i] = v;
			rs->have = true;
		}
	}
	return true;
}

/*
 * The totals sorted by name into @ks, none if the kernel has no such event;
 * the per-reason counters into @rs, or nowhere if it is NULL.
 */
static void kstats_read(struct kstats *ks, struct rstats *rs)
{
	const size_t plen = strlen(KSTAT_PREFIX);
	FILE *f = fopen(VMSTAT, "r");
	struct rstats ignored;
	int n = 0;

	if (!rs)
		rs = &ignored;
	memset(rs, 0, sizeof(*rs));
	if (f) {
		char line[256];

		while (n < MAX_STATS && fgets(line, sizeof(line), f)) {
			struct kstat_entry *e = &ks->e[n];

			if (strncmp(line, KSTAT_PREFIX, plen) ||
			    sscanf(line + plen, "%63s %llu", e->name, &e->v) != 2)
				continue;
			if (!rstat_add(rs, e->name, e->v))
				n++;
		}
		fclose(f);
	}
	ks->nr = n;
	qsort(ks->e, n, sizeof(ks->e[0]), kstat_cmp);
}

/* The kernel's counters as the JSON object "stats". */
static void jsonw_kstats(json_writer_t *jw, const struct kstats *ks)
{
	jsonw_name(jw, "stats");
	jsonw_start_object(jw);
	for (int i = 0; i < ks->nr; i++)
		jsonw_uint_field(jw, ks->e[i].name, ks->e[i].v);
	jsonw_end_object(jw);
}

static unsigned long long kstat(const struct kstats *ks, const char *name)
{
	for (int i = 0; i < ks->nr; i++)
		if (!strcmp(ks->e[i].name, name))
			return ks->e[i].v;
	return 0;
}

static unsigned long long kstat_fallbacks(const struct kstats *ks)
{
	unsigned long long sum = 0;

	for (int i = 0; i < ks->nr; i++)
		if (!strncmp(ks->e[i].name, "fallback_", 9))
			sum += ks->e[i].v;
	return sum;
}

/*
 * As the JSON object "by_reason": { reason: { folios, bytes, item: value } },
 * folios and bytes being the offloaded plus the CPU-copied.
 */
static void jsonw_rstats(json_writer_t *jw, const struct rstats *rs)
{
	jsonw_name(jw, "by_reason");
	jsonw_start_object(jw);
	for (size_t r = 0; rs->have && r < NR_REASONS; r++) {
		const unsigned long long *v = rs->v[r];

		jsonw_name(jw, reasons[r]);
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "folios", v[RS_OFFLOADED_FOLIOS] + v[RS_CPU_FOLIOS]);
		jsonw_uint_field(jw, "bytes", v[RS_OFFLOADED_BYTES] + v[RS_CPU_BYTES]);
		for (int i = 0; i < NR_RS; i++)
			jsonw_uint_field(jw, reason_items[i], v[i]);
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
}

/* One line per reason that had a batch copy. */
static void print_rstats(const struct rstats *rs)
{
	bool header = false;

	for (size_t r = 0; rs->have && r < NR_REASONS; r++) {
		const unsigned long long *v = rs->v[r];
		unsigned long long folios = v[RS_OFFLOADED_FOLIOS] + v[RS_CPU_FOLIOS];

		if (!folios)
			continue;
		if (!header) {
			printf("\n%-10s %10s %14s %10s %10s %9s\n", "by reason", "folios",
			       "bytes", "offloaded", "cpu", "fallback");
			header = true;
		}
		printf("%-10s %10llu %14llu %10llu %10llu %9llu\n", reasons[r], folios,
		       v[RS_OFFLOADED_BYTES] + v[RS_CPU_BYTES], v[RS_OFFLOADED_FOLIOS],
		       v[RS_CPU_FOLIOS], v[RS_FALLBACK_FOLIOS]);
	}
}

/* The attached policy's counters, if it has any: 1 if read, pm->fd open. */
static int policy_counters(struct pinned *pm, unsigned long long *sums)
{
	char err[256];

	if (pinned_open(PIN_COUNTERS, pm, err, sizeof(err)))
		return 0;
	if (counters_read(pm, sums)) {
		close(pm->fd);
		return 0;
	}
	return 1;
}

struct cg_entry {
	unsigned long long id;
	char path[4096];		/* "" if the cgroup is gone */
	unsigned char val[256];
};

/* The tunables of the attached policy: global and per cgroup. */
struct tunables_state {
	bool have;			/* the policy has (pinned) tunables */
	struct fields fs;
	unsigned char val[256];		/* the global values */
	bool per_cgroup;		/* it has a pinned cgroup_tunables */
	struct cg_entry *cgs;
	int ncg;
};

static void tunables_state_free(struct tunables_state *ts)
{
	free(ts->cgs);
	memset(ts, 0, sizeof(*ts));
}

/* Read the pinned tunables; cgroup paths only if paths (a walk of the tree). */
static void tunables_state_read(struct tunables_state *ts, bool paths)
{
	unsigned long long key, next;
	struct pinned tun;
	char err[256];
	__u32 zero = 0;
	bool first = true;
	int cg_fd;

	memset(ts, 0, sizeof(*ts));
	if (pinned_open(PIN_TUNABLES, &tun, err, sizeof(err)))
		return;
	if (tun.info.value_size > sizeof(ts->val) || bpf_map_lookup_elem(tun.fd, &zero, ts->val)) {
		close(tun.fd);
		return;
	}
	ts->have = true;
	ts->fs = tun.fs;
	close(tun.fd);
	cg_fd = bpf_obj_get(PIN_CGROUPS);
	ts->per_cgroup = cg_fd >= 0;
	while (cg_fd >= 0 && !bpf_map_get_next_key(cg_fd, first ? NULL : &key, &next)) {
		struct cg_entry *n = realloc(ts->cgs, sizeof(*ts->cgs) * (ts->ncg + 1));

		first = false;
		key = next;
		if (!n)
			break;
		ts->cgs = n;
		memset(&ts->cgs[ts->ncg], 0, sizeof(ts->cgs[ts->ncg]));
		ts->cgs[ts->ncg].id = key;
		if (ts->fs.size > sizeof(ts->cgs[ts->ncg].val) ||
		    bpf_map_lookup_elem(cg_fd, &key, ts->cgs[ts->ncg].val))
			continue;
		if (paths)
			cgroup_path(key, ts->cgs[ts->ncg].path, sizeof(ts->cgs[ts->ncg].path));
		ts->ncg++;
	}
	if (cg_fd >= 0)
		close(cg_fd);
}

/* A struct of values as the JSON object NAME: { member: value }. */
static void jsonw_fields(json_writer_t *jw, const char *name, const struct fields *fs,
			 const void *data)
{
	jsonw_name(jw, name);
	jsonw_start_object(jw);
	for (int i = 0; i < fs->nr; i++)
		jsonw_uint_field(jw, fs->f[i].name, field_get(&fs->f[i], data));
	jsonw_end_object(jw);
}

/* The policy's counters, summed over the CPUs, as the JSON object NAME. */
static void jsonw_counters(json_writer_t *jw, const char *name, const struct fields *fs,
			   const unsigned long long *sums)
{
	jsonw_name(jw, name);
	jsonw_start_object(jw);
	for (int i = 0; fs && i < fs->nr; i++)
		jsonw_uint_field(jw, fs->f[i].name, sums[i]);
	jsonw_end_object(jw);
}

/* Everything 'migctl status' shows, read before any of it is printed. */
struct status {
	char policy[64];
	bool pinned;			/* attached by migctl: PIN_LINK */
	struct bpf_link_info link;
	struct tunables_state ts;
	char backend[64];
	char chans[256];
	char dstate[128];		/* why the DMA backend stopped, if it did */
	char retired[256];
	char shared[256];
	unsigned long long batch_bytes;
	struct kstats ks;
	bool has_cnt;			/* the policy has (pinned) counters */
	struct fields cnt;
	unsigned long long sums[MAX_FIELDS];
};

static void line_or_empty(const char *path, char *buf, size_t len)
{
	if (read_line(path, buf, len))
		buf[0] = '\0';
}

static void status_read(struct status *st)
{
	__u32 llen = sizeof(st->link);
	struct pinned cnt;
	int link_fd;

	memset(st, 0, sizeof(*st));
	attached_policy(st->policy, sizeof(st->policy));
	if (read_line(MD "/migrator", st->backend, sizeof(st->backend)))
		snprintf(st->backend, sizeof(st->backend), "?");
	line_or_empty(DMA_CHANS, st->chans, sizeof(st->chans));
	line_or_empty(DMA_STATE, st->dstate, sizeof(st->dstate));
	line_or_empty(DMA_RETIRED, st->retired, sizeof(st->retired));
	line_or_empty(DMA_SHARED, st->shared, sizeof(st->shared));
	st->batch_bytes = read_ull(MD "/batch_bytes");
	link_fd = bpf_obj_get(PIN_LINK);
	st->pinned = link_fd >= 0;
	if (!st->pinned)
		goto kernel;
	if (bpf_link_get_info_by_fd(link_fd, &st->link, &llen))
		memset(&st->link, 0, sizeof(st->link));
	close(link_fd);
	tunables_state_read(&st->ts, true);
	st->has_cnt = policy_counters(&cnt, st->sums);
	if (st->has_cnt) {
		st->cnt = cnt.fs;
		close(cnt.fd);
	}
kernel:
	kstats_read(&st->ks, NULL);
}

/* A string field, null if it is empty. */
static void jsonw_string_or_null(json_writer_t *jw, const char *name, const char *v)
{
	jsonw_name(jw, name);
	if (v[0])
		jsonw_string(jw, v);
	else
		jsonw_null(jw);
}

static void status_json(struct status *st)
{
	json_writer_t *jw = jsonw_new(stdout);
	const struct tunables_state *ts = &st->ts;

	jsonw_start_object(jw);
	jsonw_string_field(jw, "policy", st->policy);
	jsonw_bool_field(jw, "pinned", st->pinned);
	if (st->pinned) {
		jsonw_string_field(jw, "link", PIN_LINK);
		jsonw_uint_field(jw, "link_id", st->link.id);
		jsonw_uint_field(jw, "map_id", st->link.struct_ops.map_id);
	}
	if (ts->have) {
		jsonw_fields(jw, "tunables", &ts->fs, ts->val);
	} else {
		jsonw_name(jw, "tunables");
		jsonw_null(jw);
	}
	jsonw_name(jw, "cgroups");
	jsonw_start_array(jw);
	for (int c = 0; c < ts->ncg; c++) {
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "id", ts->cgs[c].id);
		jsonw_string_or_null(jw, "path", ts->cgs[c].path);
		jsonw_fields(jw, "tunables", &ts->fs, ts->cgs[c].val);
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
	jsonw_string_field(jw, "backend", st->backend);
	jsonw_name(jw, "channels");
	if (st->chans[0])
		jsonw_words(jw, st->chans);
	else
		jsonw_null(jw);
	jsonw_string_or_null(jw, "backend_state", st->dstate);
	jsonw_name(jw, "retired_channels");
	jsonw_words(jw, st->retired);
	jsonw_name(jw, "shared_channels");
	jsonw_words(jw, st->shared);
	jsonw_uint_field(jw, "batch_bytes", st->batch_bytes);
	jsonw_kstats(jw, &st->ks);
	if (st->has_cnt) {
		jsonw_counters(jw, "policy_counters", &st->cnt, st->sums);
	} else {
		jsonw_name(jw, "policy_counters");
		jsonw_null(jw);
	}
	jsonw_end_object(jw);
	jsonw_destroy(&jw);
}

static void status_plain(const struct status *st)
{
	const struct tunables_state *ts = &st->ts;
	char buf[1024];

	printf("policy:      %s\n", st->policy);
	if (st->pinned)
		printf("attached:    by migctl, %s (link %u, struct_ops map %u)\n", PIN_LINK,
		       st->link.id, st->link.struct_ops.map_id);
	else if (strcmp(st->policy, "none") != 0)
		printf("attached:    not by migctl (no %s)\n", PIN_LINK);
	if (ts->have) {
		fields_format(&ts->fs, ts->val, buf, sizeof(buf));
		printf("tunables:    %s\n", buf);
	} else if (st->pinned) {
		printf("tunables:    none\n");
	}
	for (int c = 0; c < ts->ncg; c++) {
		fields_format(&ts->fs, ts->cgs[c].val, buf, sizeof(buf));
		printf("cgroup:      %s (id %llu): %s\n",
		       ts->cgs[c].path[0] ? ts->cgs[c].path : "(removed)", ts->cgs[c].id, buf);
	}
	printf("backend:     %s\n", st->backend);
	printf("channels:    %s%s%s\n", st->chans[0] ? st->chans : "-",
	       st->shared[0] ? "; shared with other dmaengine clients: " : "", st->shared);
	if (st->dstate[0])
		printf("dma state:   %s%s%s\n", st->dstate, st->retired[0] ? "; retired: " : "",
		       st->retired);
	printf("batch_bytes: %llu\n", st->batch_bytes);
	printf("counters:   ");
	for (int i = 0; i < st->ks.nr; i++)
		printf(" %s=%llu", st->ks.e[i].name, st->ks.e[i].v);
	printf("\n");
	if (st->has_cnt) {
		printf("policy counters:");
		for (int i = 0; i < st->cnt.nr; i++)
			printf(" %s=%llu", st->cnt.f[i].name, st->sums[i]);
		printf("\n");
	}
}

int do_status(const struct cmd *cmd)
{
	struct status *st;
	int rc;

	rc = check_env(true);
	if (rc)
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st)
		return error("out of memory");
	status_read(st);
	if (cmd->json)
		status_json(st);
	else
		status_plain(st);
	tunables_state_free(&st->ts);
	free(st);
	return 0;
}

/* A rate in JSON: bpftool's writer leaves jsonw_float_field() out. */
static void json_rate(json_writer_t *jw, const char *name, double v)
{
	jsonw_name(jw, name);
	jsonw_float_fmt(jw, "%.6g", v);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The width of the column "POLICY.COUNTER/s". */
static int colw(const char *policy, const char *counter)
{
	int w = (int)(strlen(policy) + strlen(counter) + 3);

	return w < 10 ? 10 : w;
}

/* ---- stats --by-cgroup: memory.stat ----------------------------------------------- */

/* The items memory.stat and /proc/vmstat share, without KSTAT_PREFIX. */
static const char *const cg_items[] = {
	"offloaded_folios", "offloaded_bytes", "cpu_folios", "cpu_bytes",
};
#define NR_CG_ITEMS	(sizeof(cg_items) / sizeof(cg_items[0]))

struct cg_stat {
	char path[4096];
	int depth;			/* below the PATH of --by-cgroup */
	unsigned long long v[NR_CG_ITEMS];
};

static struct {
	struct cg_stat *s;
	int n;
	int err;
} cgw;

/* Read the items of DIR/memory.stat into st; false without the file. */
static bool cg_stat_read(const char *dir, struct cg_stat *st)
{
	char path[4200], line[256], name[64];
	unsigned long long v;
	FILE *f;
	bool any = false;

	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	memset(st->v, 0, sizeof(st->v));
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, KSTAT_PREFIX, strlen(KSTAT_PREFIX)) ||
		    sscanf(line + strlen(KSTAT_PREFIX), "%63s %llu", name, &v) != 2)
			continue;
		for (size_t i = 0; i < NR_CG_ITEMS; i++) {
			if (!strcmp(name, cg_items[i])) {
				st->v[i] = v;
				any = true;
			}
		}
	}
	fclose(f);
	return any;
}

static int cg_stat_walk(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	struct cg_stat *n;

	(void)sb;
	if (flag != FTW_D)
		return 0;
	n = realloc(cgw.s, sizeof(*cgw.s) * (cgw.n + 1));
	if (!n) {
		cgw.err = -ENOMEM;
		return 1;
	}
	cgw.s = n;
	if (!cg_stat_read(path, &cgw.s[cgw.n]))
		return 0;
	snprintf(cgw.s[cgw.n].path, sizeof(cgw.s[cgw.n].path), "%s", path);
	cgw.s[cgw.n].depth = ftw->level;
	cgw.n++;
	return 0;
}

static int cg_stat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cg_stat *)a)->path, ((const struct cg_stat *)b)->path);
}

/* The memory.stat items as the JSON object NAME. */
static void jsonw_cg_items(json_writer_t *jw, const char *name, const unsigned long long *v)
{
	jsonw_name(jw, name);
	jsonw_start_object(jw);
	for (size_t i = 0; i < NR_CG_ITEMS; i++)
		jsonw_uint_field(jw, cg_items[i], v[i]);
	jsonw_end_object(jw);
}

static void cg_row(const char *label, const unsigned long long *v)
{
	printf("%-40s %16llu %16llu %16llu %16llu\n", label, v[0], v[1], v[2], v[3]);
}

/* cgw.s, and what the kernel counted in all and outside of any cgroup. */
struct cg_totals {
	unsigned long long total[NR_CG_ITEMS];
	unsigned long long outside[NR_CG_ITEMS];
};

static void cg_json(const struct cg_totals *t)
{
	json_writer_t *jw = jsonw_new(stdout);

	jsonw_start_object(jw);
	jsonw_name(jw, "cgroups");
	jsonw_start_array(jw);
	for (int c = 0; c < cgw.n; c++) {
		jsonw_start_object(jw);
		jsonw_string_field(jw, "path", cgw.s[c].path);
		for (size_t i = 0; i < NR_CG_ITEMS; i++)
			jsonw_uint_field(jw, cg_items[i], cgw.s[c].v[i]);
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
	jsonw_cg_items(jw, "total", t->total);
	jsonw_cg_items(jw, "outside_cgroups", t->outside);
	jsonw_end_object(jw);
	jsonw_destroy(&jw);
}

static void cg_plain(const struct cg_totals *t)
{
	printf("%-40s %16s %16s %16s %16s\n", "cgroup (and those below it)", cg_items[0],
	       cg_items[1], cg_items[2], cg_items[3]);
	for (int c = 0; c < cgw.n; c++) {
		const char *name = cgw.s[c].path;
		char label[4200];

		if (path_below(name, CGROUP_ROOT))
			name += strlen(CGROUP_ROOT "/");
		else if (!strcmp(name, CGROUP_ROOT))
			name = "/";
		snprintf(label, sizeof(label), "%*s%s", 2 * cgw.s[c].depth, "", name);
		cg_row(label, cgw.s[c].v);
	}
	cg_row("(kernel total, /proc/vmstat)", t->total);
	cg_row("(outside cgroups: total - /)", t->outside);
}

/*
 * 'stats --by-cgroup [PATH]': each memory cgroup at or below PATH, with
 * its memory.stat items (which count the cgroups below it too), then the
 * kernel's totals and what no cgroup below the root was charged for.
 */
static int stats_by_cgroup(const struct cmd *cmd)
{
	const char *arg = cmd->by_cgroup_path ? cmd->by_cgroup_path : CGROUP_ROOT;
	struct cg_totals t = {};
	char dir[4096], *canon;
	struct cg_stat rst;
	struct statfs sfs;
	struct kstats ks;
	int rc = 0;

	if (arg[0] == '/')
		snprintf(dir, sizeof(dir), "%s", arg);
	else
		snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", arg);
	canon = realpath(dir, NULL);
	if (!canon)
		return error("cgroup '%s' does not exist (%s: %s)", arg, dir, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", canon);
	free(canon);
	if (statfs(dir, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return error("'%s' is not a cgroup v2 directory", arg);
	if (!cg_stat_read(CGROUP_ROOT, &rst))
		return error("kernel without the per-cgroup counters (no pgmigrate_dma_* in "
			     CGROUP_ROOT "/memory.stat)");
	kstats_read(&ks, NULL);
	for (size_t i = 0; i < NR_CG_ITEMS; i++) {
		t.total[i] = kstat(&ks, cg_items[i]);
		t.outside[i] = t.total[i] > rst.v[i] ? t.total[i] - rst.v[i] : 0;
	}

	memset(&cgw, 0, sizeof(cgw));
	if (nftw(dir, cg_stat_walk, 16, FTW_PHYS | FTW_MOUNT) < 0 || cgw.err) {
		rc = error("walking %s: %s", dir, strerror(cgw.err ? -cgw.err : errno));
		goto out;
	}
	qsort(cgw.s, cgw.n, sizeof(*cgw.s), cg_stat_cmp);
	if (cmd->json)
		cg_json(&t);
	else
		cg_plain(&t);
out:
	free(cgw.s);
	memset(&cgw, 0, sizeof(cgw));
	return rc;
}

/* What 'migctl stats' reads: the kernel's counters and the policy's. */
struct stats {
	char policy[64];
	struct kstats ks;
	struct rstats rs;
	bool has_cnt;			/* the policy has (pinned) counters */
	struct pinned cnt;		/* cnt.fd stays open for the next read */
	unsigned long long sums[MAX_FIELDS];
};

static void stats_open(struct stats *st)
{
	memset(st, 0, sizeof(*st));
	attached_policy(st->policy, sizeof(st->policy));
	kstats_read(&st->ks, &st->rs);
	st->has_cnt = exists(PIN_LINK) && policy_counters(&st->cnt, st->sums);
}

/* Read the counters again; the policy's keep their values if that fails. */
static void stats_reread(struct stats *st)
{
	unsigned long long sums[MAX_FIELDS];

	kstats_read(&st->ks, &st->rs);
	if (st->has_cnt && !counters_read(&st->cnt, sums))
		memcpy(st->sums, sums, sizeof(sums));
}

static void stats_close(struct stats *st)
{
	if (st->has_cnt)
		close(st->cnt.fd);
}

static void stats_json(const struct stats *st)
{
	json_writer_t *jw = jsonw_new(stdout);

	jsonw_start_object(jw);
	jsonw_string_field(jw, "policy", st->policy);
	jsonw_kstats(jw, &st->ks);
	jsonw_rstats(jw, &st->rs);
	jsonw_counters(jw, "policy_counters", st->has_cnt ? &st->cnt.fs : NULL, st->sums);
	jsonw_end_object(jw);
	jsonw_destroy(&jw);
}

static void stats_plain(const struct stats *st)
{
	for (int i = 0; i < st->ks.nr; i++)
		printf("%-22s %llu\n", st->ks.e[i].name, st->ks.e[i].v);
	for (int i = 0; st->has_cnt && i < st->cnt.fs.nr; i++) {
		char name[NAME_LEN + 16];

		snprintf(name, sizeof(name), "%s.%s", st->policy, st->cnt.fs.f[i].name);
		printf("%-22s %llu\n", name, st->sums[i]);
	}
	print_rstats(&st->rs);
}

/* The rates of one interval of 'stats INTERVAL'. */
enum { R_FOLIOS, R_DMA, R_CPU, R_DMA_GB, R_CPU_GB, R_FALLBACK, NR_RATES };

struct rates {
	double seconds;
	double r[NR_RATES];
	double policy[MAX_FIELDS];	/* of the policy's counters */
};

static void rates_compute(const struct stats *prev, const struct stats *st, double dt,
			  struct rates *out)
{
#define D(name) ((double)(kstat(&st->ks, name) - kstat(&prev->ks, name)))
	out->seconds = dt;
	out->r[R_FOLIOS] = D("folios") / dt;
	out->r[R_DMA] = D("offloaded_folios") / dt;
	out->r[R_CPU] = D("cpu_folios") / dt;
	out->r[R_DMA_GB] = D("offloaded_bytes") / dt / 1e9;
	out->r[R_CPU_GB] = (D("bytes") - D("offloaded_bytes")) / dt / 1e9;
	out->r[R_FALLBACK] = (double)(kstat_fallbacks(&st->ks) - kstat_fallbacks(&prev->ks)) / dt;
#undef D
	for (int i = 0; st->has_cnt && i < st->cnt.fs.nr; i++)
		out->policy[i] = (st->sums[i] - prev->sums[i]) / dt;
}

static void rates_header(const struct stats *st)
{
	printf("%10s %10s %10s %9s %9s %10s", "folios/s", "dma/s", "cpu/s",
	       "dma_GB/s", "cpu_GB/s", "fallback/s");
	for (int i = 0; st->has_cnt && i < st->cnt.fs.nr; i++) {
		char h[2 * NAME_LEN + 4];

		snprintf(h, sizeof(h), "%s.%s/s", st->policy, st->cnt.fs.f[i].name);
		printf(" %*s", colw(st->policy, st->cnt.fs.f[i].name), h);
	}
	printf("\n");
}

static void rates_plain(const struct stats *st, const struct rates *r)
{
	printf("%10.0f %10.0f %10.0f %9.3f %9.3f %10.0f", r->r[R_FOLIOS], r->r[R_DMA],
	       r->r[R_CPU], r->r[R_DMA_GB], r->r[R_CPU_GB], r->r[R_FALLBACK]);
	for (int i = 0; st->has_cnt && i < st->cnt.fs.nr; i++)
		printf(" %*.0f", colw(st->policy, st->cnt.fs.f[i].name), r->policy[i]);
	printf("\n");
}

static void rates_json(const struct stats *st, const struct rates *r)
{
	static const char *const keys[NR_RATES] = {
		[R_FOLIOS] = "folios_per_s", [R_DMA] = "dma_folios_per_s",
		[R_CPU] = "cpu_folios_per_s", [R_DMA_GB] = "dma_gb_per_s",
		[R_CPU_GB] = "cpu_gb_per_s", [R_FALLBACK] = "fallbacks_per_s",
	};
	json_writer_t *jw = jsonw_new(stdout);

	jsonw_start_object(jw);
	jsonw_string_field(jw, "policy", st->policy);
	json_rate(jw, "seconds", r->seconds);
	for (int i = 0; i < NR_RATES; i++)
		json_rate(jw, keys[i], r->r[i]);
	jsonw_name(jw, "policy_counters_per_s");
	jsonw_start_object(jw);
	for (int i = 0; st->has_cnt && i < st->cnt.fs.nr; i++)
		json_rate(jw, st->cnt.fs.f[i].name, r->policy[i]);
	jsonw_end_object(jw);
	jsonw_end_object(jw);
	jsonw_destroy(&jw);
}

/* Sleep until @until (CLOCK_MONOTONIC seconds); false if interrupted by a signal. */
static bool sleep_until(double until)
{
	while (!exiting && now() < until) {
		double left = until - now();
		struct timespec ts = {
			.tv_sec = (time_t)left,
			.tv_nsec = (long)((left - (time_t)left) * 1e9),
		};

		nanosleep(&ts, NULL);
	}
	return !exiting;
}

int do_stats(const struct cmd *cmd)
{
	struct stats *st;
	double t0;
	int rc;

	rc = check_env(true);
	if (rc)
		return rc;
	if (cmd->by_cgroup)
		return stats_by_cgroup(cmd);
	/* This one and the one before it, for the rates. */
	st = calloc(2, sizeof(*st));
	if (!st)
		return error("out of memory");
	stats_open(&st[0]);

	if (!cmd->interval) {
		if (cmd->json)
			stats_json(&st[0]);
		else
			stats_plain(&st[0]);
		goto out;
	}

	signal(SIGINT, sigint_handler);
	signal(SIGTERM, sigint_handler);
	if (!cmd->json) {
		rates_header(&st[0]);
		fflush(stdout);
	}
	t0 = now();
	for (unsigned long n = 0; !cmd->count || n < cmd->count; n++) {
		struct rates r;
		double t1;

		if (!sleep_until(t0 + cmd->interval))
			break;
		st[1] = st[0];
		stats_reread(&st[0]);
		t1 = now();
		rates_compute(&st[1], &st[0], t1 - t0, &r);
		t0 = t1;
		if (cmd->json)
			rates_json(&st[0], &r);
		else
			rates_plain(&st[0], &r);
		fflush(stdout);
	}
out:
	stats_close(&st[0]);
	free(st);
	return 0;
}

/* ---- apply, show --config ------------------------------------------------------ */

__attribute__((format(printf, 3, 4)))
static void where(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = line ? snprintf(err_where, sizeof(err_where), "%s:%d: ", file, line)
		 : snprintf(err_where, sizeof(err_where), "%s: ", file);
	if (!fmt || n < 0 || (size_t)n >= sizeof(err_where))
		return;
	va_start(ap, fmt);
	vsnprintf(err_where + n, sizeof(err_where) - n, fmt, ap);
	va_end(ap);
}

/*
 * The values the configuration gives: the global ones in p->tun_data (the
 * initial value of the policy's tunables) and one cg_value a rule in
 * p->cgv, which start from the nearest rule above them in the cgroup tree,
 * or from the global values. 0, or 1 after the error line.
 */
static int config_values(const struct config *cfg, const char *file, struct policy *p)
{
	char err[512], full[4096], (*paths)[4096] = NULL;
	int rc = 0, w = 0;

	for (int i = 0; i < cfg->nitems; i++) {
		const struct config_item *it = &cfg->items[i];

		if (it->rule >= 0)
			continue;
		where(file, it->line, NULL);
		if (!p->tun_map)
			return error("policy '%s' has no tunables", cfg->policy);
		if (fields_set(&p->tun, p->tun_data, it->kv, err, sizeof(err)))
			return error("%s", err);
	}
	if (!cfg->nrules)
		return 0;
	where(file, cfg->rules[0].line, NULL);
	if (!p->cg_map)
		return error("policy '%s' has no per-cgroup tunables", cfg->policy);
	if (p->tun.size > sizeof(p->cgv[0].val))
		return error("policy '%s': tunables larger than %zu bytes", cfg->policy,
			     sizeof(p->cgv[0].val));
	p->cgv = calloc(cfg->nrules, sizeof(*p->cgv));
	paths = calloc(cfg->nrules, sizeof(*paths));
	if (!p->cgv || !paths) {
		free(paths);
		return error("out of memory");
	}
	p->ncgv = cfg->nrules;
	for (int r = 0; r < cfg->nrules && !rc; r++) {
		struct cg_value *v = &p->cgv[r];
		char *canon;

		where(file, cfg->rules[r].line, NULL);
		v->path = cfg->rules[r].path;
		v->line = cfg->rules[r].line;
		v->parent = -1;
		if (cfg->rules[r].path[0] == '/')
			snprintf(full, sizeof(full), "%s", cfg->rules[r].path);
		else
			snprintf(full, sizeof(full), CGROUP_ROOT "/%s", cfg->rules[r].path);
		canon = realpath(full, NULL);
		if (!canon && errno == ENOENT) {
			/* Not an error of the file: a workload not started yet. */
			v->missing = true;
			snprintf(paths[r], sizeof(paths[r]), "%s", full);
			continue;
		}
		snprintf(paths[r], sizeof(paths[r]), "%s", canon ? canon : full);
		free(canon);
		rc = cgroup_resolve(paths[r], &v->id, full, sizeof(full));
		for (int o = 0; o < r && !rc; o++)
			if (!p->cgv[o].missing && p->cgv[o].id == v->id)
				rc = error("cgroup %s is the cgroup of line %d", v->path, p->cgv[o].line);
	}
	/* A rule's values start from its parent's: parents first, by path length. */
	for (int r = 0; r < cfg->nrules && !rc; r++)
		for (int o = 0; o < cfg->nrules; o++)
			if (path_below(paths[r], paths[o]) &&
			    (p->cgv[r].parent < 0 || strlen(paths[o]) > strlen(paths[p->cgv[r].parent])))
				p->cgv[r].parent = o;
	for (size_t len = 1; !rc && len <= sizeof(paths[0]); len++) {
		for (int r = 0; r < cfg->nrules && !rc; r++) {
			struct cg_value *v = &p->cgv[r];

			if (strlen(paths[r]) != len)
				continue;
			memcpy(v->val, v->parent >= 0 ? p->cgv[v->parent].val : p->tun_data, p->tun.size);
			for (int i = 0; i < cfg->nitems && !rc; i++) {
				if (cfg->items[i].rule != r)
					continue;
				where(file, cfg->items[i].line, NULL);
				if (fields_set(&p->tun, v->val, cfg->items[i].kv, err, sizeof(err)))
					rc = error("%s", err);
			}
		}
	}
	free(paths);
	if (rc)
		return rc;
	/* Missing cgroups are left out: once created, the next apply writes them. */
	for (int r = 0; r < p->ncgv; r++) {
		if (p->cgv[r].missing) {
			fprintf(stderr, "migctl: %s:%d: cgroup %s does not exist (yet): its rule "
				"waits for the next 'migctl apply'\n", file, p->cgv[r].line, p->cgv[r].path);
			continue;
		}
		p->cgv[w++] = p->cgv[r];
	}
	p->ncgv = w;
	err_where[0] = 0;
	return 0;
}

/*
 * The attached policy is p: make its tunables and per-cgroup values those
 * of p, changing only what differs. Each map element is written at once;
 * the policy stays attached throughout.
 */
static int update_in_place(const struct policy *p, int *changed)
{
	struct tunables_state ts;
	unsigned char val[256];
	int rc = 0, cg_fd = -1;

	*changed = 0;
	tunables_state_read(&ts, false);
	if (p->tun_map && (!ts.have || ts.fs.size != p->tun.size))
		return error("the attached policy's pinned tunables are missing or of another size");
	if (p->tun_map && memcmp(ts.val, p->tun_data, p->tun.size)) {
		int tun_fd = bpf_obj_get(PIN_TUNABLES);
		__u32 zero = 0;

		if (tun_fd < 0 || bpf_map_update_elem(tun_fd, &zero, p->tun_data, BPF_ANY))
			rc = error("writing the tunables: %s", strerror(errno));
		if (tun_fd >= 0)
			close(tun_fd);
		(*changed)++;
	}
	if (!rc && p->cg_map) {
		cg_fd = bpf_obj_get(PIN_CGROUPS);
		if (cg_fd < 0)
			rc = error("the attached policy's pinned %s is missing", PIN_CGROUPS);
	}
	/* Rules that are no longer in the file, then the new and the changed. */
	for (int c = 0; !rc && cg_fd >= 0 && c < ts.ncg; c++) {
		bool keep = false;

		for (int i = 0; i < p->ncgv && !keep; i++)
			keep = p->cgv[i].id == ts.cgs[c].id;
		if (keep)
			continue;
		if (bpf_map_delete_elem(cg_fd, &ts.cgs[c].id) && errno != ENOENT)
			rc = error("removing the rule of cgroup id %llu: %s", ts.cgs[c].id,
				   strerror(errno));
		(*changed)++;
	}
	for (int i = 0; !rc && i < p->ncgv; i++) {
		if (!bpf_map_lookup_elem(cg_fd, &p->cgv[i].id, val) &&
		    !memcmp(val, p->cgv[i].val, p->tun.size))
			continue;
		if (bpf_map_update_elem(cg_fd, &p->cgv[i].id, p->cgv[i].val, BPF_ANY))
			rc = error("writing the rule of cgroup %s: %s", p->cgv[i].path, strerror(errno));
		(*changed)++;
	}
	if (cg_fd >= 0)
		close(cg_fd);
	tunables_state_free(&ts);
	return rc;
}

int do_apply(const struct cmd *cmd)
{
	const char *file = cmd->file ? cmd->file : CONFIG_FILE;
	char err[4400], cur[64];
	struct config cfg;
	struct policy p = {};
	int rc, changed;
	FILE *f;

	f = fopen(file, "r");
	if (!f)
		return error("%s: %s", file, strerror(errno));
	rc = config_parse(f, file, &cfg, err, sizeof(err));
	fclose(f);
	if (rc)
		return error("%s", err);

	if (!strcmp(cfg.policy, "none")) {
		rc = check_env(true);
		if (rc)
			goto out;
		attached_policy(cur, sizeof(cur));
		if (!strcmp(cur, "none")) {
			printf("unchanged: no policy attached\n");
			goto out;
		}
		rc = do_detach(cmd);
		if (!rc)
			printf("detached %s\n", cur);
		goto out;
	}

	where(file, cfg.policy_line, NULL);
	rc = policy_open(cfg.policy, &p);
	err_where[0] = 0;
	rc = rc ?: config_values(&cfg, file, &p);
	err_where[0] = 0;
	/* The file is checked whole before anything is changed. */
	rc = rc ?: check_env(true);
	if (rc)
		goto out;
	attached_policy(cur, sizeof(cur));
	if (strcmp(cur, "none") != 0 && exists(PIN_LINK) && record_matches(&p)) {
		rc = update_in_place(&p, &changed);
		if (!rc && changed)
			printf("updated %s: %d change%s\n", cur, changed, changed == 1 ? "" : "s");
		else if (!rc)
			printf("unchanged: %s\n", cur);
		goto out;
	}
	rc = strcmp(cur, "none") ? replace_policy(&p) : attach_policy(&p);
	if (!rc && strcmp(cur, "none") != 0)
		printf("replaced %s with %s\n", cur, cfg.policy);
	else if (!rc)
		printf("attached %s\n", cfg.policy);
out:
	err_where[0] = 0;
	policy_close(&p);
	config_free(&cfg);
	return rc;
}

int do_show(const struct cmd *cmd)
{
	char cur[64], source[4096], buf[1024];
	struct tunables_state ts;
	int rc;

	(void)cmd;
	rc = check_env(true);
	if (rc)
		return rc;
	attached_policy(cur, sizeof(cur));
	if (strcmp(cur, "none") != 0 && !exists(PIN_LINK))
		return error("policy '%s' was not attached by migctl (no %s): no configuration to show",
			     cur, PIN_LINK);
	printf("# The running state, as 'migctl apply' reads it (migctl show --config).\n");
	if (!strcmp(cur, "none")) {
		printf("policy none\n");
		return 0;
	}
	if (!record_read(source, sizeof(source))) {
		printf("# Not attached by 'migctl attach', 'replace' or 'apply' of this boot:\n"
		       "# '%s' is the name the policy gives itself.\n", cur);
		snprintf(source, sizeof(source), "%s", cur);
	}
	printf("policy %s\n", source);
	tunables_state_read(&ts, true);
	if (ts.have && ts.fs.nr) {
		fields_format(&ts.fs, ts.val, buf, sizeof(buf));
		printf("set %s\n", buf);
	}
	for (int c = 0; c < ts.ncg; c++) {
		const char *path = ts.cgs[c].path;

		fields_format(&ts.fs, ts.cgs[c].val, buf, sizeof(buf));
		if (!path[0]) {
			printf("# cgroup id %llu, removed: %s\n", ts.cgs[c].id, buf);
			continue;
		}
		if (path_below(path, CGROUP_ROOT))
			path += strlen(CGROUP_ROOT "/");
		printf("cgroup %s %s\n", path, buf);
	}
	tunables_state_free(&ts);
	return 0;
}

int migctl_main(int argc, char **argv)
{
	char err[512];
	struct cmd cmd;

	if (parse_cmdline(argc, argv, &cmd, err, sizeof(err))) {
		fprintf(stderr, "migctl: %s\n", err);
		return 2;
	}
	verbose = cmd.verbose;
	libbpf_set_print(libbpf_print_fn);
	if (cmd.help) {
		print_help(cmd.verb);
		return 0;
	}
	if (cmd.version && !cmd.verb) {
		printf("migctl %s\n", MIGCTL_VERSION);
		return 0;
	}
	return cmd.verb->run(&cmd);
}
