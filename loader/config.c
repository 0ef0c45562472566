// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file of 'migctl apply' and 'migctl show --config':
 * its syntax, libc only, unit-tested on the host. Whether the keys and
 * values suit the policy and the paths name cgroups is checked by
 * migctl.c once the policy is open; it names the line as this file does.
 *
 *	# a comment, to the end of the line
 *	policy NAME | FILE.bpf.o | none
 *	set KEY=VALUE...
 *	cgroup PATH KEY=VALUE...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migctl.h"

static int cfg_err(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = line ? snprintf(err, errlen, "%s:%d: ", file, line) : snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void config_free(struct config *cfg)
{
	for (int i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].path);
	free(cfg->rules);
	for (int i = 0; i < cfg->nitems; i++)
		free(cfg->items[i].kv);
	free(cfg->items);
	free(cfg->policy);
	memset(cfg, 0, sizeof(*cfg));
}

/* The key of "KEY=VALUE" is already in the same scope: its line, or 0. */
static int kv_dup(const struct config *cfg, int rule, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (int i = 0; i < cfg->nitems; i++) {
		const char *o = cfg->items[i].kv;

		if (cfg->items[i].rule == rule && strcspn(o, "=") == klen && !strncmp(o, kv, klen))
			return cfg->items[i].line;
	}
	return 0;
}

static int add_item(struct config *cfg, int rule, int line, const char *kv)
{
	struct config_item *items;

	if (!(cfg->nitems % 64)) {
		items = realloc(cfg->items, (cfg->nitems + 64) * sizeof(*items));
		if (!items)
			return -ENOMEM;
		cfg->items = items;
	}
	cfg->items[cfg->nitems].kv = strdup(kv);
	if (!cfg->items[cfg->nitems].kv)
		return -ENOMEM;
	cfg->items[cfg->nitems].rule = rule;
	cfg->items[cfg->nitems].line = line;
	cfg->nitems++;
	return 0;
}

static int add_rule(struct config *cfg, int line, const char *path)
{
	struct config_rule *rules;

	if (!(cfg->nrules % 16)) {
		rules = realloc(cfg->rules, (cfg->nrules + 16) * sizeof(*rules));
		if (!rules)
			return -ENOMEM;
		cfg->rules = rules;
	}
	cfg->rules[cfg->nrules].path = strdup(path);
	if (!cfg->rules[cfg->nrules].path)
		return -ENOMEM;
	cfg->rules[cfg->nrules].line = line;
	cfg->nrules++;
	return 0;
}

/* The KEY=VALUE words of a line, for the global scope (-1) or a rule. */
static int add_kvs(struct config *cfg, int rule, char **words, int nwords, const char *file,
		   int line, char *err, size_t errlen)
{
	char key[NAME_LEN];
	const char *v;

	for (int w = 0; w < nwords; w++) {
		int dup;

		if (split_kv(words[w], key, sizeof(key), &v))
			return cfg_err(err, errlen, file, line, "'%s' is not KEY=VALUE", words[w]);
		dup = kv_dup(cfg, rule, words[w]);
		if (dup)
			return cfg_err(err, errlen, file, line, "%s set twice (first at line %d)",
				       key, dup);
		if (add_item(cfg, rule, line, words[w]))
			return cfg_err(err, errlen, file, line, "out of memory");
	}
	return 0;
}

#define MAX_WORDS (MAX_KV + 2)

static int parse_line(struct config *cfg, char *s, const char *file, int line,
		      char *err, size_t errlen)
{
	char *words[MAX_WORDS], *save = NULL, *w;
	int n = 0;

	s[strcspn(s, "#")] = 0;
	for (w = strtok_r(s, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_WORDS)
			return cfg_err(err, errlen, file, line, "more than %d words", MAX_WORDS);
		words[n++] = w;
	}
	if (!n)
		return 0;
	if (!strcmp(words[0], "policy")) {
		if (cfg->policy)
			return cfg_err(err, errlen, file, line,
				       "a second 'policy' line (the first is line %d)", cfg->policy_line);
		if (n != 2)
			return cfg_err(err, errlen, file, line,
				       "'policy' takes one word: a built-in name, a FILE.bpf.o or none");
		cfg->policy = strdup(words[1]);
		if (!cfg->policy)
			return cfg_err(err, errlen, file, line, "out of memory");
		cfg->policy_line = line;
		return 0;
	}
	if (!strcmp(words[0], "set")) {
		if (n < 2)
			return cfg_err(err, errlen, file, line, "'set' needs KEY=VALUE");
		return add_kvs(cfg, -1, words + 1, n - 1, file, line, err, errlen);
	}
	if (!strcmp(words[0], "cgroup")) {
		if (n < 3)
			return cfg_err(err, errlen, file, line, "'cgroup' needs a PATH and KEY=VALUE");
		if (strchr(words[1], '='))
			return cfg_err(err, errlen, file, line,
				       "'cgroup' needs a PATH before KEY=VALUE, not '%s'", words[1]);
		for (int r = 0; r < cfg->nrules; r++)
			if (!strcmp(cfg->rules[r].path, words[1]))
				return cfg_err(err, errlen, file, line,
					       "cgroup %s has a rule already (line %d): one line a cgroup",
					       words[1], cfg->rules[r].line);
		if (add_rule(cfg, line, words[1]))
			return cfg_err(err, errlen, file, line, "out of memory");
		return add_kvs(cfg, cfg->nrules - 1, words + 2, n - 2, file, line, err, errlen);
	}
	return cfg_err(err, errlen, file, line, "unknown keyword '%s' (policy, set or cgroup)",
		       words[0]);
}

int config_parse(FILE *f, const char *file, struct config *cfg, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int line = 0, e = 0;

	memset(cfg, 0, sizeof(*cfg));
	while (!e && (len = getline(&buf, &cap, f)) >= 0) {
		line++;
		if ((size_t)len != strlen(buf))
			e = cfg_err(err, errlen, file, line, "a NUL byte: not a text file");
		else
			e = parse_line(cfg, buf, file, line, err, errlen);
	}
	free(buf);
	if (!e && ferror(f))
		e = cfg_err(err, errlen, file, 0, "read error");
	if (!e && !cfg->policy)
		e = cfg_err(err, errlen, file, 0, "no 'policy' line (a built-in name, a FILE.bpf.o or none)");
	else if (!e && !strcmp(cfg->policy, "none") && cfg->nitems)
		e = cfg_err(err, errlen, file, cfg->items[0].line,
			    "'policy none' takes no tunables and no cgroup rules");
	if (e)
		config_free(cfg);
	return e;
}
