/* libFuzzer target: the guest kernel's ELF checks (guest/kernel/elf_check.c,
 * compiled for the host) on arbitrary files, read the way exec reads them
 * (elf_read_check): the header, then the program headers at e_phoff. When
 * the checks pass, everything exec then does with the headers must be
 * safe: the program headers lie in the file and fit exec's array, every
 * PT_LOAD segment's file bytes lie in the file, it ends below TASK_SIZE
 * (an ET_DYN's after its move to ELF_ET_DYN_BASE too), the segments are in
 * address order and there is one at least (map_segment's arithmetic). A
 * violation aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/guest_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20)
        return 0;
    struct guest_elf_ehdr eh;
    size_t n = size < sizeof eh ? size : sizeof eh;
    memset(&eh, 0, sizeof eh);
    memcpy(&eh, data, n);
    if (guest_elf_check_ehdr(&eh, (long)n, (uint32_t)size))
        return 0;
    size_t bytes = (size_t)eh.e_phnum * sizeof(struct guest_elf_phdr);
    if (eh.e_phnum > GUEST_ELF_MAX_PHNUM || eh.e_phoff > size || bytes > size - eh.e_phoff)
        abort();                        /* exec would read past its array or the file */
    struct guest_elf_phdr *ph = malloc(bytes);    /* exact size: ASan sees overreads */
    memcpy(ph, data + eh.e_phoff, bytes);
    if (guest_elf_check_phdrs(&eh, ph, (uint32_t)size) == 0) {
        uint64_t prev = 0, first = UINT64_MAX, last_end = 0;
        unsigned loads = 0;
        for (unsigned i = 0; i < eh.e_phnum; i++) {
            const struct guest_elf_phdr *p = &ph[i];
            if (p->p_type == 3)
                abort();                /* PT_INTERP is refused */
            if (p->p_type != 1)
                continue;
            uint64_t start = p->p_vaddr & ~0xFFFull, end = ((uint64_t)p->p_vaddr + p->p_memsz + 0xFFF) & ~0xFFFull;
            if ((uint64_t)p->p_offset + p->p_filesz > size || p->p_filesz > p->p_memsz ||
                (uint64_t)p->p_vaddr + p->p_memsz > GUEST_TASK_SIZE || p->p_vaddr < prev ||
                (p->p_offset & 0xFFF) != (p->p_vaddr & 0xFFF))
                abort();
            prev = p->p_vaddr;
            first = start < first ? start : first;
            last_end = end > last_end ? end : last_end;
            loads++;
        }
        if (!loads)
            abort();
        if (eh.e_type == 3 && GUEST_ELF_ET_DYN_BASE + (last_end - first) > GUEST_TASK_SIZE)
            abort();                    /* exec's bias would carry it past TASK_SIZE */
    }
    free(ph);
    return 0;
}
