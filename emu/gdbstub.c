/* GDB remote stub (see gdbstub.h). Packets are parsed with explicit bounds:
 * a malformed or hostile packet gets an error reply, never a crash. */
#include "emu/gdbstub.h"
#include "emu/inspect.h"
#include "emu/machine.h"
#include "trace/hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define GDB_MAX_BP 64
#define GDB_PKT_MAX 16384
#define GDB_SLICE 200000        /* cycles between looks at the socket */

/* Z packet types: breakpoints are checked by the stub between instructions;
 * watchpoints are the MMU's (mmu_watch_add), which pauses the run after the
 * instruction that touched the range. */
enum bp_type { BP_SW = 0, BP_HW = 1, WP_WRITE = 2, WP_READ = 3, WP_ACCESS = 4 };

struct gdb_bp {
    uint32_t addr;
    uint8_t type, len;
};

struct gdbstub {
    int lfd, cfd;               /* listening and client sockets, -1 if none */
    struct gdb_bp bp[GDB_MAX_BP];
    unsigned nbp;
    char in[GDB_PKT_MAX];       /* incoming bytes not yet consumed */
    size_t inlen;
    char stop_reason[96];       /* extra fields of the last stop reply */
    int resume;                 /* 0 stopped, 'c' continue, 's' step */
    bool killed;
};

static const char target_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target><architecture>i386</architecture>"
    "<feature name=\"org.gnu.gdb.i386.core\">"
    "<reg name=\"eax\" bitsize=\"32\" type=\"int32\" regnum=\"0\"/>"
    "<reg name=\"ecx\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"edx\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ebx\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"esp\" bitsize=\"32\" type=\"data_ptr\"/>"
    "<reg name=\"ebp\" bitsize=\"32\" type=\"data_ptr\"/>"
    "<reg name=\"esi\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"edi\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"eip\" bitsize=\"32\" type=\"code_ptr\"/>"
    "<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "</feature>"
    "<feature name=\"org.vmscope.i386.sys\">"
    "<reg name=\"cr0\" bitsize=\"32\" type=\"int32\" group=\"system\"/>"
    "<reg name=\"cr2\" bitsize=\"32\" type=\"int32\" group=\"system\"/>"
    "<reg name=\"cr3\" bitsize=\"32\" type=\"int32\" group=\"system\"/>"
    "<reg name=\"cr4\" bitsize=\"32\" type=\"int32\" group=\"system\"/>"
    "</feature></target>";

/* Register numbers: 0-7 GPRs, 8 EIP, 9 EFLAGS, 10-15 CS SS DS ES FS GS,
 * 16-23 st0-7 (10 bytes), 24-31 x87 control (4 bytes), 32-35 CR0 CR2 CR3 CR4. */
#define NREGS 36
static const uint8_t seg_order[6] = { S_CS, S_SS, S_DS, S_ES, S_FS, S_GS };

static unsigned reg_size(unsigned r) { return r >= 16 && r < 24 ? 10 : 4; }

static bool reg_read(struct machine *m, unsigned r, uint32_t *v)
{
    struct cpu *c = &m->cpu;
    if (r < 8) *v = c->r[r];
    else if (r == 8) *v = c->eip;
    else if (r == 9) *v = cpu_get_eflags(m);
    else if (r < 16) *v = c->seg[seg_order[r - 10]].sel;
    else if (r < 24) *v = (uint32_t)c->fpu.st[(c->fpu.top + r - 16) & 7].sig;  /* low bytes; reg_bytes has all */
    else if (r == 24) *v = c->fpu.cw;
    else if (r == 25) *v = fpu_status_word(&c->fpu);
    else if (r == 26) *v = fpu_tag_word(&c->fpu);
    else if (r == 27) *v = c->fpu.fcs;
    else if (r == 28) *v = c->fpu.fip;
    else if (r == 29) *v = c->fpu.fds;
    else if (r == 30) *v = c->fpu.fdp;
    else if (r == 31) *v = c->fpu.fop;
    else if (r == 32) *v = m->mmu.cr0;
    else if (r == 33) *v = c->cr2;
    else if (r == 34) *v = m->mmu.cr3;
    else if (r == 35) *v = m->mmu.cr4;
    else return false;
    return true;
}

/* Only what can change without a descriptor load or a mode switch. */
static bool reg_write(struct machine *m, unsigned r, uint32_t v)
{
    struct cpu *c = &m->cpu;
    if (r < 8) c->r[r] = v;
    else if (r == 8) c->eip = v;
    else if (r == 9) { c->eflags = (v & 0x003F7FD5u) | 2; c->lf_op = 0; }
    else if (r == 33) c->cr2 = v;
    else if (r >= 16 && r < 32) ;  /* x87: read-only here */
    else return false;
    return true;
}

static int unhex(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* A register value as GDB sends it: 8 hex digits, least significant byte first. */
static bool hex_le32(const char *h, uint32_t *out)
{
    uint32_t x = 0;
    for (int i = 3; i >= 0; i--) {
        int hi = unhex(h[2 * i]), lo = unhex(h[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        x = x << 8 | (uint32_t)(hi << 4 | lo);
    }
    *out = x;
    return true;
}

/* Parse hex up to a delimiter; returns chars consumed (0 = none / overflow). */
static size_t parse_hex(const char *p, size_t len, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < len && unhex(p[i]) >= 0; i++) {
        v = v * 16 + (uint64_t)unhex(p[i]);
        if (v > 0xFFFFFFFFu)
            return 0;
    }
    *out = (uint32_t)v;
    return i;
}

/* Output buffer that never overflows: what does not fit is cut off, and
 * the text is always terminated (CAP is at least 1). */
struct obuf { char *p; size_t len, cap; };
static void put(struct obuf *o, const char *s, size_t n)
{
    size_t room = o->len + 1 < o->cap ? o->cap - 1 - o->len : 0;
    if (n > room)
        n = room;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}
static void puts_(struct obuf *o, const char *s) { put(o, s, strlen(s)); }
/* N bytes as hex, a block at a time (one put per byte made long replies,
 * such as monitor output, the stub's slowest path). */
static void put_hex(struct obuf *o, const uint8_t *b, size_t n)
{
    char t[256];
    while (n) {
        size_t k = n < sizeof t / 2 ? n : sizeof t / 2;
        put(o, t, hex_encode(t, b, k));
        b += k;
        n -= k;
    }
}
/* Register R as GDB's i386 description sends it: st0-st7 are the 80-bit
 * registers in stack order, the rest 32 bits, little-endian. */
static void put_reg(struct obuf *o, struct machine *m, unsigned r)
{
    uint8_t b[10];
    if (r >= 16 && r < 24) {
        const struct fx80 *x = &m->cpu.fpu.st[(m->cpu.fpu.top + r - 16) & 7];
        for (unsigned i = 0; i < 8; i++)
            b[i] = (uint8_t)(x->sig >> (8 * i));
        b[8] = (uint8_t)x->se;
        b[9] = (uint8_t)(x->se >> 8);
    } else {
        uint32_t v = 0;
        reg_read(m, r, &v);
        for (unsigned i = 0; i < 4; i++)
            b[i] = (uint8_t)(v >> (8 * i));
    }
    put_hex(o, b, reg_size(r));
}

/* Debugger memory access: linear through the page tables, no side effects. */
static bool dbg_phys(struct machine *m, uint32_t lin, uint32_t *p)
{
    return mmu_probe(m, lin, MMU_READ, 0, p) && *p < m->bus.ram_size;
}

static bool dbg_read(struct machine *m, uint32_t lin, uint8_t *b)
{
    uint32_t p;
    if (!dbg_phys(m, lin, &p))
        return false;
    *b = m->bus.ram[p];
    return true;
}

static unsigned watch_kinds(unsigned type)
{
    return type == WP_WRITE ? MMU_WATCH_WRITE : type == WP_READ ? MMU_WATCH_READ
                                                                : MMU_WATCH_READ | MMU_WATCH_WRITE;
}

static bool is_watch(unsigned type) { return type >= WP_WRITE; }

static bool bp_insert(struct machine *m, struct gdbstub *g, unsigned type, uint32_t addr, uint32_t len)
{
    if (is_watch(type) && (len == 0 || len > 4096))
        return false;
    for (unsigned i = 0; i < g->nbp; i++)
        if (g->bp[i].type == type && g->bp[i].addr == addr)
            return true;
    if (g->nbp >= GDB_MAX_BP)
        return false;
    if (is_watch(type) && !mmu_watch_add(m, addr, len, watch_kinds(type)))
        return false;
    g->bp[g->nbp++] = (struct gdb_bp){ addr, (uint8_t)type, (uint8_t)(len > 255 ? 255 : len) };
    return true;
}

static bool bp_remove(struct machine *m, struct gdbstub *g, unsigned type, uint32_t addr)
{
    for (unsigned i = 0; i < g->nbp; i++)
        if (g->bp[i].type == type && g->bp[i].addr == addr) {
            if (is_watch(type))
                mmu_watch_remove(m, addr, watch_kinds(type));
            g->bp[i] = g->bp[--g->nbp];
            return true;
        }
    return false;
}

/* Breakpoints only: watchpoints need no stepping. */
static unsigned count_breakpoints(const struct gdbstub *g)
{
    unsigned n = 0;
    for (unsigned i = 0; i < g->nbp; i++)
        n += !is_watch(g->bp[i].type);
    return n;
}

static void clear_all(struct machine *m, struct gdbstub *g)
{
    while (g->nbp)
        bp_remove(m, g, g->bp[0].type, g->bp[0].addr);
}

static void monitor(struct machine *m, const char *cmd, struct obuf *o)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    if (!f) {
        puts_(o, "E01");
        return;
    }
    if (strcmp(cmd, "help") == 0)
        fprintf(f, "monitor commands: regs, pagetables, tlb, phys, mem ADDR LEN, physmem ADDR LEN\n");
    else
        inspect_command(m, f, cmd);
    fclose(f);
    /* console output as hex, in one reply (GDB prints the decoded text) */
    size_t n = tlen < (o->cap - 2) / 2 ? tlen : (o->cap - 2) / 2;
    put_hex(o, (const uint8_t *)text, n);
    free(text);
}

bool gdb_handle_packet(struct machine *m, struct gdbstub *g, const char *pkt, size_t len,
                       char *out, size_t outlen)
{
    struct obuf o = { out, 0, outlen };
    out[0] = 0;
    if (len == 0)
        return true;
    uint32_t a, l;
    size_t k;
    switch (pkt[0]) {
    case '?':
        puts_(&o, "S05");
        return true;
    case 'g':
        for (unsigned r = 0; r < NREGS; r++)
            put_reg(&o, m, r);
        return true;
    case 'G': {
        size_t pos = 1;
        for (unsigned r = 0; r < 16 && pos + 8 <= len; r++, pos += 8) {
            uint32_t x;
            if (!hex_le32(pkt + pos, &x)) { puts_(&o, "E01"); return true; }
            uint32_t cur;
            reg_read(m, r, &cur);
            if (x != cur && !reg_write(m, r, x)) { puts_(&o, "E01"); return true; }
        }
        puts_(&o, "OK");
        return true;
    }
    case 'p':
        if (!(k = parse_hex(pkt + 1, len - 1, &a)) || k + 1 != len || a >= NREGS) { puts_(&o, "E01"); return true; }
        put_reg(&o, m, a);
        return true;
    case 'P': {
        k = parse_hex(pkt + 1, len - 1, &a);
        if (!k || 1 + k >= len || pkt[1 + k] != '=' || a >= NREGS) { puts_(&o, "E01"); return true; }
        const char *h = pkt + 2 + k;
        size_t hl = len - 2 - k;
        uint32_t x;
        if (hl < 8 || !hex_le32(h, &x)) { puts_(&o, "E01"); return true; }
        puts_(&o, reg_write(m, a, x) ? "OK" : "E01");
        return true;
    }
    case 'm': {
        k = parse_hex(pkt + 1, len - 1, &a);
        if (!k || 1 + k >= len || pkt[1 + k] != ',') { puts_(&o, "E01"); return true; }
        size_t k2 = parse_hex(pkt + 2 + k, len - 2 - k, &l);
        if (!k2 || 2 + k + k2 != len || l > (outlen - 1) / 2) { puts_(&o, "E01"); return true; }
        uint8_t b[128];
        size_t nb = 0;
        for (uint32_t i = 0; i < l; i++) {
            if (!dbg_read(m, a + i, &b[nb])) {
                put_hex(&o, b, nb);
                if (i == 0) puts_(&o, "E14");
                return true;
            }
            if (++nb == sizeof b) {
                put_hex(&o, b, nb);
                nb = 0;
            }
        }
        put_hex(&o, b, nb);
        return true;
    }
    case 'M': {
        k = parse_hex(pkt + 1, len - 1, &a);
        if (!k || 1 + k >= len || pkt[1 + k] != ',') { puts_(&o, "E01"); return true; }
        size_t k2 = parse_hex(pkt + 2 + k, len - 2 - k, &l);
        size_t data = 2 + k + k2 + 1;
        if (!k2 || data > len || pkt[data - 1] != ':' || (len - data) != 2 * (size_t)l) { puts_(&o, "E01"); return true; }
        for (uint32_t i = 0; i < l; i++) {
            int hi = unhex(pkt[data + 2 * i]), lo = unhex(pkt[data + 2 * i + 1]);
            uint32_t p;
            if (hi < 0 || lo < 0 || !dbg_phys(m, a + i, &p)) { puts_(&o, "E14"); return true; }
            bus_write(m, p, 1, (uint32_t)(hi << 4 | lo));    /* drops decoded code there */
        }
        puts_(&o, "OK");
        return true;
    }
    case 'Z': case 'z': {
        /* Ztype,addr,kind */
        if (len < 5 || pkt[2] != ',') { puts_(&o, "E01"); return true; }
        unsigned type = (unsigned)(pkt[1] - '0');
        k = parse_hex(pkt + 3, len - 3, &a);
        if (!k || 3 + k >= len || pkt[3 + k] != ',' || !parse_hex(pkt + 4 + k, len - 4 - k, &l)) { puts_(&o, "E01"); return true; }
        if (type > WP_ACCESS)
            return true;        /* unknown type: empty reply */
        if (pkt[0] == 'Z')
            puts_(&o, bp_insert(m, g, type, a, l) ? "OK" : "E02");
        else
            puts_(&o, bp_remove(m, g, type, a) ? "OK" : "E03");
        return true;
    }
    case 'c':
        g->resume = 'c';
        return false;
    case 's':
        g->resume = 's';
        return false;
    case 'k':
        g->killed = true;
        return false;
    case 'D':
        puts_(&o, "OK");
        clear_all(m, g);
        return true;
    case 'H':
        puts_(&o, "OK");
        return true;
    case 'T':
        puts_(&o, "OK");
        return true;
    case 'v':
        if (len >= 6 && memcmp(pkt, "vCont?", 6) == 0) {
            puts_(&o, "vCont;c;C;s;S");
            return true;
        }
        if (len > 6 && memcmp(pkt, "vCont;", 6) == 0) {
            char act = pkt[6];
            if (act == 'c' || act == 'C') { g->resume = 'c'; return false; }
            if (act == 's' || act == 'S') { g->resume = 's'; return false; }
            puts_(&o, "E01");
            return true;
        }
        if (len >= 5 && memcmp(pkt, "vKill", 5) == 0) {
            g->killed = true;
            puts_(&o, "OK");
            return false;
        }
        return true;    /* vMustReplyEmpty and others: empty */
    case 'q': {
        if (len >= 10 && memcmp(pkt, "qSupported", 10) == 0) {
            puts_(&o, "PacketSize=3fff;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+");
            return true;
        }
        if (len == 8 && memcmp(pkt, "qAttached", 8) == 0) { puts_(&o, "1"); return true; }
        if (len == 9 && memcmp(pkt, "qAttached", 9) == 0) { puts_(&o, "1"); return true; }
        if (len == 2 && pkt[1] == 'C') { puts_(&o, "QC1"); return true; }
        if (len == 12 && memcmp(pkt, "qfThreadInfo", 12) == 0) { puts_(&o, "m1"); return true; }
        if (len == 12 && memcmp(pkt, "qsThreadInfo", 12) == 0) { puts_(&o, "l"); return true; }
        static const char xfer[] = "qXfer:features:read:target.xml:";
        if (len > sizeof xfer - 1 && memcmp(pkt, xfer, sizeof xfer - 1) == 0) {
            const char *p = pkt + sizeof xfer - 1;
            size_t rest = len - (sizeof xfer - 1);
            k = parse_hex(p, rest, &a);
            if (!k || k >= rest || p[k] != ',' || !parse_hex(p + k + 1, rest - k - 1, &l)) { puts_(&o, "E01"); return true; }
            size_t total = sizeof target_xml - 1;
            if (a >= total) { puts_(&o, "l"); return true; }
            size_t n = total - a;
            if (n > l) n = l;
            if (n > outlen - 2) n = outlen - 2;
            puts_(&o, a + n >= total ? "l" : "m");
            put(&o, target_xml + a, n);
            return true;
        }
        if (len > 6 && memcmp(pkt, "qRcmd,", 6) == 0) {
            char cmd[256];
            size_t hl = len - 6, n = 0;
            for (size_t i = 0; i + 2 <= hl && n + 1 < sizeof cmd; i += 2) {
                int hi = unhex(pkt[6 + i]), lo = unhex(pkt[7 + i]);
                if (hi < 0 || lo < 0) { puts_(&o, "E01"); return true; }
                cmd[n++] = (char)(hi << 4 | lo);
            }
            cmd[n] = 0;
            monitor(m, cmd, &o);
            return true;
        }
        return true;    /* unknown query: empty reply */
    }
    default:
        return true;    /* unsupported packet: empty reply */
    }
}

/* ---- transport ---- */

static bool send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool send_packet(struct gdbstub *g, const char *payload)
{
    size_t n = strlen(payload);
    char *buf = malloc(n + 5);
    if (!buf)
        return false;
    unsigned sum = 0;
    buf[0] = '$';
    for (size_t i = 0; i < n; i++) {
        buf[1 + i] = payload[i];
        sum += (uint8_t)payload[i];
    }
    buf[n + 1] = '#';
    hex_encode(buf + n + 2, &(uint8_t){ (uint8_t)sum }, 1);
    bool ok = send_all(g->cfd, buf, n + 4);
    free(buf);
    return ok;
}

static void drop_client(struct machine *m, struct gdbstub *g)
{
    if (g->cfd >= 0)
        close(g->cfd);
    g->cfd = -1;
    g->inlen = 0;
    clear_all(m, g);
}

/* Read more bytes; WAIT_MS < 0 blocks. Returns false when the client is gone. */
static bool fill(struct gdbstub *g, int wait_ms)
{
    struct pollfd p = { g->cfd, POLLIN, 0 };
    int r = poll(&p, 1, wait_ms);
    if (r <= 0)
        return r == 0 || errno == EINTR;
    if (g->inlen >= sizeof g->in)
        g->inlen = 0;   /* a packet larger than any we accept: drop it */
    ssize_t n = recv(g->cfd, g->in + g->inlen, sizeof g->in - g->inlen, 0);
    if (n <= 0)
        return false;
    g->inlen += (size_t)n;
    return true;
}

static void consume(struct gdbstub *g, size_t n)
{
    memmove(g->in, g->in + n, g->inlen - n);
    g->inlen -= n;
}

/* Extract one packet into PKT. Returns its length, -1 if none complete yet,
 * -2 for an interrupt (Ctrl-C, 0x03). */
static long next_packet(struct gdbstub *g, char *pkt, size_t cap)
{
    for (;;) {
        size_t i = 0;
        while (i < g->inlen && g->in[i] != '$' && g->in[i] != 0x03)
            i++;                /* acks '+'/'-' and noise are skipped */
        consume(g, i);
        if (g->inlen == 0)
            return -1;
        if (g->in[0] == 0x03) {
            consume(g, 1);
            return -2;
        }
        char *hash = memchr(g->in, '#', g->inlen);
        if (!hash || (size_t)(hash - g->in) + 3 > g->inlen)
            return -1;
        size_t plen = (size_t)(hash - g->in) - 1;
        unsigned sum = 0;
        for (size_t k = 0; k < plen; k++)
            sum += (uint8_t)g->in[1 + k];
        int hi = unhex(hash[1]), lo = unhex(hash[2]);
        bool good = hi >= 0 && lo >= 0 && (unsigned)(hi << 4 | lo) == (sum & 0xFF) && plen < cap;
        if (good) {
            memcpy(pkt, g->in + 1, plen);
            pkt[plen] = 0;
        }
        consume(g, plen + 4);
        send_all(g->cfd, good ? "+" : "-", 1);
        if (good)
            return (long)plen;
    }
}

struct gdbstub *gdb_new_detached(void)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (g)
        g->lfd = g->cfd = -1;
    return g;
}

struct gdbstub *gdb_listen(uint16_t port, char *err, unsigned errlen)
{
    struct gdbstub *g = gdb_new_detached();
    if (!g) {
        snprintf(err, errlen, "--gdb: out of memory");
        return NULL;
    }
    g->lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (g->lfd < 0 || setsockopt(g->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(g->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(g->lfd, 1) < 0) {
        snprintf(err, errlen, "--gdb: cannot listen on 127.0.0.1:%u: %s", port, strerror(errno));
        gdb_free(g);
        return NULL;
    }
    return g;
}

void gdb_free(struct gdbstub *g)
{
    if (!g)
        return;
    if (g->cfd >= 0) close(g->cfd);
    if (g->lfd >= 0) close(g->lfd);
    free(g);
}

static bool try_accept(struct gdbstub *g, int wait_ms)
{
    struct pollfd p = { g->lfd, POLLIN, 0 };
    if (poll(&p, 1, wait_ms) <= 0)
        return false;
    g->cfd = accept(g->lfd, NULL, NULL);
    if (g->cfd < 0)
        return false;
    int one = 1;
    setsockopt(g->cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g->inlen = 0;
    return true;
}

static uint32_t linear_eip(struct machine *m)
{
    return m->cpu.seg[S_CS].base + m->cpu.eip;
}

/* Between instructions: did a watchpoint trigger, or is EIP on a breakpoint? */
static bool check_stops(struct machine *m, struct gdbstub *g)
{
    if (m->mmu.watch_hit) {
        m->mmu.watch_hit = false;
        bool both = false;
        for (unsigned i = 0; i < g->nbp; i++)
            both |= g->bp[i].type == WP_ACCESS && g->bp[i].addr == m->mmu.watch_addr;
        snprintf(g->stop_reason, sizeof g->stop_reason, "%s:%x;",
                 both ? "awatch" : m->mmu.watch_kind == MMU_WATCH_WRITE ? "watch" : "rwatch",
                 m->mmu.watch_addr);
        return true;
    }
    uint32_t eip = linear_eip(m);
    for (unsigned i = 0; i < g->nbp; i++) {
        const struct gdb_bp *b = &g->bp[i];
        if (!is_watch(b->type) && b->addr == eip) {
            snprintf(g->stop_reason, sizeof g->stop_reason, b->type == BP_SW ? "swbreak:;" : "hwbreak:;");
            return true;
        }
    }
    return false;
}

static void send_stop(struct machine *m, struct gdbstub *g, int sig)
{
    char r[160];
    snprintf(r, sizeof r, "T%02xthread:1;%s", sig, g->stop_reason);
    g->stop_reason[0] = 0;
    send_packet(g, r);
}

int gdb_run(struct machine *m, struct gdbstub *g, bool wait, volatile sig_atomic_t *sig)
{
    char *pkt = malloc(GDB_PKT_MAX), *reply = malloc(GDB_PKT_MAX);
    if (!pkt || !reply) {
        free(pkt); free(reply);
        machine_stop(m, STOP_HOST_ERROR, 2, "gdb stub: out of memory");
        return m->exit_status;
    }
    bool stopped = false;
    if (wait) {
        fprintf(stderr, "vmscope: waiting for gdb on 127.0.0.1 (target remote)\n");
        while (!try_accept(g, 200))
            if (sig && *sig) {
                machine_stop(m, STOP_SIGNAL, 10, "ended by a signal while waiting for gdb");
                goto out;
            }
        stopped = true;
    }
    while (m->stop == STOP_NONE && !g->killed) {
        if (g->cfd < 0 && try_accept(g, 0))
            stopped = true;     /* a debugger attached: stop, it asks '?' first */
        if (stopped) {
            long n = next_packet(g, pkt, GDB_PKT_MAX);
            if (n == -1) {
                if (!fill(g, 200)) { drop_client(m, g); stopped = false; }
                else if (sig && *sig) machine_run_until(m, sig, m->clock.cycles); /* records the signal */
                continue;
            }
            if (n == -2)
                continue;       /* already stopped */
            g->resume = 0;
            if (gdb_handle_packet(m, g, pkt, (size_t)n, reply, GDB_PKT_MAX)) {
                send_packet(g, reply);
                if (pkt[0] == 'D') { drop_client(m, g); stopped = false; }
                continue;
            }
            if (g->killed)
                break;
            stopped = false;
            if (g->resume == 's') {
                machine_run_until(m, sig, m->clock.cycles + 1);
                if (m->stop == STOP_NONE) {
                    check_stops(m, g);
                    g->stop_reason[0] = 0;
                    send_stop(m, g, 5);
                    stopped = true;
                }
                continue;
            }
            /* continue: the first instruction runs even if a breakpoint is on it */
            machine_run_until(m, sig, m->clock.cycles + 1);
            if (m->stop == STOP_NONE && g->nbp && check_stops(m, g)) {
                send_stop(m, g, 5);
                stopped = true;
            }
            continue;
        }
        /* running */
        if (g->cfd >= 0) {
            if (!fill(g, 0)) { drop_client(m, g); continue; }
            long n = next_packet(g, pkt, GDB_PKT_MAX);
            if (n == -2) {
                send_stop(m, g, 2);     /* SIGINT */
                stopped = true;
                continue;
            }
        }
        bool hit = false;
        if (count_breakpoints(g)) {
            uint64_t end = m->clock.cycles + GDB_SLICE / 8;
            while (m->stop == STOP_NONE && m->clock.cycles < end)
                if (machine_run_until(m, sig, m->clock.cycles + 1) || (hit = check_stops(m, g)))
                    break;
        } else {
            machine_run_until(m, sig, m->clock.cycles + GDB_SLICE);
            hit = m->stop == STOP_NONE && check_stops(m, g);    /* a watchpoint paused the run */
        }
        if (hit) {
            send_stop(m, g, 5);
            stopped = true;
        }
    }
    if (g->killed && m->stop == STOP_NONE)
        machine_stop(m, STOP_SIGNAL, 10, "killed by the debugger");
    if (g->cfd >= 0 && !g->killed) {
        char r[16];
        snprintf(r, sizeof r, "W%02x", m->exit_status & 0xFF);
        send_packet(g, r);
    }
out:
    free(pkt);
    free(reply);
    return m->exit_status;
}
