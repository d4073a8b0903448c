/* vsnprintf for the kernel's printk and the user libc's printf (see
 * include/lib/vsprintf.h). No floating point: the guest has no FPU. */
#include <lib/vsprintf.h>
#include <lib/string.h>

struct out {
    char *buf;
    size_t size, len;
};

/* Append one character if it fits (the length counts it regardless). */
static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* Append n copies of c. */
static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Emit the number v in base with the given width and flags. */
static void number(struct out *o, unsigned long long v, int neg, unsigned base, int upper,
                   int width, int left, int zero)
{
    char tmp[24];
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        /* 64-bit division by a small base without libgcc's __udivdi3 cost
         * mattering: values printed are small. */
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + neg;
    if (!left && !zero)
        pad(o, ' ', width - len);
    if (neg)
        put(o, '-');
    if (!left && zero)
        pad(o, '0', width - len);
    while (n)
        put(o, tmp[--n]);
    if (left)
        pad(o, ' ', width - len);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
        for (fmt++;; fmt++) {
            if (*fmt == '-') left = 1;
            else if (*fmt == '0') zero = 1;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            prec = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
                prec = prec * 10 + (*fmt - '0');
        }
        while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
            if (*fmt == 'l')
                lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : (long long)va_arg(ap, long);
            number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, 10, 0,
                   width, left, zero);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                            : (unsigned long long)va_arg(ap, unsigned long);
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            number(&o, v, 0, base, *fmt == 'X', width, left, zero);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            number(&o, (unsigned long)va_arg(ap, void *), 0, 16, 0, 8, 0, 1);
            break;
        case 'c':
            if (!left)
                pad(&o, ' ', width - 1);
            put(&o, (char)va_arg(ap, int));
            if (left)
                pad(&o, ' ', width - 1);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)(prec >= 0 ? strnlen(s, prec) : strlen(s));
            if (!left)
                pad(&o, ' ', width - len);
            for (int i = 0; i < len; i++)
                put(&o, s[i]);
            if (left)
                pad(&o, ' ', width - len);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case 0:
            fmt--;
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
