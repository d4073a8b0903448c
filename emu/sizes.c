/* Number and size parsing (see sizes.h). */
#include "emu/sizes.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

static bool parse_scaled(const char *s, uint64_t *out, uint64_t k)
{
    if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return false;
    uint64_t mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = k; end++; break;
    case 'm': case 'M': mul = k * k; end++; break;
    case 'g': case 'G': mul = k * k * k; end++; break;
    default: break;
    }
    if (*end == 'i' && mul != 1 && k == 1024)
        end++;
    if ((*end == 'B' || *end == 'b') && k == 1024)
        end++;
    if (*end)
        return false;
    if (v && mul > UINT64_MAX / v)
        return false;
    *out = v * mul;
    return true;
}

bool parse_size(const char *s, uint64_t *out) { return parse_scaled(s, out, 1024); }
bool parse_u64(const char *s, uint64_t *out) { return parse_scaled(s, out, 1000); }
