/* The host's view of the guest kernel's parsers that tests/fuzz compiles
 * for the host (guest/kernel/elf_check.c, guest/mm/swap_header.c,
 * guest/fs/ext2/check.c): their entry points under host-side names, with
 * the layouts the fuzz targets need. The guest's files are compiled in a
 * translation unit of their own with the guest's headers (guest_shim.c);
 * this header keeps the host's headers and the guest's apart. The layouts
 * are checked against the guest's structures there (_Static_assert). */
#ifndef VMSCOPE_TESTS_FUZZ_GUEST_HOST_H
#define VMSCOPE_TESTS_FUZZ_GUEST_HOST_H

#include <stdint.h>

#define GUEST_TASK_SIZE 0xC0000000u
#define GUEST_ELF_MAX_PHNUM 16
#define GUEST_ELF_ET_DYN_BASE 0x80000000u
#define GUEST_PAGE_SIZE 4096u

struct guest_elf_ehdr {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
struct guest_elf_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};
int guest_elf_check_ehdr(const struct guest_elf_ehdr *eh, long n, uint32_t size);
int guest_elf_check_phdrs(const struct guest_elf_ehdr *eh, const struct guest_elf_phdr *ph, uint32_t size);

/* swap: the header page (4096 bytes); 0 = usable. Fills what swapon then
 * uses: last_page, nr_badpages and the offset of the bad-page list. */
int guest_swap_header_check(const void *page, uint32_t part_pages, uint32_t *bad_index);
extern const unsigned guest_swap_max_badpages, guest_swap_badpages_offset;
uint32_t guest_swap_last_page(const void *page);
uint32_t guest_swap_nr_badpages(const void *page);

/* ext2: the geometry ext2_check_super fills. */
struct guest_ext2_geom {
    uint32_t inode_size, first_ino, blocks_per_group, inodes_per_group, first_data_block;
    uint32_t inodes_per_block, desc_per_block, groups_count;
};
/* The super block is the 1024 bytes at SB; 0 = mountable (EXT2_SB_OK). */
int guest_ext2_check_super(const void *sb, uint32_t dev_sectors, struct guest_ext2_geom *g);
int guest_ext2_check_group_desc(const void *sb, const struct guest_ext2_geom *g, uint32_t group,
                                const void *gd);
int guest_ext2_inode_index(const void *sb, const struct guest_ext2_geom *g, uint32_t ino, uint32_t *group,
                           uint32_t *block, uint32_t *offset);
int guest_ext2_dir_entry_ok(const void *de, unsigned off);
uint32_t guest_ext2_sb_blocks_count(const void *sb);
uint32_t guest_ext2_sb_inodes_count(const void *sb);

#endif
