/* The guest kernel's parsers compiled for the host (see guest_host.h):
 * this file includes the guest's headers only (with -I guest/include), and
 * the guest's own .c files are built beside it, unchanged. */
#include <kernel.h>
#include <elf.h>
#include <elf_check.h>
#include <swap.h>
#include <ext2_fs.h>
#include "guest/fs/ext2/check.h"

#include "tests/fuzz/guest_host.h"

_Static_assert(sizeof(struct guest_elf_ehdr) == sizeof(Elf32_Ehdr), "Elf32_Ehdr layout");
_Static_assert(sizeof(struct guest_elf_phdr) == sizeof(Elf32_Phdr), "Elf32_Phdr layout");
_Static_assert(GUEST_ELF_MAX_PHNUM == ELF_MAX_PHNUM, "exec's program header limit");
_Static_assert(GUEST_ELF_ET_DYN_BASE == ELF_ET_DYN_BASE, "where exec loads ET_DYN");
_Static_assert(sizeof(union swap_header) == GUEST_PAGE_SIZE, "the swap header is a page");
_Static_assert(GUEST_TASK_SIZE == (u32)TASK_SIZE, "TASK_SIZE");

int guest_elf_check_ehdr(const struct guest_elf_ehdr *eh, long n, uint32_t size)
{
    return elf_check_ehdr((const Elf32_Ehdr *)eh, n, size);
}

int guest_elf_check_phdrs(const struct guest_elf_ehdr *eh, const struct guest_elf_phdr *ph, uint32_t size)
{
    return elf_check_phdrs((const Elf32_Ehdr *)eh, (const Elf32_Phdr *)ph, size);
}

int guest_swap_header_check(const void *page, uint32_t part_pages, uint32_t *bad_index)
{
    return swap_header_check(page, part_pages, bad_index);
}

const unsigned guest_swap_max_badpages = MAX_SWAP_BADPAGES;
const unsigned guest_swap_badpages_offset = offsetof(union swap_header, info.badpages);
uint32_t guest_swap_last_page(const void *page) { return ((const union swap_header *)page)->info.last_page; }
uint32_t guest_swap_nr_badpages(const void *page) { return ((const union swap_header *)page)->info.nr_badpages; }

static void geom_out(const struct ext2_sb_info *sbi, struct guest_ext2_geom *g)
{
    g->inode_size = (uint32_t)sbi->s_inode_size;
    g->first_ino = (uint32_t)sbi->s_first_ino;
    g->blocks_per_group = (uint32_t)sbi->s_blocks_per_group;
    g->inodes_per_group = (uint32_t)sbi->s_inodes_per_group;
    g->first_data_block = (uint32_t)sbi->s_first_data_block;
    g->inodes_per_block = (uint32_t)sbi->s_inodes_per_block;
    g->desc_per_block = (uint32_t)sbi->s_desc_per_block;
    g->groups_count = (uint32_t)sbi->s_groups_count;
}

static void geom_in(const struct guest_ext2_geom *g, struct ext2_sb_info *sbi)
{
    memset(sbi, 0, sizeof *sbi);
    sbi->s_inode_size = g->inode_size;
    sbi->s_first_ino = g->first_ino;
    sbi->s_blocks_per_group = g->blocks_per_group;
    sbi->s_inodes_per_group = g->inodes_per_group;
    sbi->s_first_data_block = g->first_data_block;
    sbi->s_inodes_per_block = g->inodes_per_block;
    sbi->s_desc_per_block = g->desc_per_block;
    sbi->s_groups_count = g->groups_count;
    sbi->s_addr_per_block = EXT2_CHECK_BSIZE / 4;
}

int guest_ext2_check_super(const void *sb, uint32_t dev_sectors, struct guest_ext2_geom *g)
{
    struct ext2_sb_info sbi;
    memset(&sbi, 0, sizeof sbi);
    int v = ext2_check_super(sb, dev_sectors, &sbi);
    geom_out(&sbi, g);
    return v;
}

int guest_ext2_check_group_desc(const void *sb, const struct guest_ext2_geom *g, uint32_t group, const void *gd)
{
    struct ext2_sb_info sbi;
    geom_in(g, &sbi);
    return ext2_check_group_desc(&sbi, ((const struct ext2_super_block *)sb)->s_blocks_count, group, gd);
}

int guest_ext2_inode_index(const void *sb, const struct guest_ext2_geom *g, uint32_t ino, uint32_t *group,
                           uint32_t *block, uint32_t *offset)
{
    struct ext2_sb_info sbi;
    geom_in(g, &sbi);
    return ext2_inode_index(&sbi, ((const struct ext2_super_block *)sb)->s_inodes_count, ino, group, block,
                            offset);
}

int guest_ext2_dir_entry_ok(const void *de, unsigned off)
{
    return ext2_dir_entry_ok(de, off);
}

uint32_t guest_ext2_sb_blocks_count(const void *sb) { return ((const struct ext2_super_block *)sb)->s_blocks_count; }
uint32_t guest_ext2_sb_inodes_count(const void *sb) { return ((const struct ext2_super_block *)sb)->s_inodes_count; }
