/* The coprocessor-error latch at port 0xF0 (see ferr.h). */
#include "devices/ferr.h"
#include "emu/machine.h"

static void ferr_clear_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct ferr *f = dev;
    f->line = false;
    pic_set_irq(m, 13, false);
}

void ferr_init(struct machine *m, struct ferr *f)
{
    f->line = false;
    f->asserts = 0;
    bus_register_pio(&m->bus, 0xF0, 1, PIO_W8, f, NULL, ferr_clear_write);
}

void ferr_assert(struct machine *m, struct ferr *f)
{
    f->asserts++;
    f->line = true;
    pic_set_irq(m, 13, true);
}
