/* Table-driven option parsing (see optparse.h). */
#include "emu/optparse.h"
#include "emu/sizes.h"

#include <stdbool.h>
#include <string.h>

/* Store VAL for option D into the struct at BASE; false after one line on
 * stderr. */
static bool opt_set(const struct opt_desc *d, const char *val, void *base)
{
    char *b = base;
    uint64_t v;
    switch (d->type) {
    case T_FLAG:
        *(bool *)(b + d->off) = true;
        return true;
    case T_STR:
    case T_OPTSTR:
        *(const char **)(b + d->off) = val;
        return true;
    case T_LIST: {
        unsigned *n = (unsigned *)(b + d->count_off);
        if (*n >= d->max) {
            fprintf(stderr, "vmscope: --%s: at most %u given\n", d->name, (unsigned)d->max);
            return false;
        }
        ((const char **)(b + d->off))[(*n)++] = val;
        return true;
    }
    case T_SIZE32:
        if (!parse_size(val, &v) || v > UINT32_MAX)
            break;
        *(uint32_t *)(b + d->off) = (uint32_t)v;
        return true;
    case T_SIZE64:
        if (!parse_size(val, &v))
            break;
        *(uint64_t *)(b + d->off) = v;
        return true;
    case T_U64:
        if (!parse_u64(val, &v))
            break;
        *(uint64_t *)(b + d->off) = v;
        return true;
    case T_U32:
        if (!parse_u64(val, &v) || v == 0 || v > d->max)
            break;
        *(uint32_t *)(b + d->off) = (uint32_t)v;
        return true;
    }
    fprintf(stderr, "vmscope: --%s: bad value '%s'\n", d->name, val);
    return false;
}

static const struct opt_desc *opt_find(const struct opt_cmd *cmd, const char *name, size_t len)
{
    for (size_t k = 0; k < cmd->nopts; k++)
        if (strlen(cmd->opts[k].name) == len && strncmp(cmd->opts[k].name, name, len) == 0)
            return &cmd->opts[k];
    return NULL;
}

/* Take A as the positional argument; false (one line) when there is one. */
static bool opt_positional(const struct opt_cmd *cmd, const char *a, const char **pos)
{
    if (*pos) {
        fprintf(stderr, "vmscope %s: only one %s may be given ('%s' and '%s')\n",
                cmd->name, cmd->positional, *pos, a);
        return false;
    }
    *pos = a;
    return true;
}

enum opt_result opt_parse(const struct opt_cmd *cmd, int argc, char **argv, void *base,
                          const char **pos)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return OPT_HELP;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                if (!opt_positional(cmd, argv[i], pos))
                    return OPT_USAGE;
            break;
        }
        if (a[0] != '-' || a[1] == 0) {
            if (!opt_positional(cmd, a, pos))
                return OPT_USAGE;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        const struct opt_desc *d = a[1] == '-' ? opt_find(cmd, name, eq ? (size_t)(eq - name) : strlen(name))
                                               : NULL;
        if (!d) {
            fprintf(stderr, "vmscope %s: unknown option '%s' (see vmscope %s --help)\n",
                    cmd->name, a, cmd->name);
            return OPT_USAGE;
        }
        const char *val = NULL;
        if (d->type == T_FLAG) {
            if (eq) {
                fprintf(stderr, "vmscope %s: --%s takes no value\n", cmd->name, d->name);
                return OPT_USAGE;
            }
        } else if (d->type == T_OPTSTR) {
            val = eq ? eq + 1 : "";
        } else if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "vmscope %s: --%s needs a value (%s)\n", cmd->name, d->name, d->arg);
            return OPT_USAGE;
        }
        if (!opt_set(d, val, base))
            return OPT_USAGE;
    }
    return OPT_OK;
}

void opt_help(const struct opt_cmd *cmd, FILE *f)
{
    for (size_t i = 0; i < cmd->nopts; i++) {
        const struct opt_desc *d = &cmd->opts[i];
        char left[40];
        if (d->type == T_OPTSTR)
            snprintf(left, sizeof left, "--%s[=%s]", d->name, d->arg);
        else if (d->arg)
            snprintf(left, sizeof left, "--%s %s", d->name, d->arg);
        else
            snprintf(left, sizeof left, "--%s", d->name);
        fprintf(f, "  %-26s %s\n", left, d->help);
    }
    fprintf(f, "  %-26s %s\n", "--help", "this text");
}
