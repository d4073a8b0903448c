/* Runtime for single-image test programs (see rt.h). */
#include "rt.h"

#define COM1 0x3F8

struct idt_gate { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed));
static struct idt_gate idt[256] __attribute__((aligned(8)));
extern void (*const rt_exc_table[32])(void);

void rt_set_gate(unsigned v, void (*handler)(void), unsigned dpl, int trap)
{
    uint32_t a = (uint32_t)handler;
    idt[v].off_lo = a & 0xFFFF;
    idt[v].off_hi = a >> 16;
    idt[v].sel = 0x08;
    idt[v].zero = 0;
    idt[v].type = (uint8_t)(0x80 | (dpl << 5) | (trap ? 0x0F : 0x0E));
}

static void uart_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xC7);   /* FIFO on, cleared */
}

void rt_putc(char c)
{
    if (c == '\n')
        rt_putc('\r');
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

void rt_exit(uint32_t v)
{
    static const char word[] = "Shutdown";
    outl(0xF4, v);
    for (const char *p = word; *p; p++)
        outb(0x8900, (uint8_t)*p);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void rt_unhandled(uint32_t vector, uint32_t err, uint32_t eip)
{
    rt_printf("unhandled exception %u error 0x%x at EIP 0x%08x\n", vector, err, eip);
    rt_exit(0x7F);
}

void rt_start(uint32_t magic, struct mb_info *mbi)
{
    uart_init();
    for (unsigned v = 0; v < 32; v++)
        rt_set_gate(v, rt_exc_table[v], 0, 0);
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" :: "m"(d));
    if (magic != 0x2BADB002) {
        rt_printf("bad Multiboot magic 0x%08x\n", magic);
        rt_exit(0x7E);
    }
    rt_exit((uint32_t)main(mbi));
}

/* --- strings --- */
void *memset(void *d, int c, size_t n) { uint8_t *p = d; while (n--) *p++ = (uint8_t)c; return d; }
void *memcpy(void *d, const void *s, size_t n) { uint8_t *a = d; const uint8_t *b = s; while (n--) *a++ = *b++; return d; }
void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *a = d; const uint8_t *b = s;
    if (a < b) while (n--) *a++ = *b++;
    else while (n--) a[n] = b[n];
    return d;
}
int memcmp(const void *x, const void *y, size_t n)
{
    const uint8_t *a = x, *b = y;
    for (; n; n--, a++, b++)
        if (*a != *b) return *a - *b;
    return 0;
}
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
int strcmp(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return (uint8_t)*a - (uint8_t)*b; }
int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b) return (uint8_t)*a - (uint8_t)*b;
        if (!*a) return 0;
    }
    return 0;
}

/* --- formatted output: %d %i %u %x %X %o %c %s %p %%, with l/ll, width, 0 and - --- */
struct out { char *buf; size_t len, pos; };

static void out_c(struct out *o, char c)
{
    if (o->buf) {
        if (o->pos + 1 < o->len) o->buf[o->pos] = c;
    } else {
        rt_putc(c);
    }
    o->pos++;
}

static int fmt(struct out *o, const char *f, va_list ap)
{
    for (; *f; f++) {
        if (*f != '%') { out_c(o, *f); continue; }
        f++;
        int left = 0, zero = 0, width = 0, lng = 0;
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '0') zero = 1;
            else break;
        }
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        while (*f == 'l') { lng++; f++; }
        char tmp[24];
        const char *s = tmp;
        int n = 0, neg = 0;
        unsigned long long u = 0;
        unsigned base = 10;
        switch (*f) {
        case 'd': case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            neg = v < 0;
            u = neg ? -(unsigned long long)v : (unsigned long long)v;
            goto num;
        }
        case 'p': u = (uint32_t)va_arg(ap, void *); base = 16; zero = 1; width = 8; goto num;
        case 'x': case 'X': base = 16; goto unum;
        case 'o': base = 8; goto unum;
        case 'u':
        unum:
            u = lng >= 2 ? va_arg(ap, unsigned long long) : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
        num: {
            const char *dig = *f == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
            char rev[24];
            int k = 0;
            do { rev[k++] = dig[u % base]; u /= base; } while (u);
            if (neg) tmp[n++] = '-';
            while (k) tmp[n++] = rev[--k];
            break;
        }
        case 'c': tmp[0] = (char)va_arg(ap, int); n = 1; break;
        case 's': s = va_arg(ap, const char *); if (!s) s = "(null)"; n = (int)strlen(s); break;
        case '%': tmp[0] = '%'; n = 1; break;
        default: tmp[0] = '%'; tmp[1] = *f; n = 2; if (!*f) f--; break;
        }
        int pad = width > n ? width - n : 0;
        if (!left && zero && s == tmp && neg) { out_c(o, '-'); s++; n--; }
        if (!left) while (pad--) out_c(o, zero ? '0' : ' ');
        for (int i = 0; i < n; i++) out_c(o, s[i]);
        if (left) while (pad-- > 0) out_c(o, ' ');
    }
    return (int)o->pos;
}

int rt_vsnprintf(char *buf, size_t len, const char *f, va_list ap)
{
    struct out o = { buf, len, 0 };
    int n = fmt(&o, f, ap);
    if (len) buf[o.pos < len ? o.pos : len - 1] = 0;
    return n;
}

int rt_snprintf(char *buf, size_t len, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = rt_vsnprintf(buf, len, f, ap);
    va_end(ap);
    return n;
}

int rt_printf(const char *f, ...)
{
    struct out o = { 0, 0, 0 };
    va_list ap;
    va_start(ap, f);
    int n = fmt(&o, f, ap);
    va_end(ap);
    return n;
}
