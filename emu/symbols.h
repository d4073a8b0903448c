/* ELF symbol tables of the images a machine loads (kernel, modules, and later
 * the user programs the guest names through annotations), for printing
 * addresses as function+offset in --itrace, fault messages, triple-fault
 * dumps and the trace. */
#ifndef VMSCOPE_EMU_SYMBOLS_H
#define VMSCOPE_EMU_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbol {
    uint32_t addr;      /* st_value (a virtual address, as linked) */
    uint32_t size;      /* st_size; 0 = up to the next symbol */
    const char *name;   /* into the table's string storage */
};

struct symtab {
    struct symbol *sym;     /* sorted by addr */
    size_t n, cap;
    char **strings;         /* string blocks owned by the table */
    size_t nstrings;
};

struct symtab *symtab_new(void);
void symtab_free(struct symtab *t);
/* Add the FUNC and OBJECT symbols of an ELF32 image in BUF. Returns the number
 * added (0 when the image has no symbol table; never fails on bad input). */
size_t symtab_add_elf(struct symtab *t, const uint8_t *buf, size_t len);
/* The same for the ELF file at PATH (mapped, not copied). Returns the number
 * added; 0 when it cannot be read or has no symbol table. */
size_t symtab_add_elf_file(struct symtab *t, const char *path);
/* The symbol containing ADDR, or NULL. *OFF gets ADDR - symbol address. */
const struct symbol *symtab_lookup(const struct symtab *t, uint32_t addr, uint32_t *off);
/* "name+0x1c" or "0x00101234" into BUF; returns BUF. */
const char *symtab_format(const struct symtab *t, uint32_t addr, char *buf, size_t len);

#endif
