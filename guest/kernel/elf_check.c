/* exec's checks of an ELF file's headers (see elf_check.h). Arithmetic is
 * in u32, the width of the guest's unsigned long, so the checks decide the
 * same when tests/fuzz compiles this file for a 64-bit host. */
#include <kernel.h>
#include <elf_check.h>
#include <page.h>

int elf_check_ehdr(const Elf32_Ehdr *eh, long n, u32 size)
{
    if (n < (long)sizeof *eh || memcmp(eh->e_ident, "\177ELF", 4) || eh->e_ident[4] != 1 ||
        eh->e_ident[5] != 1 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
        eh->e_machine != EM_386 || eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
        eh->e_phnum > ELF_MAX_PHNUM || eh->e_phoff > size ||
        (u32)(eh->e_phnum * sizeof(Elf32_Phdr)) > size - eh->e_phoff)
        return -ENOEXEC;
    return 0;
}

int elf_check_phdrs(const Elf32_Ehdr *eh, const Elf32_Phdr *ph, u32 size)
{
    int loads = 0;
    u32 prev = 0, first = ~0u, last_end = 0;
    for (int i = 0; i < eh->e_phnum; i++, ph++) {
        if (ph->p_type == PT_INTERP)
            return ELF_CHECK_INTERP;
        if (ph->p_type != PT_LOAD)
            continue;
        if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
            ph->p_filesz > size - ph->p_offset || ph->p_vaddr >= (u32)TASK_SIZE ||
            ph->p_memsz > (u32)TASK_SIZE - ph->p_vaddr ||
            (ph->p_offset & (u32)~PAGE_MASK) != (ph->p_vaddr & (u32)~PAGE_MASK) ||
            ph->p_vaddr < prev)
            return -ENOEXEC;            /* also: PT_LOADs in address order, as the ABI requires */
        prev = ph->p_vaddr;
        first = first < (ph->p_vaddr & (u32)PAGE_MASK) ? first : (ph->p_vaddr & (u32)PAGE_MASK);
        u32 end = (u32)PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
        last_end = last_end > end ? last_end : end;
        loads++;
    }
    if (!loads)
        return -ENOEXEC;
    /* ET_DYN is moved to ELF_ET_DYN_BASE: all of it must still end below TASK_SIZE */
    if (eh->e_type == ET_DYN && last_end - first > (u32)TASK_SIZE - (u32)ELF_ET_DYN_BASE)
        return -ENOEXEC;
    return 0;
}
