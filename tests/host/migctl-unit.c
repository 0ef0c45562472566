// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of migctl (no kernel needed): the command line,
 * the parsing and range checks of values, and the tunables and counters
 * of the built-in policies as migctl reads them from the embedded
 * objects' BTF (names, defaults, ranges, the refusal of bad input with a
 * message that names the key and the reason). Prints TAP; exit status 1
 * if a test failed. Run by tests/host/migctl-unit.sh (make test).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "migctl.h"

static int tests, failures;

__attribute__((format(printf, 2, 3)))
static bool ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%sok %d - ", pass ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		failures++;
	return pass;
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- the command line ------------------------------------------------------ */

/* Parse a command line given as one string (words split on blanks). */
static int parse(const char *line, struct cmd *cmd, char *err, size_t errlen)
{
	static char buf[512];
	char *argv[64], *save = NULL, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "migctl";
	for (w = strtok_r(buf, " ", &save); w && argc < 63; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return parse_cmdline(argc, argv, cmd, err, errlen);
}

/* The line must parse; returns the command. */
static void accepts(const char *line, struct cmd *cmd)
{
	char err[512];
	int rc = parse(line, cmd, err, sizeof(err));

	if (!ok(rc == 0, "accepts 'migctl %s'", line))
		diag("error: %s", err);
}

/* The line must be refused with an error containing want. */
static void refuses(const char *line, const char *want)
{
	char err[512];
	struct cmd cmd;
	int rc = parse(line, &cmd, err, sizeof(err));

	if (!ok(rc != 0 && strstr(err, want) && !strchr(err, '\n'),
		"refuses 'migctl %s': %s", line, want))
		diag("rc %d, error: '%s'", rc, err);
}

/* The command is of this verb. */
static bool is(const struct cmd *cmd, const char *verb)
{
	return cmd->verb && !strcmp(cmd->verb->name, verb);
}

/* s starts with the word w. */
static bool starts_with(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (!s[n] || s[n] == ' ' || s[n] == '\n');
}

/* ---- the configuration file's syntax (config.c) ------------------------------ */

/* Parse len bytes of text; 0 or the error line in err. */
static int parse_mem(const char *text, size_t len, struct config *cfg, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int e;

	memset(cfg, 0, sizeof(*cfg));
	if (!f)
		return -EIO;
	e = config_parse(f, "c.conf", cfg, err, errlen);
	fclose(f);
	return e;
}

static int parse_text(const char *text, struct config *cfg, char *err, size_t errlen)
{
	return parse_mem(text, strlen(text), cfg, err, errlen);
}

static void bad_config_mem(const char *text, size_t len, const char *want)
{
	struct config cfg;
	char err[512] = "";
	int e = parse_mem(text, len, &cfg, err, sizeof(err));

	if (!ok(e == -EINVAL && !strcmp(err, want), "config refused: %s", want))
		diag("got %d '%s'", e, err);
}

static void bad_config(const char *text, const char *want)
{
	bad_config_mem(text, strlen(text), want);
}

static void test_config(void)
{
	struct config cfg;
	char err[512];
	int e;

	e = parse_text("# comment\n\npolicy tier   # trailing comment\n"
		       "set demote=0\tdamon=1\n"
		       "cgroup system.slice promote_min_bytes=4M\n"
		       "cgroup /sys/fs/cgroup/a/b other=1 damon=0\n", &cfg, err, sizeof(err));
	if (!ok(!e, "config: a good file parses"))
		diag("%s", err);
	if (e)
		return;
	ok(!strcmp(cfg.policy, "tier") && cfg.policy_line == 3, "config: the policy and its line");
	ok(cfg.nrules == 2 && !strcmp(cfg.rules[1].path, "/sys/fs/cgroup/a/b") &&
	   cfg.rules[1].line == 6, "config: two rules, paths and lines");
	ok(cfg.nitems == 5 && cfg.items[0].rule == -1 && !strcmp(cfg.items[1].kv, "damon=1") &&
	   cfg.items[2].rule == 0 && cfg.items[4].rule == 1 && cfg.items[4].line == 6,
	   "config: values in file order, with their scope and line");
	config_free(&cfg);
	e = parse_text("policy none\n", &cfg, err, sizeof(err));
	ok(!e && !strcmp(cfg.policy, "none") && !cfg.nitems, "config: policy none");
	if (!e)
		config_free(&cfg);
	e = parse_text("policy size\nset min_order=1\ncgroup a min_order=2\n", &cfg, err, sizeof(err));
	ok(!e && cfg.nitems == 2, "config: a key in two scopes is no duplicate");
	if (!e)
		config_free(&cfg);

	bad_config("", "c.conf: no 'policy' line (a built-in name, a FILE.bpf.o or none)");
	bad_config("set a=1\nfoo\n", "c.conf:2: unknown keyword 'foo' (policy, set or cgroup)");
	bad_config("policy a\npolicy b\n", "c.conf:2: a second 'policy' line (the first is line 1)");
	bad_config("policy\n", "c.conf:1: 'policy' takes one word: a built-in name, a FILE.bpf.o or none");
	bad_config("policy a\nset\n", "c.conf:2: 'set' needs KEY=VALUE");
	bad_config("policy a\nset a\n", "c.conf:2: 'a' is not KEY=VALUE");
	bad_config("policy a\nset a=\n", "c.conf:2: 'a=' is not KEY=VALUE");
	bad_config("policy a\nset a=1 a=2\n", "c.conf:2: a set twice (first at line 2)");
	bad_config("policy a\ncgroup x\n", "c.conf:2: 'cgroup' needs a PATH and KEY=VALUE");
	bad_config("policy a\ncgroup a=1 b=2\n",
		   "c.conf:2: 'cgroup' needs a PATH before KEY=VALUE, not 'a=1'");
	bad_config("policy a\ncgroup x a=1\ncgroup x b=1\n",
		   "c.conf:3: cgroup x has a rule already (line 2): one line a cgroup");
	bad_config("policy none\ncgroup x a=1\n",
		   "c.conf:2: 'policy none' takes no tunables and no cgroup rules");
	bad_config_mem("policy a\0\n", 10, "c.conf:1: a NUL byte: not a text file");
}

static void test_cmdline(void)
{
	struct cmd c;

	refuses("", "no verb given");
	refuses("bogus", "unknown verb 'bogus'");
	refuses("-x list", "unknown option '-x'");
	refuses("help bogus", "unknown verb 'bogus'");
	accepts("--help", &c);
	ok(c.help && !c.verb, "--help: general help");
	accepts("help", &c);
	ok(c.help && !c.verb, "help: general help");
	accepts("help tune", &c);
	ok(c.help && is(&c, "tune"), "help tune: the verb's help");
	accepts("stats --help", &c);
	ok(c.help && is(&c, "stats"), "stats --help: the verb's help");
	accepts("-v attach size", &c);
	ok(c.verbose && is(&c, "attach") && !strcmp(c.policy, "size") && !c.nkv,
	   "-v attach size");

	accepts("attach size --set min_order=3 -s min_bytes=4K --set=min_order=4", &c);
	ok(c.nkv == 3 && !strcmp(c.kv[0], "min_order=3") && !strcmp(c.kv[1], "min_bytes=4K") &&
	   !strcmp(c.kv[2], "min_order=4"), "attach: --set, -s and --set= collected in order");
	accepts("stats --by-cgroup", &c);
	ok(is(&c, "stats") && c.by_cgroup && !c.by_cgroup_path, "stats --by-cgroup: the root");
	accepts("stats --by-cgroup system.slice --json", &c);
	ok(c.by_cgroup && !strcmp(c.by_cgroup_path, "system.slice") && c.json,
	   "stats --by-cgroup PATH --json");
	accepts("stats --by-cgroup=/sys/fs/cgroup/a", &c);
	ok(c.by_cgroup && !strcmp(c.by_cgroup_path, "/sys/fs/cgroup/a"), "stats --by-cgroup=PATH");
	refuses("stats --by-cgroup -i 1", "--by-cgroup takes no --interval");
	refuses("stats --by-cgroup=", "--by-cgroup= needs a cgroup directory");
	refuses("status --by-cgroup", "unknown option '--by-cgroup'");
	accepts("apply", &c);
	ok(is(&c, "apply") && !c.file, "apply: the default file");
	accepts("apply my.conf", &c);
	ok(!strcmp(c.file, "my.conf"), "apply FILE");
	refuses("apply a.conf b.conf", "unexpected argument 'b.conf'");
	accepts("show --config", &c);
	ok(is(&c, "show") && c.config, "show --config");
	refuses("show", "show what? (--config)");
	accepts("--version", &c);
	ok(c.version && !c.verb, "--version");
	accepts("replace ./my.bpf.o", &c);
	ok(is(&c, "replace") && !strcmp(c.policy, "./my.bpf.o"), "replace FILE.bpf.o");
	refuses("attach", "which policy?");
	refuses("replace --set a=1", "which policy?");
	refuses("attach size --set", "--set needs KEY=VALUE");
	refuses("attach size --set min_order", "'min_order' is not KEY=VALUE");
	refuses("attach size --set =3", "'=3' is not KEY=VALUE");
	refuses("attach size --set min_order=", "'min_order=' is not KEY=VALUE");
	refuses("attach size never", "unexpected argument 'never'");
	refuses("attach size --json", "unknown option '--json'");
	refuses("attach size --cgroup /x", "unknown option '--cgroup'");

	accepts("detach", &c);
	ok(is(&c, "detach"), "detach");
	refuses("detach now", "unexpected argument 'now'");
	refuses("detach --json", "unknown option '--json'");

	accepts("status --json", &c);
	ok(is(&c, "status") && c.json, "status --json");
	refuses("status --interval 1", "unknown option '--interval'");

	accepts("list", &c);
	ok(is(&c, "list") && !c.policy, "list");
	accepts("list --json size", &c);
	ok(is(&c, "list") && c.json && !strcmp(c.policy, "size"), "list --json size");
	refuses("list size never", "unexpected argument 'never'");

	accepts("stats", &c);
	ok(is(&c, "stats") && c.interval == 0 && c.count == 0, "stats: once");
	accepts("stats --json --interval 0.5 --count 3", &c);
	ok(c.json && c.interval == 0.5 && c.count == 3, "stats --json --interval 0.5 --count 3");
	accepts("stats -i 2 -c 1", &c);
	ok(c.interval == 2 && c.count == 1, "stats -i 2 -c 1");
	accepts("stats --interval=1", &c);
	ok(c.interval == 1 && c.count == 0, "stats --interval=1");
	refuses("stats --interval", "--interval needs a number of seconds");
	refuses("stats --interval 0", "out of range");
	refuses("stats --interval -1", "is not a number of seconds");
	refuses("stats --interval 1x", "is not a number of seconds");
	refuses("stats --interval 100000", "out of range");
	refuses("stats --count 3", "--count needs --interval");
	refuses("stats -i 1 --count 0", "--count '0' is not a positive integer");
	refuses("stats -i 1 --count 2.5", "--count '2.5' is not a positive integer");
	refuses("stats -i 1 --count", "--count needs a number");

	accepts("tune min_order=3", &c);
	ok(is(&c, "tune") && c.nkv == 1 && !c.cgroup, "tune KEY=VALUE");
	accepts("tune --cgroup wl_a offload=0 min_order=0", &c);
	ok(c.nkv == 2 && !strcmp(c.cgroup, "wl_a"), "tune --cgroup PATH KEY=VALUE KEY=VALUE");
	accepts("tune -g /sys/fs/cgroup/x --clear", &c);
	ok(c.clear && !strcmp(c.cgroup, "/sys/fs/cgroup/x"), "tune -g PATH --clear");
	refuses("tune", "no KEY=VALUE given");
	refuses("tune --cgroup /x", "no KEY=VALUE given");
	refuses("tune --cgroup", "--cgroup needs a cgroup directory");
	refuses("tune --clear", "--clear needs --cgroup");
	refuses("tune --cgroup x --clear a=1", "--clear takes no KEY=VALUE");
	refuses("tune min_order", "'min_order' is not KEY=VALUE");
	refuses("tune --set a=1", "unknown option '--set'");

	for (int i = 0; i < nr_verbs; i++) {
		const struct verb *v = &verbs[i];
		bool named = !strncmp(v->help, "Usage: migctl ", 14) &&
			     starts_with(v->help + 14, v->name);

		for (int u = 0; u < VERB_FORMS && v->usage[u].synopsis; u++)
			named = named && starts_with(v->usage[u].synopsis, v->name);
		ok(named, "%s: its help and its synopses start with its name", v->name);
	}
}

/* ---- values ----------------------------------------------------------------- */

static void value_is(const char *s, enum value_kind kind, unsigned long long min,
		     unsigned long long max, int want_err, unsigned long long want)
{
	unsigned long long v = 12345;
	int e = parse_value(s, kind, min, max, &v);

	if (want_err)
		ok(e == want_err && v == 12345, "value '%s' (%llu..%llu): %s", s, min, max,
		   want_err == -ERANGE ? "out of range" : "malformed");
	else
		ok(e == 0 && v == want, "value '%s' (%llu..%llu) = %llu", s, min, max, want);
}

static void test_values(void)
{
	double d;
	unsigned long n;

	value_is("9", KIND_NUM, 0, 10, 0, 9);
	value_is("0", KIND_NUM, 0, 10, 0, 0);
	value_is("10", KIND_NUM, 0, 10, 0, 10);
	value_is("11", KIND_NUM, 0, 10, -ERANGE, 0);
	value_is("0", KIND_NUM, 1, 10, -ERANGE, 0);
	value_is("0x10", KIND_NUM, 0, 100, 0, 16);
	value_is("-1", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("+1", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is(" 1", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("1 ", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("nine", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("9x", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("1.5", KIND_NUM, 0, 10, -EINVAL, 0);
	value_is("4K", KIND_NUM, 0, ~0ULL, -EINVAL, 0);
	value_is("99999999999999999999999", KIND_NUM, 0, ~0ULL, -ERANGE, 0);
	value_is("18446744073709551615", KIND_NUM, 0, ~0ULL, 0, ~0ULL);
	value_is("4096", KIND_BYTES, 0, 1ULL << 30, 0, 4096);
	value_is("4K", KIND_BYTES, 0, 1ULL << 30, 0, 4096);
	value_is("64KiB", KIND_BYTES, 0, 1ULL << 30, 0, 65536);
	value_is("2M", KIND_BYTES, 0, 1ULL << 30, 0, 2 << 20);
	value_is("1G", KIND_BYTES, 0, 1ULL << 30, 0, 1ULL << 30);
	value_is("1025M", KIND_BYTES, 0, 1ULL << 30, -ERANGE, 0);
	value_is("2G", KIND_BYTES, 0, 1ULL << 30, -ERANGE, 0);
	value_is("17179869184G", KIND_BYTES, 0, ~0ULL, -ERANGE, 0);
	value_is("4KB", KIND_BYTES, 0, 1ULL << 30, -EINVAL, 0);
	value_is("4k", KIND_BYTES, 0, 1ULL << 30, -EINVAL, 0);
	value_is("1.5M", KIND_BYTES, 0, 1ULL << 30, -EINVAL, 0);
	value_is("M", KIND_BYTES, 0, 1ULL << 30, -EINVAL, 0);
	value_is("1", KIND_BOOL, 0, 1, 0, 1);
	value_is("on", KIND_BOOL, 0, 1, 0, 1);
	value_is("Yes", KIND_BOOL, 0, 1, 0, 1);
	value_is("OFF", KIND_BOOL, 0, 1, 0, 0);
	value_is("false", KIND_BOOL, 0, 1, 0, 0);
	value_is("2", KIND_BOOL, 0, 1, -EINVAL, 0);
	value_is("maybe", KIND_BOOL, 0, 1, -EINVAL, 0);

	ok(!parse_seconds("1", &d) && d == 1, "seconds '1'");
	ok(!parse_seconds("0.25", &d) && d == 0.25, "seconds '0.25'");
	ok(parse_seconds("0", &d) == -ERANGE, "seconds '0': out of range");
	ok(parse_seconds("86401", &d) == -ERANGE, "seconds '86401': out of range");
	ok(parse_seconds("nan", &d) == -EINVAL, "seconds 'nan': malformed");
	ok(parse_seconds("inf", &d) == -EINVAL, "seconds 'inf': malformed");
	ok(parse_seconds("1s", &d) == -EINVAL, "seconds '1s': malformed");
	ok(parse_seconds("", &d) == -EINVAL, "seconds '': malformed");
	ok(!parse_count("7", &n) && n == 7, "count '7'");
	ok(parse_count("0", &n) == -ERANGE, "count '0': out of range");
	ok(parse_count("-3", &n) == -EINVAL, "count '-3': malformed");
}

/* ---- the built-in policies' tunables and counters, from BTF --------------------- */

struct opened {
	struct bpf_object *obj;
	struct fields tun, cnt;
	bool has_tun, has_cnt;
	unsigned char *data;		/* the tunables' defaults */
};

static bool open_builtin(const struct builtin *b, struct opened *o)
{
	char err[256];
	const struct btf *btf;
	struct bpf_map *m;
	const void *bytes;
	size_t size;
	int id;

	memset(o, 0, sizeof(*o));
	o->obj = builtin_open(b, &bytes, &size);
	if (!ok(o->obj != NULL, "%s: the embedded object opens without a kernel", b->name))
		return false;
	btf = bpf_object__btf(o->obj);
	id = btf__find_by_name_kind(btf, ".data.tunables", BTF_KIND_DATASEC);
	m = bpf_object__find_map_by_name(o->obj, ".data.tunables");
	if (id > 0 && m) {
		size_t sz;

		o->has_tun = !fields_from_btf(btf, id, &o->tun, err, sizeof(err));
		if (!ok(o->has_tun, "%s: tunables described by BTF", b->name))
			diag("%s", err);
		o->data = bpf_map__initial_value(m, &sz);
		ok(o->data && sz >= o->tun.size, "%s: tunables have initial values", b->name);
	}
	m = bpf_object__find_map_by_name(o->obj, "counters");
	if (ok(m != NULL, "%s: has per-verdict counters", b->name)) {
		o->has_cnt = !fields_from_btf(btf, bpf_map__btf_value_type_id(m), &o->cnt,
					      err, sizeof(err));
		if (!ok(o->has_cnt && bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY,
			"%s: counters are a per-CPU array of a struct", b->name))
			diag("%s", err);
	}
	return true;
}

static void close_builtin(struct opened *o)
{
	bpf_object__close(o->obj);
}

static unsigned long long get(const struct opened *o, const char *name)
{
	const struct field *f = field_find(&o->tun, name);

	return f ? field_get(f, o->data) : ~0ULL;
}

/* Setting kv must fail with want in the message, and change nothing. */
static void set_refused(const struct opened *o, const char *kv, const char *want)
{
	unsigned char before[256];
	char err[512] = "";
	int rc;

	memcpy(before, o->data, o->tun.size);
	rc = fields_set(&o->tun, o->data, kv, err, sizeof(err));
	if (!ok(rc && strstr(err, want) && !memcmp(before, o->data, o->tun.size),
		"%s: '%s' refused (%s), values unchanged", o->tun.type, kv, want))
		diag("rc %d, error '%s'", rc, err);
}

static void set_ok(const struct opened *o, const char *kv, const char *name,
		   unsigned long long want)
{
	char err[512] = "";
	int rc = fields_set(&o->tun, o->data, kv, err, sizeof(err));

	if (!ok(!rc && get(o, name) == want, "%s: '%s' sets %s to %llu", o->tun.type, kv,
		name, want))
		diag("rc %d, error '%s', value %llu", rc, err, get(o, name));
}

static void test_policies(void)
{
	const char *names[] = { "always", "never", "size", "reason", "workload", "adaptive",
				"tier" };
	char buf[512];

	ok(nr_builtins == 7, "seven built-in policies");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ok(builtin_find(names[i]) != NULL, "built-in '%s'", names[i]);
	ok(builtin_find("example_thp") == NULL && builtin_find("") == NULL,
	   "no built-in 'example_thp' or ''");

	for (int i = 0; i < nr_builtins; i++) {
		const struct builtin *b = &builtins[i];
		struct opened o;
		bool all_u64 = true, named = true;

		if (!open_builtin(b, &o))
			continue;
		for (int c = 0; o.has_cnt && c < o.cnt.nr; c++) {
			all_u64 &= o.cnt.f[c].size == 8;
			named &= !strncmp(o.cnt.f[c].name, "dma", 3) || !strncmp(o.cnt.f[c].name, "cpu", 3);
		}
		ok(all_u64 && named, "%s: counters are __u64 named dma* or cpu*", b->name);
		/* Every tunable has help, and a range or is on/off, from its tags. */
		for (int t = 0; o.has_tun && t < o.tun.nr; t++) {
			const struct field *f = &o.tun.f[t];
			unsigned long long type_max = f->size == 8 ? ~0ULL : (1ULL << (8 * f->size)) - 1;

			ok(f->help[0] && (f->kind == KIND_BOOL || f->max < type_max),
			   "%s: tunable %s has help and a range (tags)", b->name, f->name);
			ok(field_get(f, o.data) >= f->min && field_get(f, o.data) <= f->max,
			   "%s: default %s=%llu within %llu..%llu", b->name, f->name,
			   field_get(f, o.data), f->min, f->max);
		}

		if (!strcmp(b->name, "always") || !strcmp(b->name, "never")) {
			ok(!o.has_tun, "%s: no tunables", b->name);
		} else if (!strcmp(b->name, "size")) {
			fields_names(&o.tun, buf, sizeof(buf));
			ok(!strcmp(buf, "min_order, min_bytes"), "size: tunables min_order, min_bytes");
			ok(get(&o, "min_order") == 9 && get(&o, "min_bytes") == 0,
			   "size: defaults min_order=9 min_bytes=0");
			fields_format(&o.tun, o.data, buf, sizeof(buf));
			ok(!strcmp(buf, "min_order=9 min_bytes=0"), "size: formatted '%s'", buf);
			set_refused(&o, "min_order=11", "min_order: '11' out of range (0..10)");
			set_refused(&o, "min_order=-1", "min_order: malformed value '-1'");
			set_refused(&o, "min_order=abc", "malformed value 'abc'");
			set_refused(&o, "min_bytes=2G", "'2G' out of range (0..1073741824 bytes");
			set_refused(&o, "max_order=3",
				    "unknown tunable 'max_order' (tunables: min_order, min_bytes)");
			set_refused(&o, "min_order", "'min_order' is not KEY=VALUE");
			set_ok(&o, "min_order=0", "min_order", 0);
			set_ok(&o, "min_bytes=64K", "min_bytes", 65536);
			set_ok(&o, "min_bytes=0x200000", "min_bytes", 2 << 20);
		} else if (!strcmp(b->name, "reason")) {
			ok(o.tun.nr == 9, "reason: nine reasons");
			ok(get(&o, "syscall") == 1 && get(&o, "mbind") == 1 && get(&o, "demotion") == 1 &&
			   get(&o, "numa_balancing") == 0 && get(&o, "compaction") == 0,
			   "reason: syscall, mbind, demotion offloaded; NUMA balancing, compaction not");
			set_ok(&o, "numa_balancing=on", "numa_balancing", 1);
			set_ok(&o, "syscall=off", "syscall", 0);
			set_refused(&o, "syscall=2", "syscall: malformed value '2' (0/1, on/off)");
			set_refused(&o, "promotion=1", "unknown tunable 'promotion'");
		} else if (!strcmp(b->name, "workload")) {
			ok(get(&o, "offload") == 1 && get(&o, "min_order") == 9,
			   "workload: default offload=1 min_order=9");
			set_ok(&o, "offload=no", "offload", 0);
			set_refused(&o, "offload=maybe", "offload: malformed value 'maybe'");
			set_refused(&o, "min_order=12", "min_order: '12' out of range (0..10)");
		} else if (!strcmp(b->name, "adaptive")) {
			ok(get(&o, "min_batch_bytes") == 2 << 20, "adaptive: default min_batch_bytes=2 MiB");
			set_ok(&o, "min_batch_bytes=16M", "min_batch_bytes", 16 << 20);
			set_refused(&o, "min_batch_bytes=1.5M", "malformed value '1.5M'");
			set_refused(&o, "min_batch_bytes=4T", "malformed value '4T'");
		}
		close_builtin(&o);
	}
}

/* A third-party policy's tunables that migctl cannot handle are refused. */
static void test_bad_btf(void)
{
	struct btf *btf = btf__new_empty();
	struct fields fs;
	char err[256] = "";
	int u32, u64, s32, ok_struct, bad_struct, chr, tagged;

	u32 = btf__add_int(btf, "unsigned int", 4, 0);
	u64 = btf__add_int(btf, "unsigned long long", 8, 0);
	s32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	chr = btf__add_int(btf, "char", 1, BTF_INT_CHAR);
	ok_struct = btf__add_struct(btf, "mine_tunables", 8);
	btf__add_field(btf, "a", u32, 0, 0);
	btf__add_field(btf, "b", u32, 32, 0);
	bad_struct = btf__add_struct(btf, "bad_tunables", 8);
	btf__add_field(btf, "a", u32, 0, 0);
	btf__add_field(btf, "delta", s32, 32, 0);
	ok(!fields_from_btf(btf, ok_struct, &fs, err, sizeof(err)) && fs.nr == 2 &&
	   fs.f[1].off == 4 && fs.f[1].max == 0xffffffffULL && !fs.f[1].help[0],
	   "third-party struct of __u32: full range, no help");
	/* Declaration tags: kind, range and help. */
	tagged = btf__add_struct(btf, "tagged_tunables", 16);
	btf__add_field(btf, "bytes", u64, 0, 0);
	btf__add_field(btf, "on", u32, 64, 0);
	btf__add_field(btf, "plain", u32, 96, 0);
	btf__add_decl_tag(btf, "migctl:bytes", tagged, 0);
	btf__add_decl_tag(btf, "migctl:range=4K..1G", tagged, 0);
	btf__add_decl_tag(btf, "migctl:help=smallest batch", tagged, 0);
	btf__add_decl_tag(btf, "migctl:bool", tagged, 1);
	btf__add_decl_tag(btf, "not-migctl", tagged, 2);
	ok(!fields_from_btf(btf, tagged, &fs, err, sizeof(err)) && fs.nr == 3 &&
	   fs.f[0].kind == KIND_BYTES && fs.f[0].min == 4096 && fs.f[0].max == 1ULL << 30 &&
	   !strcmp(fs.f[0].help, "smallest batch") && fs.f[1].kind == KIND_BOOL &&
	   fs.f[1].max == 1 && fs.f[2].kind == KIND_NUM && fs.f[2].max == 0xffffffffULL,
	   "tags: bytes with a range and help, bool, another's tag ignored");
	for (int i = 0; i < 3; i++) {
		static const char *const tags[] = {
			"migctl:range=5..1", "migctl:range=0..5G", "migctl:bogus",
		};
		static const char *const want[] = {
			"bad range '5..1'", "bad range '0..5G' (within 0..4294967295)",
			"unknown tag 'migctl:bogus'",
		};
		int st = btf__add_struct(btf, "badtag_tunables", 4);

		btf__add_field(btf, "x", u32, 0, 0);
		btf__add_decl_tag(btf, tags[i], st, 0);
		err[0] = 0;
		ok(fields_from_btf(btf, st, &fs, err, sizeof(err)) && strstr(err, want[i]),
		   "tag %s refused: %s", tags[i], err);
	}
	ok(fields_from_btf(btf, bad_struct, &fs, err, sizeof(err)) &&
	   strstr(err, "member 'delta' is not an unsigned integer"),
	   "a signed member is refused: %s", err);
	ok(fields_from_btf(btf, chr, &fs, err, sizeof(err)) && strstr(err, "not a struct"),
	   "a non-struct is refused: %s", err);
	btf__free(btf);
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int main(void)
{
	libbpf_set_print(silent);
	printf("TAP version 13\n");
	test_cmdline();
	test_values();
	test_policies();
	test_bad_btf();
	test_config();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
