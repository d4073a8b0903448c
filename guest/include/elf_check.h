/* The checks exec makes on an ELF file's headers, as pure functions of the
 * bytes read (guest/kernel/elf_check.c), so that tests/fuzz can run them on
 * the host against hostile files. */
#ifndef VMSCOPE_GUEST_ELF_CHECK_H
#define VMSCOPE_GUEST_ELF_CHECK_H

#include <elf.h>

#define ELF_MAX_PHNUM 16        /* program headers exec accepts */
#define ELF_ET_DYN_BASE 0x80000000UL    /* where ET_DYN loads (2.4: TASK_SIZE / 3 * 2) */
#define ELF_CHECK_INTERP 1      /* elf_check_phdrs: a PT_INTERP (dynamically linked) */

/* Check the ELF header EH, of which N bytes were read, of a file of SIZE
 * bytes: an i386 ET_EXEC or ET_DYN with 1..ELF_MAX_PHNUM program headers that lie in
 * the file. Returns 0 or -ENOEXEC. */
int elf_check_ehdr(const Elf32_Ehdr *eh, long n, u32 size);
/* Check the program headers PH[0..eh->e_phnum) of a file of SIZE bytes
 * whose header passed elf_check_ehdr: each PT_LOAD segment lies in the file
 * and below TASK_SIZE, with p_filesz <= p_memsz and matching page offsets,
 * the PT_LOADs are in address order, there is at least one, and an ET_DYN's
 * span fits between ELF_ET_DYN_BASE and TASK_SIZE. 0, -ENOEXEC, or
 * ELF_CHECK_INTERP for a program with a PT_INTERP (exec names it and refuses
 * it). */
int elf_check_phdrs(const Elf32_Ehdr *eh, const Elf32_Phdr *ph, u32 size);

#endif
