/* libFuzzer target: vmviz's frame-state model must not crash on any record
 * sequence. The input is read as a header (RAM size, TLB choice) and then
 * records: a kind byte and the bytes of its fields, annotations of any
 * kind and size included; every few records the model is copied (the
 * keyframe path) and the copy replaces it. */
#include "tools/vmviz_model.h"

#include <stdlib.h>
#include <string.h>

static uint32_t take32(const uint8_t **p, const uint8_t *end)
{
    uint32_t v = 0;
    for (int i = 0; i < 4 && *p < end; i++)
        v |= (uint32_t)*(*p)++ << (8 * i);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char *const tlbs[4] = { "", "itlb=8:2,dtlb=8:8,stlb=64:4", "utlb=16:4,policy=plru", "bogus" };
    struct tr_header h;
    memset(&h, 0, sizeof h);
    h.ram_bytes = (uint64_t)(data[0] % 64 + 1) << 12;
    h.cpu_mhz = 100;
    strcpy(h.tlb_spec, tlbs[data[1] & 3]);
    struct vv_model *m = vv_model_new(&h), *copy = vv_model_new(&h);
    if (!m || !copy) {
        vv_model_free(m);
        vv_model_free(copy);
        return 0;
    }
    const uint8_t *p = data + 2, *end = data + size;
    uint64_t event = 0, cycle = 0;
    while (p < end) {
        struct tr_event ev;
        memset(&ev, 0, sizeof ev);
        uint8_t k = *p++;
        ev.kind = k & 7;
        ev.event = event;
        ev.count = (k >> 3 & 3) + 1;
        cycle += k >> 5;
        ev.cycle = cycle;
        ev.pid = take32(&p, end) % 8;
        switch (ev.kind) {
        case TRK_XLATE:
            ev.u.xlate.lin = take32(&p, end);
            ev.u.xlate.phys = take32(&p, end) % (80u << 12);
            ev.u.xlate.kind = p < end ? *p & 7 : 0;
            ev.u.xlate.outcome = p < end ? (*p >> 3) % 5 : 0;
            ev.u.xlate.large = p < end ? *p >> 7 : 0;
            p += p < end;
            break;
        case TRK_WALK:
            ev.u.walk.pte = take32(&p, end);
            ev.u.walk.pte_addr = take32(&p, end);
            ev.u.walk.ad_set = p < end ? *p++ : 0;
            break;
        case TRK_FLUSH:
            ev.u.flush.kind = p < end ? *p++ % 4 : 0;
            ev.u.flush.addr = take32(&p, end);
            break;
        case TRK_ANNOT: {
            size_t n = p < end ? *p++ % (ANNOT_MAX_SIZE + 1) : 0;
            if (n > (size_t)(end - p))
                n = (size_t)(end - p);
            memcpy(ev.u.annot.rec, p, n);
            p += n;
            /* mostly well-formed: a known kind with its own size */
            if (n >= 4 && ev.u.annot.rec[1] == 0 && ev.u.annot.rec[0] < ANNOT_KIND_COUNT && (ev.u.annot.rec[2] & 1)) {
                static const uint16_t sizes[] = ANNOT_SIZES;
                ev.u.annot.rec[2] = (uint8_t)sizes[ev.u.annot.rec[0]];
                ev.u.annot.rec[3] = 0;
            }
            ev.u.annot.kind = (uint16_t)(ev.u.annot.rec[0] | ev.u.annot.rec[1] << 8);
            ev.u.annot.size = (uint16_t)(ev.u.annot.rec[2] | ev.u.annot.rec[3] << 8);
            break;
        }
        default:
            break;
        }
        vv_model_apply(m, &ev);
        event += ev.count;
        if ((event & 15) == 0 && vv_model_copy(copy, m)) {
            struct vv_model *t = m;
            m = copy;
            copy = t;
        }
    }
    for (unsigned a = 0; a < VV_NARROWS; a++)
        (void)vv_model_rate(m, a);
    uint64_t total = 0;
    for (unsigned s = 0; s < VV_NSTATES; s++)
        total += m->count[s];
    if (total != m->nframes)
        abort();            /* the states always cover every frame once */
    vv_model_free(m);
    vv_model_free(copy);
    return 0;
}
